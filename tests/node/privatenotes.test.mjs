// Private notes (static/js/privatenotes.js) on plain Y.Docs, without a browser: the list of
// one person's notes, and posting them to the shared board.
// Run: node --test tests/node/*.test.mjs
//
// privatenotes.js imports openLocalDoc from the provider module (IndexedDB); importing it
// needs no browser, and these tests never call it: they hand in Y.Docs of their own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { notesOf, zoneItems } from '../../server/static/js/notes.js'
import { postPrivateNotes, privateNoteList } from '../../server/static/js/privatenotes.js'

const ORIGIN = 'local:p-oma'
const OMA = { author: 'p-oma', authorName: 'Oma Wiëbe', role: 'familie' }

// One person's private document: { id: { zone, text, createdAt } } (as on the tablet).
function privateDoc (notes) {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const [id, fields] of Object.entries(notes)) {
      const map = new Y.Map()
      for (const [k, v] of Object.entries({ ...OMA, x: 0.5, y: 0.5, ...fields })) map.set(k, v)
      notesOf(doc).set(id, map)
    }
  })
  return doc
}

const texts = (items) => items.map((it) => it.note.text)

test('the list of private notes is oldest first, of one zone or of all', () => {
  const mine = privateDoc({
    p3: { zone: 'zorgen', text: 'Sem slaapt slecht', createdAt: 300 },
    p1: { zone: 'wensen', text: 'Weer voetballen', createdAt: 100 },
    p2: { zone: 'zorgen', text: 'Sem mist zijn vader', createdAt: 200 }
  })
  assert.deepEqual(texts(privateNoteList(mine, 'zorgen')), ['Sem mist zijn vader', 'Sem slaapt slecht'])
  assert.deepEqual(texts(privateNoteList(mine)), ['Weer voetballen', 'Sem mist zijn vader', 'Sem slaapt slecht'])
  assert.deepEqual(privateNoteList(mine, 'plan'), [])
  assert.ok(privateNoteList(mine).every((it) => it.private && it.kind === 'note'))
})

test('posting a zone puts its notes on the board oldest first, below what is there', () => {
  const mine = privateDoc({
    late: { zone: 'zorgen', text: 'Karim is moe', createdAt: 300 },
    early: { zone: 'zorgen', text: 'Sem mist zijn vader', createdAt: 100 },
    other: { zone: 'wensen', text: 'Weer voetballen', createdAt: 200 }
  })
  const shared = new Y.Doc()
  notesOf(shared).set('al', new Y.Map([['zone', 'zorgen'], ['text', 'Al op het bord'], ['y', 0.5]]))
  const before = Date.now()
  assert.equal(postPrivateNotes(mine, shared, ORIGIN, null, 'zorgen'), 2)
  const posted = zoneItems(shared, 'zorgen')
  assert.deepEqual(posted.map((it) => it.note.text), ['Al op het bord', 'Sem mist zijn vader', 'Karim is moe'])
  const [, first, second] = posted.map((it) => it.note)
  assert.deepEqual({ ...first, createdAt: 0, y: 0 },
    { ...OMA, zone: 'zorgen', text: 'Sem mist zijn vader', x: 0.5, tags: [], createdAt: 0, y: 0 })
  assert.ok(first.createdAt >= before && second.createdAt >= first.createdAt,
    'the time of posting, not of writing: posting order is the board\'s order')
  // Only that zone went; what went is no longer private.
  assert.deepEqual(texts(privateNoteList(mine)), ['Weer voetballen'])
  assert.deepEqual(zoneItems(shared, 'wensen'), [])
})

test('posting given notes posts those only', () => {
  const mine = privateDoc({
    a: { zone: 'zorgen', text: 'Een', createdAt: 100 },
    b: { zone: 'zorgen', text: 'Twee', createdAt: 200 },
    c: { zone: 'wensen', text: 'Drie', createdAt: 300 }
  })
  const shared = new Y.Doc()
  assert.equal(postPrivateNotes(mine, shared, ORIGIN, ['c', 'a']), 2)
  assert.deepEqual(texts(zoneItems(shared, 'zorgen')), ['Een'])
  assert.deepEqual(texts(zoneItems(shared, 'wensen')), ['Drie'])
  assert.deepEqual(texts(privateNoteList(mine)), ['Twee'])
})

test('posting all, with nothing private, posts nothing', () => {
  const shared = new Y.Doc()
  let changed = false
  shared.on('update', () => { changed = true })
  assert.equal(postPrivateNotes(privateDoc({}), shared, ORIGIN), 0)
  assert.equal(changed, false)
})

test('each posted note is its own change on the board, with the given origin', () => {
  const mine = privateDoc({
    a: { zone: 'zorgen', text: 'Een', createdAt: 100 },
    b: { zone: 'zorgen', text: 'Twee', createdAt: 200 }
  })
  const shared = new Y.Doc()
  const seen = []
  shared.on('afterTransaction', (tr) => seen.push(tr.origin))
  postPrivateNotes(mine, shared, ORIGIN)
  assert.deepEqual(seen, [ORIGIN, ORIGIN])
})
