// A y-websocket interop client for the tests: the stock WebsocketProvider (as a browser
// would use it) against the Netwerkbord server, run by Node with the `ws` polyfill.
//
// Usage: node provider_client.mjs '<json config>'
//   serverUrl       ws://host:port/ws
//   room            "<meeting id>/<board id>"
//   token           the invitation token (sent as ?token=…)
//   noteId, text    the note this client adds once synced (skipped if noteId is absent)
//   waitForNoteId   wait until a note with this id exists (optional)
//   awareness       object set as the local awareness field `user`, e.g. {name: "Aïsha"}
//   waitForAwareness  wait until at least one remote awareness state is seen (optional)
//   holdOpen        after printing the result, stay connected until stdin closes (optional)
//   timeoutMs       give up after this long (default 10000)
//
// Prints ONE line of JSON to stdout: {notes: {id: text}, awareness: [remote states]},
// then destroys the provider and exits 0. On timeout, or when the server closes the
// connection for good (4400-4499), it logs the reason to stderr and exits 1.
// Close events of the connection are logged to stderr.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const config = JSON.parse(process.argv[2] ?? '{}')
const timeoutMs = config.timeoutMs ?? 10000
const log = (...args) => console.error('[provider_client]', ...args)

const doc = new Y.Doc()
const notes = doc.getMap('notes')
const provider = new WebsocketProvider(config.serverUrl, config.room, doc, {
  params: { token: config.token },
  WebSocketPolyfill: WebSocket,
  disableBc: true // no cross-tab channel in Node; talk to the server only
})

// Record every close: `event` is null when we closed locally, else it carries the code.
const closes = []
provider.on('connection-close', (event) => {
  const entry = event == null ? { local: true } : { code: event.code, reason: event.reason }
  closes.push(entry)
  log('connection-close', JSON.stringify(entry))
})
// The server refused us for good (4400-4499, e.g. 4401 bad token): the provider stops
// reconnecting, so waiting longer is pointless.
provider.on('closed', (e) => {
  log('closed for good', JSON.stringify(e))
  process.exit(1)
})
provider.on('connection-error', () => log('connection-error'))

const remoteStates = () => [...provider.awareness.getStates()]
  .filter(([id]) => id !== doc.clientID)
  .map(([, state]) => state)
const noteTexts = () => Object.fromEntries([...notes.entries()].map(([id, m]) => [id, m.get('text')]))

let stage = 'connecting'
const timer = setTimeout(() => {
  log(`timeout after ${timeoutMs} ms while ${stage}; notes=${JSON.stringify(noteTexts())}` +
      ` awareness=${JSON.stringify(remoteStates())} closes=${JSON.stringify(closes)}`)
  process.exit(1)
}, timeoutMs)

// Resolve once predicate() holds, re-checking on every doc or awareness change.
const until = (predicate) => new Promise((resolve) => {
  const check = () => {
    if (!predicate()) return
    doc.off('update', check)
    provider.awareness.off('change', check)
    provider.off('sync', check)
    resolve()
  }
  doc.on('update', check)
  provider.awareness.on('change', check)
  provider.on('sync', check)
  check()
})

stage = 'waiting for sync'
await until(() => provider.synced)

provider.awareness.setLocalStateField('user', config.awareness ?? { name: 'node' })

if (config.noteId) {
  const note = new Y.Map()
  note.set('text', config.text ?? '')
  note.set('zone', 'zorgen')
  note.set('x', 0.2)
  note.set('y', 0.3)
  note.set('createdAt', Date.now())
  note.set('role', config.role ?? 'familie') // the server checks it against the link's role
  notes.set(config.noteId, note)
}

if (config.waitForNoteId) {
  stage = `waiting for note ${config.waitForNoteId}`
  await until(() => notes.has(config.waitForNoteId))
}
if (config.waitForAwareness) {
  stage = 'waiting for a remote awareness state'
  await until(() => remoteStates().length > 0)
}

process.stdout.write(JSON.stringify({ notes: noteTexts(), awareness: remoteStates() }) + '\n')

if (config.holdOpen) {
  // Stay connected (awareness visible to others) until the test closes our stdin.
  stage = 'holding the connection open'
  clearTimeout(timer)
  await new Promise((resolve) => {
    process.stdin.on('end', resolve).on('close', resolve).resume()
  })
  process.stdin.pause()
}

// destroy() sends our awareness removal and closes the socket; wait for the socket to
// finish closing so the frames are flushed before Node exits.
const socket = provider.ws
clearTimeout(timer)
provider.destroy()
provider.awareness.destroy() // stops its renewal interval
doc.destroy()
if (socket && socket.readyState !== WebSocket.CLOSED) {
  await new Promise((resolve) => {
    socket.once('close', resolve)
    setTimeout(resolve, 2000).unref()
  })
}
process.exit(0)
