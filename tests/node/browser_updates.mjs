// The updates the browser's own document operations make (static/js/notes.js,
// privatenotes.js, planview.js, Y.UndoManager as app.js sets it up), for tests/test_yupdate.py:
// every one of them must pass the server's checks.
//
// Usage: node tests/node/browser_updates.mjs
// Prints one JSON line per local update: {board, device, role, op, update: hex}, then one
// line {board, final: {map name: JSON}} per board. Devices share their updates at once, as
// through the server; an update is printed only by the device that made it.

import * as Y from 'yjs'
import * as ops from '../../server/static/js/notes.js'
import { postPrivateNotes } from '../../server/static/js/privatenotes.js'
import { goalFromNote, goalsOf } from '../../server/static/js/planview.js'

const hex = (u) => Buffer.from(u).toString('hex')
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n')
const MAPS = ['notes', 'groups', 'statements', 'goals', 'actions', 'team', 'info']

function board (name, roles) {
  const devices = {}
  let current = ''
  for (const role of roles) {
    const doc = new Y.Doc()
    const origin = { person: role } // the browser's per-person origin object
    const undo = new Y.UndoManager(MAPS.map((m) => doc.getMap(m)), { trackedOrigins: new Set([origin]) })
    devices[role] = { role, doc, origin, undo }
    doc.on('update', (update, from) => {
      if (from === 'remote') return
      out({ board: name, device: role, role, op: current, update: hex(update) })
      for (const other of Object.values(devices)) {
        if (other.doc !== doc) Y.applyUpdate(other.doc, update, 'remote')
      }
    })
  }
  // run one operation on one device; each is its own undo step
  const run = (role, op, fn) => {
    current = op
    const d = devices[role]
    fn(d.doc, d.origin, d)
    d.undo.stopCapturing()
  }
  const final = () => {
    const doc = devices[roles[0]].doc
    const maps = {}
    for (const m of MAPS) maps[m] = doc.getMap(m).toJSON()
    out({ board: name, final: maps })
  }
  return { run, final, devices }
}

const person = (id, name, role) => ({ author: id, authorName: name, role })

// --- the Drieluik: notes, groups, moves, undo, the statements ---------------------------
{
  const b = board('drieluik', ['familie', 'professional', 'facilitator'])
  const ids = {}
  b.run('familie', 'add note', (doc, o) => {
    ids.f1 = ops.addNote(doc, o, { text: 'Oma Wiëbe haalt de kinderen op', zone: 'zorgen', ...person('p1', 'Oma Wiëbe', 'familie'), color: 'oranje', tags: [], help: undefined })
  })
  b.run('familie', 'add second note', (doc, o) => {
    ids.f2 = ops.addNote(doc, o, { text: 'De Vries-familie wil meer rust', zone: 'zorgen', ...person('p2', 'Jan de Vries', 'familie'), color: 'oranje', tags: ['vooruitzicht'] })
  })
  b.run('familie', 'edit own note', (doc, o) => {
    ops.updateNote(doc, o, ids.f1, { text: 'Oma Wiëbe haalt de kinderen op, elke woensdag', tags: ['voorwaardelijk'], help: undefined })
  })
  b.run('professional', 'add own note', (doc, o) => {
    ids.p1 = ops.addNote(doc, o, { text: 'School meldt verzuim', zone: 'zorgen', ...person('p9', 'Mentor', 'professional'), color: 'oranje', tags: [] })
  })
  b.run('professional', 'move family note to another zone', (doc, o) => {
    ops.placeItem(doc, o, 'note', ids.f1, 'plan', 0)
    ops.updateNote(doc, o, ids.f1, { color: 'blauw' })
  })
  b.run('professional', 'nudge family note', (doc, o) => ops.nudge(doc, o, 'note', ids.f2, 1))
  b.run('professional', 'group own note with family note', (doc, o) => {
    ids.g1 = ops.groupWith(doc, o, ids.p1, ids.f2)
  })
  b.run('familie', 'name the group', (doc, o) => ops.setGroupTitle(doc, o, ids.g1, 'School en rust'))
  b.run('familie', 'add note to group', (doc, o) => ops.addToGroup(doc, o, ids.f1, ids.g1))
  b.run('professional', 'move the group', (doc, o) => ops.placeItem(doc, o, 'group', ids.g1, 'wensen', 0))
  b.run('facilitator', 'facilitator edits family note', (doc, o) => {
    ops.updateNote(doc, o, ids.f2, { text: 'De familie De Vries wil meer rust in huis' })
  })
  b.run('familie', 'delete own note in a group', (doc, o) => ops.deleteNote(doc, o, ids.f1))
  b.run('familie', 'undo the delete', (doc, o, d) => d.undo.undo())
  b.run('familie', 'redo the delete', (doc, o, d) => d.undo.redo())
  b.run('familie', 'undo the delete again', (doc, o, d) => d.undo.undo())
  b.run('professional', 'ungroup', (doc, o) => ops.ungroup(doc, o, ids.g1))
  b.run('professional', 'undo the ungroup', (doc, o, d) => d.undo.undo())
  b.run('familie', 'write the worst', (doc, o) => doc.transact(() => doc.getMap('statements').set('ergste', 'Dat de kinderen niet thuis kunnen blijven'), o))
  b.run('facilitator', 'facilitator deletes professional note', (doc, o) => ops.deleteNote(doc, o, ids.p1))
  b.run('facilitator', 'facilitator undoes it', (doc, o, d) => d.undo.undo())
  b.run('professional', 'professional deletes own note', (doc, o) => ops.deleteNote(doc, o, ids.p1))
  b.run('familie', 'post private notes', (doc, o) => {
    const mine = new Y.Doc() // the device-only document of one person
    ops.addNote(mine, 'private', { text: 'Mijn eigen briefje', zone: 'zorgen', ...person('p2', 'Jan de Vries', 'familie'), color: 'oranje', tags: [] })
    ops.addNote(mine, 'private', { text: 'Nog een briefje', zone: 'wensen', ...person('p2', 'Jan de Vries', 'familie'), color: 'groen', tags: [] })
    postPrivateNotes(mine, doc, o)
  })
  b.final()
}

