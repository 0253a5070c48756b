// Operations on a board document (data contract: README, board/schema.py): notes and groups in
// zones, ordered top to bottom by `y` (0..1, higher on the board = more urgent).
import * as Y from 'yjs'
import { randomId } from './dom.js'

export const notesOf = (doc) => doc.getMap('notes')
export const groupsOf = (doc) => doc.getMap('groups')

const GAP = 1e-7
const STEP = 0.009

export function noteData (ynote) {
  return ynote instanceof Y.Map ? ynote.toJSON() : {}
}

// The items directly in a zone (notes outside groups, and groups), top to bottom.
export function zoneItems (doc, zone) {
  const items = []
  notesOf(doc).forEach((n, id) => {
    const note = noteData(n)
    if (note.zone === zone && !(note.group && groupsOf(doc).has(note.group))) {
      items.push({ kind: 'note', id, y: num(note.y), note })
    }
  })
  groupsOf(doc).forEach((g, id) => {
    const group = noteData(g)
    if (group.zone === zone) items.push({ kind: 'group', id, y: num(group.y), group })
  })
  return items.sort(byPosition)
}

export function groupNotes (doc, groupId) {
  const out = []
  notesOf(doc).forEach((n, id) => {
    const note = noteData(n)
    if (note.group === groupId) out.push({ kind: 'note', id, y: num(note.y), note })
  })
  return out.sort(byPosition)
}

function num (v) { return typeof v === 'number' && isFinite(v) ? v : 0.5 }
function byPosition (a, b) { return a.y - b.y || (a.id < b.id ? -1 : 1) }

// A y between the neighbours at `index` in `items` (the list without the item being moved).
// When there is no room left, the list is spread out evenly first.
function yAt (doc, items, index, spread) {
  const before = index > 0 ? items[index - 1].y : 0
  const after = index < items.length ? items[index].y : 1
  // At the end, step down by a little rather than halving the gap: a zone then takes about
  // a hundred new notes before it has to be spread out.
  if (index === items.length && after - before > STEP * 2) return before + (index === 0 ? STEP * 5 : STEP)
  if (after - before > GAP * 2) return (before + after) / 2
  spread(items)
  return (index + 0.5) / (items.length + 1)
}

function spreadItems (doc) {
  return (items) => items.forEach((item, i) => {
    const map = item.kind === 'group' ? groupsOf(doc).get(item.id) : notesOf(doc).get(item.id)
    map?.set('y', (i + 1) / (items.length + 1))
  })
}

export function addNote (doc, origin, fields) {
  const id = randomId()
  doc.transact(() => {
    const items = zoneItems(doc, fields.zone)
    const note = new Y.Map()
    notesOf(doc).set(id, note)
    const y = yAt(doc, items, items.length, spreadItems(doc))
    for (const [k, v] of Object.entries({ x: 0.5, tags: [], createdAt: Date.now(), ...fields, y })) {
      if (v !== undefined) note.set(k, v)
    }
  }, origin)
  return id
}

export function updateNote (doc, origin, id, patch) {
  const note = notesOf(doc).get(id)
  if (!note) return
  doc.transact(() => {
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) note.delete(k)
      else if (JSON.stringify(note.get(k)) !== JSON.stringify(v)) note.set(k, v)
    }
  }, origin)
}

export function deleteNote (doc, origin, id) {
  doc.transact(() => {
    const group = noteData(notesOf(doc).get(id)).group
    notesOf(doc).delete(id)
    if (group) dropEmptyGroup(doc, group)
  }, origin)
}

function dropEmptyGroup (doc, groupId) {
  const left = groupNotes(doc, groupId)
  if (left.length === 0) groupsOf(doc).delete(groupId)
}

// Put a note (or a group) in a zone at position `index` among the zone's items.
export function placeItem (doc, origin, kind, id, zone, index) {
  doc.transact(() => {
    const map = kind === 'group' ? groupsOf(doc).get(id) : notesOf(doc).get(id)
    if (!map) return
    const items = zoneItems(doc, zone).filter((it) => !(it.kind === kind && it.id === id))
    const y = yAt(doc, items, Math.max(0, Math.min(index, items.length)), spreadItems(doc))
    const oldGroup = kind === 'note' ? map.get('group') : null
    map.set('zone', zone)
    map.set('y', y)
    if (oldGroup) {
      map.delete('group')
      dropEmptyGroup(doc, oldGroup)
    }
    if (kind === 'group') {
      for (const n of groupNotes(doc, id)) notesOf(doc).get(n.id).set('zone', zone)
    }
  }, origin)
}

