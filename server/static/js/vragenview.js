// The netwerkvragen (board `netwerkvragen`; toolkit 2.10): the twenty questions to map the
// network and the questions per kind of support, as a list to work through next to the other
// network boards. Who comes up at a question is noted with it (a person from the meeting's
// list, or a few words). The facilitator puts one question at a time on the TV ("Op het
// scherm": board/screen.py, verloop's screen.question); the TV shows it large above whatever
// board it shows (questionBanner). The questions come from the layout (board/netwerkvragen.py).
import { h, fill, randomId } from './dom.js'
import { apiFetch } from './config.js'
import { courseState } from './course.js'
import { NetworkView, records, setFields, deleteRecord, formDialog } from './mapping.js'

export const QUESTIONS_BOARD = 'netwerkvragen'

// The question on the TV now (verloop state.screen.question), or null.
export function questionOnScreen (verloop) {
  const screen = courseState(verloop).get('screen')
  return (screen && typeof screen === 'object' && screen.question) || null
}

// All questions of the layout, in order: [{ id, text, group }].
export function allQuestions (layout) {
  return (layout?.groups || []).flatMap((g) => g.questions.map((q) => ({ ...q, group: g })))
}

// The facilitator puts a question on the TV, or takes it off (null).
export function putOnScreen (cfg, question, by = '') {
  return apiFetch(cfg, `/api/meetings/${cfg.meetingId}/screen`, { question, by })
}

// On the TV: the question the facilitator put on it, large, above the board.
export function questionBanner (cfg, verloop) {
  const board = cfg.boards.find((b) => b.id === QUESTIONS_BOARD)
  const el = h('section', { class: 'tv-question', hidden: true, 'aria-live': 'polite', 'aria-label': board?.title || '' })
  if (!board) return el
  const questions = allQuestions(board.layout)
  const render = () => {
    const id = questionOnScreen(verloop)
    const q = questions.find((x) => x.id === id)
    el.hidden = !q
    if (q) fill(el, h('span', { class: 'tv-question-group' }, q.group.title), h('p', { class: 'tv-question-text' }, q.text))
  }
  courseState(verloop).observe(render)
  render()
  return el
}