// --- the plan: goals from the doelenmatrix, actions, the team, the evaluation date -------
{
  const b = board('plan', ['familie', 'professional', 'facilitator'])
  const ids = {}
  const note = { text: 'Kinderen slapen bij Oma Wiëbe', tags: ['vooruitzicht'], help: 'praktisch' }
  b.run('familie', 'goal from a note', (doc, o) => { ids.g1 = goalFromNote(doc, o, 'noteid1', note) })
  b.run('professional', 'add a goal', (doc, o) => doc.transact(() => {
    ids.g2 = 'goal2'
    const goal = new Y.Map()
    goalsOf(doc).set(ids.g2, goal)
    goal.set('text', '')
    goal.set('order', Date.now())
    goal.set('createdAt', Date.now())
  }, o))
  b.run('professional', 'type the goal', (doc, o) => doc.transact(() => goalsOf(doc).get(ids.g2).set('text', 'Rust op school'), o))
  b.run('familie', 'help from the network', (doc, o) => doc.transact(() => goalsOf(doc).get(ids.g1).set('hulpNetwerk', 'Tante Ineke rijdt'), o))
  b.run('familie', 'add an action', (doc, o) => doc.transact(() => {
    const action = new Y.Map()
    doc.getMap('actions').set('a1', action)
    for (const [k, v] of Object.entries({ goal: ids.g1, wat: '', wie: '', status: 'nog-niet', order: Date.now(), createdAt: Date.now() })) action.set(k, v)
  }, o))
  b.run('familie', 'fill the action', (doc, o) => doc.transact(() => {
    const a = doc.getMap('actions').get('a1')
    a.set('wat', 'Ophalen op woensdag')
    a.set('wie', 'Oma Wiëbe')
    a.set('vanaf', '2025-03-01')
    a.set('status', 'bezig')
  }, o))
  b.run('familie', 'add to the team', (doc, o) => doc.transact(() => {
    const m = new Y.Map()
    doc.getMap('team').set('t1', m)
    m.set('name', 'Oma Wiëbe')
    m.set('order', Date.now())
  }, o))
  b.run('facilitator', 'evaluation date', (doc, o) => doc.transact(() => doc.getMap('info').set('evaluatie', '2025-06-01'), o))
  b.run('professional', 'remove a goal', (doc, o) => doc.transact(() => goalsOf(doc).delete(ids.g2), o))
  b.run('professional', 'undo removing it', (doc, o, d) => d.undo.undo())
  b.final()
}
