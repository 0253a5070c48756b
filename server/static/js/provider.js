// One board = one Y.Doc, kept on this device in IndexedDB and synced with the server over
// the standard y-websocket protocol. Knows nothing about rendering.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'

// A board refused again within QUIET_MS of its last reset waits before the next reset
// (FIRST_DELAY_MS, doubling up to MAX_DELAY_MS), so a change that keeps being refused never
// turns into a storm of reloads.
const QUIET_MS = 10000
const FIRST_DELAY_MS = 2000
const MAX_DELAY_MS = 60000
// How long a fresh copy may take to arrive from the server before it is shown anyway.
const SYNC_WAIT_MS = 5000

export function wsBase () {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws'
}

// board.doc, board.provider, board.local and board.awareness always belong to the copy that is
// shown; board.reset() replaces that copy (see below) and then calls onReset(board).
export function openBoard (cfg, boardId, { onStatus, onRefused, onSynced, onReset } = {}) {
  // Per role: a browser used with two links of one meeting must not mix what each may see.
  const name = `nb:${cfg.meetingId}:${boardId}:${cfg.role}`
  const board = { id: boardId, refused: null, resetting: false }

  // One copy of the board: a Y.Doc, its IndexedDB store and its connection.
  const open = (awarenessState = null) => {
    const doc = new Y.Doc()
    const local = new IndexeddbPersistence(name, doc)
    const provider = new WebsocketProvider(wsBase(), `${cfg.meetingId}/${boardId}`, doc, {
      // The device key rides in its cookie; `as: 'scherm'` is the facilitator's TV view.
      params: { ...(cfg.token ? { token: cfg.token, device: cfg.device || '' } : {}), ...(cfg.as ? { as: cfg.as } : {}) },
      // Tabs must not sync with each other directly: only the server decides who sees what.
      disableBc: true
    })
    if (awarenessState) provider.awareness.setLocalState(awarenessState)
    provider.on('status', ({ status }) => onStatus?.(board, status))
    provider.on('sync', (synced) => { if (synced) onSynced?.(board) })
    // 44xx: the server refused us on purpose (closed part, revoked link, a refused change);
    // the provider stops.
    provider.on('closed', ({ code, reason }) => {
      board.refused = { code, reason }
      onRefused?.(board, code, reason)
    })
    return { doc, local, provider, awareness: provider.awareness }
  }
  let latest = open() // the newest copy: the one shown, or a fresh one still loading
  Object.assign(board, latest)

  board.reconnect = () => { board.refused = null; latest.provider.connect() }
  board.destroy = () => {
    latest.provider.destroy(); latest.local.destroy(); latest.doc.destroy()
    if (board.doc !== latest.doc) board.doc.destroy()
  }

  // After the server refused a change (UPDATE_REFUSED, QUOTA_EXCEEDED) this device's copy still holds it, and
  // would send it again on every reconnect. Throw the copy away (IndexedDB too), load the board
  // fresh from the server and show that. Until then board.resetting is true and the old copy
  // stays on screen, disconnected. Resolves with the board once the fresh copy is shown.
  let generation = 0
  let lastReset = -Infinity
  let delay = 0
  board.reset = async () => {
    const gen = ++generation
    board.resetting = true
    board.refused = null
    const old = latest
    old.provider.destroy() // nothing more of the old copy is sent
    // Closes the store and deletes this board's database (private notes have their own).
    await old.local.clearData().catch(() => {})
    if (old.doc !== board.doc) old.doc.destroy() // a fresh copy that had not been shown yet
    delay = Date.now() - lastReset < QUIET_MS ? Math.min(Math.max(delay * 2, FIRST_DELAY_MS), MAX_DELAY_MS) : 0
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay))
    if (gen !== generation) return board
    // The database was deleted before this opens it again (IndexedDB keeps requests in order).
    const copy = latest = open(board.awareness.getLocalState())
    await firstSync(copy.provider)
    if (gen !== generation) return board
    const shown = board.doc
    // Who is writing on this device may have changed meanwhile.
    copy.awareness.setLocalState(board.awareness.getLocalState())
    Object.assign(board, copy)
    shown.destroy()
    board.resetting = false
    lastReset = Date.now()
    onReset?.(board)
    return board
  }
  return board
}

// The first full sync with the server, or a refusal, or SYNC_WAIT_MS, whichever comes first.
function firstSync (provider) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      provider.off('sync', onSync)
      provider.off('closed', done)
      resolve()
    }
    const onSync = (synced) => { if (synced) done() }
    const timer = setTimeout(done, SYNC_WAIT_MS)
    provider.on('sync', onSync)
    provider.on('closed', done)
  })
}

// A device-only document, never connected to the server (private notes).
export function openLocalDoc (name) {
  const doc = new Y.Doc()
  const local = new IndexeddbPersistence(name, doc)
  return { doc, local, whenLoaded: local.whenSynced, destroy () { local.destroy(); doc.destroy() } }
}
