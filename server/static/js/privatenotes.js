// Private notes: written by one person, kept only on this device (IndexedDB), never sent to
// the server, until that person posts them to the shared board.
import { openLocalDoc } from './provider.js'
import { addNote, notesOf, noteData } from './notes.js'

export function openPrivateNotes (cfg, boardId, person) {
  return openLocalDoc(`nb-private:${cfg.meetingId}:${boardId}:${cfg.role}:${person.id}`)
}

export function privateNoteList (privateDoc, zone) {
  const out = []
  notesOf(privateDoc).forEach((n, id) => {
    const note = noteData(n)
    if (!zone || note.zone === zone) out.push({ kind: 'note', id, y: note.createdAt || 0, note, private: true })
  })
  return out.sort((a, b) => a.y - b.y)
}

// Move private notes (all, those with the given ids, or those of one zone) to the shared
// board, oldest first. Returns how many were posted.
export function postPrivateNotes (privateDoc, sharedDoc, origin, ids = null, zone = null) {
  const notes = privateNoteList(privateDoc, zone).filter((n) => !ids || ids.includes(n.id))
  for (const { id, note } of notes) {
    const { y: _privateOrder, ...fields } = note // the board gives it its own place
    addNote(sharedDoc, origin, { ...fields, createdAt: Date.now() })
    privateDoc.transact(() => notesOf(privateDoc).delete(id))
  }
  return notes.length
}
