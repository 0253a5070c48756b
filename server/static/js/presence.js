// Who is connected, on which board: read from each board's awareness, shown discreetly.
import { h, fill } from './dom.js'

export function setPresence (boards, user) {
  for (const board of boards) {
    board.awareness.setLocalStateField('user', user)
    board.awareness.setLocalStateField('board', board.id)
  }
}

export function renderPresence (el, boards, boardTitles) {
  const seen = new Map()
  for (const board of boards) {
    board.awareness.getStates().forEach((state, clientId) => {
      if (clientId === board.awareness.clientID || !state.user?.name) return
      // One chip per person, or per device for the projector (one awareness per board).
      const key = `${state.user.personId || state.user.device || clientId}`
      const entry = seen.get(key) || { user: state.user, boards: new Set() }
      if (boardTitles[board.id]) entry.boards.add(boardTitles[board.id])
      seen.set(key, entry)
    })
  }
  const people = [...seen.values()].sort((a, b) => a.user.name.localeCompare(b.user.name, 'nl'))
  fill(el, 
    h('span', { class: 'presence-label' }, people.length ? `Ook verbonden (${people.length}):` : 'Verder nog niemand verbonden'),
    people.map(({ user, boards: on }) => h('span', { class: `presence-person role-${user.role}` },
      user.name,
      user.role === 'professional' ? h('span', { class: 'pro-mark' }, ' · prof.') : null,
      on.size ? h('span', { class: 'presence-board' }, ` — ${[...on].join(', ')}`) : null)))
}