// Drop note `dragId` onto note `targetId`: both end up in one group (the target's, or a new one).
export function groupWith (doc, origin, dragId, targetId) {
  if (dragId === targetId) return null
  let groupId = null
  doc.transact(() => {
    const target = notesOf(doc).get(targetId)
    const drag = notesOf(doc).get(dragId)
    if (!target || !drag) return
    groupId = target.get('group')
    if (!groupId || !groupsOf(doc).has(groupId)) {
      groupId = randomId()
      const group = new Y.Map()
      groupsOf(doc).set(groupId, group)
      group.set('zone', target.get('zone'))
      group.set('title', '')
      group.set('x', 0.5)
      group.set('y', num(target.get('y')))
      target.set('group', groupId)
      target.set('y', 0.25)
    }
    addToGroupTx(doc, dragId, groupId)
  }, origin)
  return groupId
}

export function addToGroup (doc, origin, noteId, groupId) {
  doc.transact(() => addToGroupTx(doc, noteId, groupId), origin)
}

function addToGroupTx (doc, noteId, groupId) {
  const note = notesOf(doc).get(noteId)
  const group = groupsOf(doc).get(groupId)
  if (!note || !group || note.get('group') === groupId) return
  const oldGroup = note.get('group')
  const members = groupNotes(doc, groupId)
  note.set('group', groupId)
  note.set('zone', group.get('zone'))
  note.set('y', members.length ? Math.min(1, (members[members.length - 1].y + 1) / 2) : 0.5)
  if (oldGroup) dropEmptyGroup(doc, oldGroup)
}

export function setGroupTitle (doc, origin, groupId, title) {
  const group = groupsOf(doc).get(groupId)
  if (group) doc.transact(() => group.set('title', title), origin)
}

export function ungroup (doc, origin, groupId) {
  doc.transact(() => {
    const group = groupsOf(doc).get(groupId)
    if (!group) return
    const zone = group.get('zone')
    const y = num(group.get('y'))
    groupNotes(doc, groupId).forEach((n, i) => {
      const note = notesOf(doc).get(n.id)
      note.delete('group')
      note.set('zone', zone)
      note.set('y', Math.min(1, y + i * GAP * 10))
    })
    groupsOf(doc).delete(groupId)
  }, origin)
}

// Move an item one place up or down in its zone (keyboard alternative to dragging).
export function nudge (doc, origin, kind, id, delta) {
  const map = kind === 'group' ? groupsOf(doc).get(id) : notesOf(doc).get(id)
  if (!map) return
  const zone = map.get('zone')
  const items = zoneItems(doc, zone)
  const index = items.findIndex((it) => it.kind === kind && it.id === id)
  if (index < 0) return
  placeItem(doc, origin, kind, id, zone, index + delta)
}

// The server's rule for notes (board/schema.py), served as cfg.noteRights: anyone who may
// write a board may change where a note hangs (moveFields); what it says, or taking it off the
// board, only a device of the note's own role (ownerField) or of a role in anyNote.
export function mayChange (note, cfg) {
  const rights = cfg.noteRights
  return rights.anyNote.includes(cfg.role) || note[rights.ownerField] === cfg.role
}

// Whether a change to a note only moves it.
export function onlyMoves (patch, cfg) {
  return Object.keys(patch).every((field) => cfg.noteRights.moveFields.includes(field))
}

// Whether this person may change a note's text or throw it away. Stricter than the server on
// purpose, never looser: everyone on a passed-around tablet shares one role, so only the
// note's own author changes it (a role in anyNote, the facilitator, any note), and nobody
// rewrites someone else's note by accident.
export function canEdit (note, person, cfg) {
  if (!mayChange(note, cfg)) return false
  return cfg.noteRights.anyNote.includes(cfg.role) || (!!person && note.author === person.id)
}
