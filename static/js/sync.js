// One board = one Y.Doc, kept on this device in IndexedDB and synced with the server over
// the standard y-websocket protocol. Knows nothing about rendering.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'

export function wsBase () {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws'
}

export function openBoard (cfg, boardId, { onStatus, onRefused, onSynced } = {}) {
  const doc = new Y.Doc()
  // Per role: a browser used with two links of one meeting must not mix what each may see.
  const local = new IndexeddbPersistence(`nb:${cfg.meetingId}:${boardId}:${cfg.role}`, doc)
  const provider = new WebsocketProvider(wsBase(), `${cfg.meetingId}/${boardId}`, doc, {
    params: { token: cfg.token, device: cfg.device || '' },
    // Tabs must not sync with each other directly: only the server decides who sees what.
    disableBc: true
  })
  const board = { id: boardId, doc, provider, local, awareness: provider.awareness, refused: null }
  provider.on('status', ({ status }) => onStatus?.(board, status))
  provider.on('sync', (synced) => { if (synced) onSynced?.(board) })
  // 44xx: the server refused us on purpose (closed part, revoked link); the provider stops.
  provider.on('closed', ({ code, reason }) => {
    board.refused = { code, reason }
    onRefused?.(board, code, reason)
  })
  board.reconnect = () => { board.refused = null; provider.connect() }
  board.destroy = () => { provider.destroy(); local.destroy(); doc.destroy() }
  return board
}

// A device-only document, never connected to the server (private notes).
export function openLocalDoc (name) {
  const doc = new Y.Doc()
  const local = new IndexeddbPersistence(name, doc)
  return { doc, local, whenLoaded: local.whenSynced, destroy () { local.destroy(); doc.destroy() } }
}
