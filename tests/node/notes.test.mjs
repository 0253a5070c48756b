// The browser's board operations (static/js/notes.js) on plain Y.Docs, without a browser:
// the order of a zone, where new and moved notes go, and groups.
// Run: node --test tests/node/*.test.mjs
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import {
  addNote, addToGroup, deleteNote, groupNotes, groupWith, groupsOf, notesOf, nudge,
  placeItem, setGroupTitle, ungroup, updateNote, zoneItems
} from '../../server/static/js/notes.js'

const ORIGIN = 'local:p-oma'

// A board with notes as given: { id: { zone, y, ... } }, written straight into the document.
function board (notes = {}, groups = {}) {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const [id, fields] of Object.entries(notes)) notesOf(doc).set(id, yMap(fields))
    for (const [id, fields] of Object.entries(groups)) groupsOf(doc).set(id, yMap(fields))
  })
  return doc
}

function yMap (fields) {
  const map = new Y.Map()
  for (const [k, v] of Object.entries(fields)) map.set(k, v)
  return map
}

const ids = (items) => items.map((it) => it.id)
const note = (doc, id) => notesOf(doc).get(id)?.toJSON()
const group = (doc, id) => groupsOf(doc).get(id)?.toJSON()

// The transactions a change made, with their origins (undo follows the origin).
function origins (doc, change) {
  const seen = []
  const record = (tr) => seen.push(tr.origin)
  doc.on('afterTransaction', record)
  change()
  doc.off('afterTransaction', record)
  return seen
}

test('a zone lists its items top to bottom by y, then by id', () => {
  const doc = board({
    b: { zone: 'zorgen', y: 0.5, text: 'Sem slaapt slecht' },
    a: { zone: 'zorgen', y: 0.5, text: 'School belt vaak' },
    c: { zone: 'zorgen', y: 0.1, text: 'Oma is ziek' },
    d: { zone: 'wensen', y: 0.0, text: 'Weer samen eten' }
  })
  assert.deepEqual(ids(zoneItems(doc, 'zorgen')), ['c', 'a', 'b'])
  assert.deepEqual(ids(zoneItems(doc, 'wensen')), ['d'])
  assert.deepEqual(zoneItems(doc, 'plan'), [])
})

test('a note without a usable y sits in the middle', () => {
  const doc = board({
    high: { zone: 'zorgen', y: 0.2 },
    none: { zone: 'zorgen' },
    text: { zone: 'zorgen', y: 'boven' },
    low: { zone: 'zorgen', y: 0.8 }
  })
  const items = zoneItems(doc, 'zorgen')
  assert.deepEqual(ids(items), ['high', 'none', 'text', 'low'])
  assert.deepEqual(items.map((it) => it.y), [0.2, 0.5, 0.5, 0.8])
})

test('a group takes the place of its notes in the zone; a note of a missing group stays', () => {
  const doc = board({
    n1: { zone: 'plan', y: 0.1, group: 'g1' },
    n2: { zone: 'plan', y: 0.9, group: 'g1' },
    n3: { zone: 'plan', y: 0.6 },
    n4: { zone: 'plan', y: 0.3, group: 'weg' }
  }, { g1: { zone: 'plan', y: 0.5, title: 'Weekenden' } })
  const items = zoneItems(doc, 'plan')
  assert.deepEqual(items.map((it) => [it.kind, it.id]),
    [['note', 'n4'], ['group', 'g1'], ['note', 'n3']])
  assert.deepEqual(ids(groupNotes(doc, 'g1')), ['n1', 'n2'])
})

test('a new note goes to the bottom of its zone, with its fields and defaults', () => {
  const doc = board()
  const first = addNote(doc, ORIGIN, { zone: 'zorgen', text: 'Sem mist zijn vader', author: 'p-oma' })
  const second = addNote(doc, ORIGIN, { zone: 'zorgen', text: 'Karim is moe', color: undefined })
  assert.notEqual(first, second)
  assert.deepEqual(ids(zoneItems(doc, 'zorgen')), [first, second])
  const n = note(doc, first)
  assert.equal(n.text, 'Sem mist zijn vader')
  assert.equal(n.author, 'p-oma')
  assert.equal(n.x, 0.5)
  assert.deepEqual(n.tags, [])
  assert.equal(typeof n.createdAt, 'number')
  assert.ok(n.y > 0 && n.y < note(doc, second).y && note(doc, second).y < 1)
  assert.ok(!('color' in note(doc, second)), 'an undefined field is left out')
})

test('a new note is placed below the others, also when they were put low on the board', () => {
  const doc = board({ a: { zone: 'wensen', y: 0.95 } })
  const id = addNote(doc, ORIGIN, { zone: 'wensen', text: 'Voetballen' })
  assert.deepEqual(ids(zoneItems(doc, 'wensen')), ['a', id])
  assert.ok(note(doc, id).y <= 1)
})

test('hundreds of new notes keep the order they were written in', () => {
  const doc = board()
  const written = []
  for (let i = 0; i < 300; i++) written.push(addNote(doc, ORIGIN, { zone: 'plan', text: `${i}` }))
  const items = zoneItems(doc, 'plan')
  assert.deepEqual(ids(items), written)
  assert.ok(items.every((it) => it.y > 0 && it.y < 1))
  assert.equal(new Set(items.map((it) => it.y)).size, 300, 'no two share a place')
})