export class VragenView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    this.open = new Set([this.layout.groups[0]?.id]) // groups unfolded on this screen
    if (ctx.verloop) courseState(ctx.verloop).observe(() => this.schedule())
    root.addEventListener('click', (event) => this.onClick(event))
    root.addEventListener('toggle', (event) => {
      const group = event.target.dataset?.group
      if (group) event.target.open ? this.open.add(group) : this.open.delete(group)
    }, true)
  }

  get answersMap () { return this.doc.getMap('answers') }

  // The facilitator steers the TV (the server checks it too).
  steersTv () { return !this.ctx.readOnly && !!this.ctx.spotlight }

  answers (question, byId) {
    return records(this.answersMap)
      .filter((a) => a.question === question && ((a.person && byId[a.person]) || a.text))
      .sort((a, b) => (a.createdAt || 0) - (b.createdAt || 0) || (a.id < b.id ? -1 : 1))
  }

  onClick (event) {
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el) || this.ctx.readOnly) return
    const { action, id } = el.dataset
    if (action === 'screen') {
      const on = questionOnScreen(this.ctx.verloop) === id
      putOnScreen(this.ctx.cfg, on ? null : id, this.ctx.person?.()?.name || '')
      return
    }
    if (!this.writes()) return
    if (action === 'answer') this.answer(id)
    else if (action === 'remove-answer') this.removeAnswer(id)
  }

  // Who comes up at this question: people from the list, and or a few words.
  async answer (question) {
    const q = allQuestions(this.layout).find((x) => x.id === question)
    if (!q) return
    const { list, byId } = this.people()
    const named = new Set(this.answers(question, byId).map((a) => a.person).filter(Boolean))
    const limit = this.ctx.cfg.limits.short
    const { action, form } = await formDialog(q.text, () => [
      h('fieldset', { class: 'choices checks' }, h('legend', {}, 'Wie komt er in je op?'),
        list.filter((p) => !named.has(p.id)).map((p) => h('label', { class: 'choice' },
          h('input', { type: 'checkbox', name: 'people', value: p.id }), h('span', {}, p.name))),
        list.length ? null : h('p', { class: 'hint' }, 'Er staat nog niemand op de lijst.')),
      h('label', { for: 'nb-vraag-text' }, 'Of schrijf het op (bijvoorbeeld iemand die nog niet op de lijst staat)'),
      h('input', { id: 'nb-vraag-text', name: 'text', maxlength: limit, autocomplete: 'off' }),
      this.mayAddPeople() ? h('p', { class: 'hint' }, 'Is het iemand die belangrijk is? Zet hem of haar dan ook op de lijst "Wie horen erbij?".') : null
    ], [['save', 'Toevoegen', 'primary'], ['cancel', 'Annuleren']])
    if (action !== 'save' || !this.writes()) return
    const people = [...form.querySelectorAll('input[name="people"]:checked')].map((b) => b.value).filter((id) => byId[id])
    const text = form.elements.text.value.trim().replace(/\s+/g, ' ').slice(0, limit)
    this.doc.transact(() => {
      for (const person of people) setFields(this.doc, null, this.answersMap, randomId(), {}, { question, person, createdAt: Date.now() })
      if (text) setFields(this.doc, null, this.answersMap, randomId(), {}, { question, text, createdAt: Date.now() })
    }, this.ctx.origin())
  }

  async removeAnswer (id) {
    const a = records(this.answersMap).find((x) => x.id === id)
    if (!a) return
    const name = a.person ? this.people().byId[a.person]?.name : a.text
    const { action } = await formDialog(`${name || ''} weghalen bij deze vraag?`, () => h('p', {}, 'De persoon blijft op de lijst.'),
      [['remove', 'Weghalen', 'danger'], ['cancel', 'Annuleren']])
    if (action === 'remove' && this.writes()) deleteRecord(this.doc, this.ctx.origin(), this.answersMap, id)
  }

  answerChip (a, byId, write) {
    const label = a.person ? byId[a.person].name : a.text
    return write
      ? h('button', { type: 'button', class: 'answer-chip', dataset: { action: 'remove-answer', id: a.id }, 'aria-label': `${label}: weghalen` }, label)
      : h('span', { class: 'answer-chip' }, label)
  }

  question (q, byId, write, onScreen) {
    const answers = this.answers(q.id, byId)
    return h('li', { class: `vraag${onScreen ? ' on-screen' : ''}`, dataset: { question: q.id } },
      h('p', { class: 'vraag-text' }, q.text),
      answers.length ? h('div', { class: 'answers' }, answers.map((a) => this.answerChip(a, byId, write))) : null,
      write || this.steersTv()
        ? h('div', { class: 'vraag-actions' },
          write ? h('button', { type: 'button', class: 'secondary small', dataset: { action: 'answer', id: q.id } }, '+ Wie?', h('span', { class: 'sr-only' }, ` ${q.text}`)) : null,
          this.steersTv()
            ? h('button', { type: 'button', class: 'secondary small', 'aria-pressed': String(onScreen), dataset: { action: 'screen', id: q.id } },
              onScreen ? 'Van het scherm halen' : this.layout.onScreen, h('span', { class: 'sr-only' }, `: ${q.text}`))
            : null)
        : null)
  }

  render () {
    const { byId } = this.people()
    const current = this.ctx.verloop ? questionOnScreen(this.ctx.verloop) : null
    if (this.ctx.readOnly) {
      // On the TV: the question on the screen with who came up, else the questions that have
      // answers, else the twenty questions.
      const all = allQuestions(this.layout)
      const q = all.find((x) => x.id === current)
      const answered = all.filter((x) => this.answers(x.id, byId).length)
      const shown = q ? [q] : answered.length ? answered : this.layout.groups[0].questions.map((x) => ({ ...x, group: this.layout.groups[0] }))
      fill(this.root, h('div', { class: `vragen-board vragen-tv${q ? ' vragen-one' : ''}`, 'data-tv-fit': 'netwerkvragen' },
        h('ol', { class: 'vragen-list' }, shown.map((x) => this.question(x, byId, false, x.id === current)))))
      return
    }
    const write = this.writes()
    fill(this.root, h('div', { class: 'vragen-board' },
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      this.layout.groups.map((g) => {
        const count = g.questions.filter((q) => this.answers(q.id, byId).length).length
        return h('details', { class: 'vragen-group', dataset: { group: g.id }, open: this.open.has(g.id) || g.questions.some((q) => q.id === current) },
          h('summary', {}, h('span', { class: 'vragen-title' }, g.title), ' ',
            h('span', { class: 'vragen-explain' }, g.explain),
            count ? h('span', { class: 'vragen-count' }, ` (${count} met antwoord)`) : null),
          h('ol', { class: 'vragen-list' }, g.questions.map((q) => this.question(q, byId, write, q.id === current))))
      })))
  }
}
