// Who is connected, on which board: read from each board's awareness, shown discreetly.
import { h, fill } from './dom.js'

export function setPresence (boards, user) {
  for (const board of boards) {
    board.awareness.setLocalStateField('user', user)
    board.awareness.setLocalStateField('board', board.id)
  }
}

// One chip per person, with its name only: every device has every board open, so a list of
// boards per person would say nothing.
export function renderPresence (el, boards) {
  const seen = new Map()
  for (const board of boards) {
    board.awareness.getStates().forEach((state, clientId) => {
      if (clientId === board.awareness.clientID || !state.user?.name) return
      // One chip per person, or per device for the projector (one awareness per board).
      const key = `${state.user.personId || state.user.device || clientId}`
      if (!seen.has(key)) seen.set(key, { user: state.user })
    })
  }
  const people = [...seen.values()].sort((a, b) => a.user.name.localeCompare(b.user.name, 'nl'))
  fill(el, 
    h('span', { class: 'presence-label' }, people.length ? `Ook verbonden (${people.length}):` : 'Verder nog niemand verbonden'),
    people.map(({ user }) => h('span', { class: `presence-person role-${user.role}` },
      user.name,
      user.role === 'professional' ? h('span', { class: 'pro-mark' }, ' · professional') : null)))
}