test('a hundred new notes fit below each other without moving the ones above', () => {
  const doc = board()
  const first = addNote(doc, ORIGIN, { zone: 'plan', text: 'eerste' })
  const y = note(doc, first).y
  for (let i = 0; i < 99; i++) addNote(doc, ORIGIN, { zone: 'plan', text: `${i}` })
  assert.equal(note(doc, first).y, y, 'the zone was not spread out')
})

test('placing an item between two neighbours puts it between them', () => {
  const doc = board({
    a: { zone: 'zorgen', y: 0.2 },
    b: { zone: 'zorgen', y: 0.4 },
    c: { zone: 'zorgen', y: 0.6 }
  })
  placeItem(doc, ORIGIN, 'note', 'c', 'zorgen', 1)
  assert.deepEqual(ids(zoneItems(doc, 'zorgen')), ['a', 'c', 'b'])
  assert.ok(note(doc, 'c').y > 0.2 && note(doc, 'c').y < 0.4)
  assert.equal(note(doc, 'a').y, 0.2, 'the others stay where they are')
  assert.equal(note(doc, 'b').y, 0.4)
})

test('with no room between neighbours, the zone is spread out evenly first', () => {
  const doc = board({
    a: { zone: 'zorgen', y: 0.5 },
    b: { zone: 'zorgen', y: 0.5 + 1e-8 },
    c: { zone: 'zorgen', y: 0.5 + 2e-8 },
    m: { zone: 'wensen', y: 0.5 }
  })
  placeItem(doc, ORIGIN, 'note', 'm', 'zorgen', 1)
  const items = zoneItems(doc, 'zorgen')
  assert.deepEqual(ids(items), ['a', 'm', 'b', 'c'])
  assert.deepEqual(['a', 'b', 'c'].map((id) => note(doc, id).y), [0.25, 0.5, 0.75])
  assert.equal(note(doc, 'm').zone, 'zorgen')
  assert.ok(note(doc, 'm').y > 0.25 && note(doc, 'm').y < 0.5)
})

test('an index past either end puts the item first or last', () => {
  const doc = board({
    a: { zone: 'plan', y: 0.2 },
    b: { zone: 'plan', y: 0.4 },
    c: { zone: 'plan', y: 0.6 }
  })
  placeItem(doc, ORIGIN, 'note', 'a', 'plan', 99)
  assert.deepEqual(ids(zoneItems(doc, 'plan')), ['b', 'c', 'a'])
  placeItem(doc, ORIGIN, 'note', 'a', 'plan', -5)
  assert.deepEqual(ids(zoneItems(doc, 'plan')), ['a', 'b', 'c'])
})

test('nudging moves an item one place up or down', () => {
  const doc = board({
    a: { zone: 'plan', y: 0.2 },
    b: { zone: 'plan', y: 0.4 },
    c: { zone: 'plan', y: 0.6 }
  })
  nudge(doc, ORIGIN, 'note', 'c', -1)
  assert.deepEqual(ids(zoneItems(doc, 'plan')), ['a', 'c', 'b'])
  nudge(doc, ORIGIN, 'note', 'a', 1)
  assert.deepEqual(ids(zoneItems(doc, 'plan')), ['c', 'a', 'b'])
})

test('dropping a note on another makes a group in the target\'s place', () => {
  const doc = board({
    target: { zone: 'plan', y: 0.3, text: 'Vaste avond bij oma' },
    other: { zone: 'plan', y: 0.6 },
    drag: { zone: 'wensen', y: 0.1, text: 'Sem logeert om het weekend' }
  })
  const groupId = groupWith(doc, ORIGIN, 'drag', 'target')
  assert.ok(groupId)
  assert.deepEqual(group(doc, groupId), { zone: 'plan', title: '', x: 0.5, y: 0.3 })
  assert.deepEqual(zoneItems(doc, 'plan').map((it) => [it.kind, it.id]),
    [['group', groupId], ['note', 'other']])
  assert.deepEqual(zoneItems(doc, 'wensen'), [])
  assert.deepEqual(ids(groupNotes(doc, groupId)), ['target', 'drag'])
  assert.equal(note(doc, 'drag').zone, 'plan')
  assert.equal(note(doc, 'drag').group, groupId)
})

test('dropping a note on a grouped note adds it to that group, at the bottom', () => {
  const doc = board({
    a: { zone: 'plan', y: 0.3 },
    b: { zone: 'plan', y: 0.6 },
    c: { zone: 'zorgen', y: 0.1 }
  })
  const groupId = groupWith(doc, ORIGIN, 'b', 'a')
  assert.equal(groupWith(doc, ORIGIN, 'c', 'a'), groupId)
  assert.equal(groupsOf(doc).size, 1)
  assert.deepEqual(ids(groupNotes(doc, groupId)), ['a', 'b', 'c'])
})

