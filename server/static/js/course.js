// The course of the meeting as every screen shows it: the step and what it asks, the timer,
// the closed part. Reads the `verloop` board, which only the server writes.
import { h, fill } from './dom.js'

export const courseState = (verloop) => verloop.doc.getMap('state')

export function currentStep (cfg, verloop) {
  const phase = courseState(verloop).get('phase')
  return cfg.script.steps.find((s) => s.id === phase) || null
}

// What this role may do on a board now, as the server decided it ('none' | 'read' | 'write').
// Screens never guess: until the server's table is here (verloop not loaded yet), nothing is
// writable. The boards still show what is on them.
export function accessNow (cfg, verloop, boardId) {
  const table = courseState(verloop).get('access')
  return table?.[cfg.role]?.[boardId] || 'none'
}

export function stepBanner (cfg) {
  const title = h('h2', { class: 'step-title' })
  const ask = h('p', { class: 'step-ask' })
  const count = h('span', { class: 'step-count' })
  const el = h('section', { class: 'step', 'aria-label': 'Wat we nu doen' }, h('div', {}, count, title), ask)
  el.update = (step) => {
    el.hidden = !step
    if (!step) return
    const i = cfg.script.steps.indexOf(step)
    count.textContent = `Stap ${i + 1} van ${cfg.script.steps.length}`
    title.textContent = step.title
    ask.textContent = step.ask
  }
  return el
}

// The projector's big view of one group, when the facilitator puts it on the screen.
export function spotlightView (cfg, boards, verloop) {
  const el = h('section', { class: 'spotlight-view', hidden: true, 'aria-label': 'Uitgelicht' })
  const render = () => {
    const spot = courseState(verloop).get('spotlight')
    const board = spot && boards.find((b) => b.id === spot.board)
    const group = board?.doc.getMap('groups').get(spot.group)
    el.hidden = !group
    if (!group) return
    const notes = []
    board.doc.getMap('notes').forEach((n) => { if (n.get('group') === spot.group) notes.push(n.toJSON()) })
    notes.sort((a, b) => (a.y || 0) - (b.y || 0))
    fill(el, h('h2', {}, group.get('title') || 'Groep zonder thema'),
      h('ul', { class: 'spotlight-notes' }, notes.map((n) => h('li', { class: `note color-${n.color || 'geel'}` },
        h('span', { class: 'note-text' }, n.text || ''), h('span', { class: 'note-author' }, n.authorName || '')))))
  }
  courseState(verloop).observe(render)
  const watched = new Map() // board id -> stop watching its current document
  // Also called after a board was loaded again from the server (a new document).
  el.watch = (b) => {
    watched.get(b.id)?.()
    const notes = b.doc.getMap('notes')
    const groups = b.doc.getMap('groups')
    notes.observeDeep(render)
    groups.observeDeep(render)
    watched.set(b.id, () => { notes.unobserveDeep(render); groups.unobserveDeep(render) })
    render()
  }
  boards.forEach(el.watch)
  return el
}