test('dropping a note on itself or on a note that is gone does nothing', () => {
  const doc = board({ a: { zone: 'plan', y: 0.3 } })
  assert.equal(groupWith(doc, ORIGIN, 'a', 'a'), null)
  assert.equal(groupWith(doc, ORIGIN, 'a', 'weg'), null)
  assert.equal(groupsOf(doc).size, 0)
  assert.deepEqual(note(doc, 'a'), { zone: 'plan', y: 0.3 })
})

test('a group that loses its last note is dropped', () => {
  const doc = board({ a: { zone: 'plan', y: 0.3 }, b: { zone: 'plan', y: 0.6 } })
  const groupId = groupWith(doc, ORIGIN, 'b', 'a')
  deleteNote(doc, ORIGIN, 'a')
  assert.ok(groupsOf(doc).has(groupId), 'one note left: the group stays')
  deleteNote(doc, ORIGIN, 'b')
  assert.ok(!groupsOf(doc).has(groupId))
})

test('moving the last note out of a group, or into another group, drops the group', () => {
  const doc = board({
    a: { zone: 'plan', y: 0.3 },
    b: { zone: 'plan', y: 0.6 },
    c: { zone: 'plan', y: 0.8 },
    d: { zone: 'plan', y: 0.9 }
  })
  const left = groupWith(doc, ORIGIN, 'b', 'a')
  const right = groupWith(doc, ORIGIN, 'd', 'c')
  placeItem(doc, ORIGIN, 'note', 'a', 'wensen', 0)
  assert.equal(note(doc, 'a').group, undefined)
  assert.deepEqual(ids(zoneItems(doc, 'wensen')), ['a'])
  assert.ok(groupsOf(doc).has(left), 'b is still in it')
  addToGroup(doc, ORIGIN, 'b', right)
  assert.ok(!groupsOf(doc).has(left))
  assert.deepEqual(ids(groupNotes(doc, right)), ['c', 'd', 'b'])
})

test('placing a group moves its notes with it', () => {
  const doc = board({
    a: { zone: 'plan', y: 0.3 },
    b: { zone: 'plan', y: 0.6 },
    w: { zone: 'wensen', y: 0.5 }
  })
  const groupId = groupWith(doc, ORIGIN, 'b', 'a')
  setGroupTitle(doc, ORIGIN, groupId, 'Weekenden')
  placeItem(doc, ORIGIN, 'group', groupId, 'wensen', 0)
  assert.deepEqual(zoneItems(doc, 'plan'), [])
  assert.deepEqual(zoneItems(doc, 'wensen').map((it) => [it.kind, it.id]),
    [['group', groupId], ['note', 'w']])
  assert.equal(note(doc, 'a').zone, 'wensen')
  assert.equal(note(doc, 'b').zone, 'wensen')
  assert.deepEqual(ids(groupNotes(doc, groupId)), ['a', 'b'], 'inside, the order is kept')
  assert.equal(group(doc, groupId).title, 'Weekenden')
})

test('ungrouping puts the notes back in the zone at the group\'s place, in their order', () => {
  const doc = board({
    top: { zone: 'plan', y: 0.1 },
    a: { zone: 'plan', y: 0.4 },
    b: { zone: 'zorgen', y: 0.2 },
    bottom: { zone: 'plan', y: 0.9 }
  })
  const groupId = groupWith(doc, ORIGIN, 'b', 'a')
  ungroup(doc, ORIGIN, groupId)
  assert.equal(groupsOf(doc).size, 0)
  assert.deepEqual(ids(zoneItems(doc, 'plan')), ['top', 'a', 'b', 'bottom'])
  assert.equal(note(doc, 'a').group, undefined)
  assert.equal(note(doc, 'b').zone, 'plan')
})

test('changing a note sets what differs and removes what is undefined', () => {
  const doc = board({ a: { zone: 'plan', y: 0.3, text: 'Oud', color: 'geel' } })
  const seen = origins(doc, () => updateNote(doc, ORIGIN, 'a', { text: 'Nieuw', color: undefined }))
  assert.deepEqual(note(doc, 'a'), { zone: 'plan', y: 0.3, text: 'Nieuw' })
  assert.deepEqual(seen, [ORIGIN])
  let changed = false
  doc.on('update', () => { changed = true })
  updateNote(doc, ORIGIN, 'a', { text: 'Nieuw' })
  updateNote(doc, ORIGIN, 'weg', { text: 'x' })
  assert.equal(changed, false, 'nothing new: no update is made')
})

test('every change is one transaction with the given origin (undo works per change)', () => {
  const doc = board({ a: { zone: 'plan', y: 0.3 }, b: { zone: 'plan', y: 0.6 } })
  let groupId
  const seen = origins(doc, () => {
    addNote(doc, ORIGIN, { zone: 'plan' })
    groupId = groupWith(doc, ORIGIN, 'b', 'a')
    setGroupTitle(doc, ORIGIN, groupId, 'Thema')
    placeItem(doc, ORIGIN, 'group', groupId, 'wensen', 0)
    ungroup(doc, ORIGIN, groupId)
    deleteNote(doc, ORIGIN, 'a')
  })
  assert.deepEqual(seen, Array(6).fill(ORIGIN))
})
