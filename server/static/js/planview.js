// The actieteam's plan: goals (from the doelenmatrix or typed), per goal its actions, the help
// needed, the actieteam and the evaluation date. Each field is one value in the `plan` board
// document, written when you leave the field or stop typing; what others change shows at once,
// except in the field you are typing in. The statuses and limits come from cfg (board/plan.py).
import * as Y from 'yjs'
import { h, fill, reconcile, Memo, randomId } from './dom.js'
import { confirmDialog } from './dialogs.js'
import { meetingPeople } from './people.js'
import { PEOPLE_BOARD, followPeople, peopleList, peopleReloaded } from './peopleview.js'
import { downloadUrl, planPageUrl } from './config.js'
import { dutchDate } from './dates.js'

export const goalsOf = (doc) => doc.getMap('goals')
const actionsOf = (doc) => doc.getMap('actions')
const teamOf = (doc) => doc.getMap('team')
const infoOf = (doc) => doc.getMap('info')
const same = (a, b) => a.trim().toLocaleLowerCase('nl') === b.trim().toLocaleLowerCase('nl')

function sorted (map, filter = () => true) {
  const out = []
  map.forEach((v, id) => { if (v instanceof Y.Map && filter(v)) out.push([id, v]) })
  return out.sort((a, b) => (a[1].get('order') || 0) - (b[1].get('order') || 0) || (a[0] < b[0] ? -1 : 1))
}

// "Maak er een doel van in het plan": copy a goal from the doelenmatrix, keeping its tags.
export function goalFromNote (planDoc, origin, noteId, note) {
  const existing = sorted(goalsOf(planDoc)).find(([, g]) => g.get('from') === noteId)
  if (existing) return existing[0]
  const id = randomId()
  planDoc.transact(() => {
    const goal = new Y.Map()
    goalsOf(planDoc).set(id, goal)
    for (const [k, v] of Object.entries({
      text: note.text || '', tags: note.tags || [], help: note.help || '', from: noteId,
      order: Date.now(), createdAt: Date.now()
    })) goal.set(k, v)
  }, origin)
  return id
}

export class PlanView {
  // ctx as for BoardView, plus verloop (for the list of people)
  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.doc = board.doc
    this.ctx = ctx
    this.limits = ctx.cfg.limits
    this.memo = new Memo()
    this.bindings = new Set()
    this.frame = 0
    this.unobserve = []
    this.observe(this.doc)
    ctx.verloop?.doc.getMap('state').observeDeep(() => this.schedule())
    this.people = ctx.other ? ctx.other(PEOPLE_BOARD) : null
    this.watchPeople()
  }

  watchPeople () { followPeople(this) }

  otherReset (board) { peopleReloaded(this, board) }

  // The meeting's people (board `mensen`): [{ id, name, relation, sector }].
  listPeople () { return this.people ? peopleList(this.people.doc) : [] }
  personById (id) { return id ? this.listPeople().find((p) => p.id === id) || null : null }
  personNamed (name) { return name ? this.listPeople().find((p) => same(p.name, name)) || null : null }

  observe (doc) {
    const schedule = () => this.schedule()
    for (const map of [goalsOf(doc), actionsOf(doc), teamOf(doc), infoOf(doc)]) {
      map.observeDeep(schedule)
      this.unobserve.push(() => map.unobserveDeep(schedule))
    }
  }

  // The board was loaded again from the server: every field is bound to the new document.
  setDoc (doc) {
    this.unobserve.forEach((off) => off())
    this.unobserve = []
    this.doc = doc
    this.observe(doc)
    this.memo.clear()
    this.bindings.clear()
    this.schedule()
  }

  schedule () {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render() })
  }

  setPrivateDoc () {}
  postAll () { return 0 }
  write () { return !this.ctx.readOnly && this.ctx.mode('plan').write }
  origin () { return this.ctx.origin() }

  // An input bound to one key of a Y.Map: written on change or after a pause in typing.
  // A date also reads in Dutch words next to it ("8 januari 2025"); who may not change the
  // plan sees only the words.
  field (map, key, attrs, tag = 'input') {
    const write = this.write()
    const words = attrs.type === 'date' ? h('span', { class: 'date-words', 'aria-hidden': write ? 'true' : null }) : null
    const el = h(tag, { ...attrs, disabled: !write, hidden: !!words && !write })
    let timer = 0
    const save = () => {
      clearTimeout(timer)
      const value = el.value.trim()
      if ((map.get(key) ?? '') !== value) this.doc.transact(() => map.set(key, value), this.origin())
    }
    el.addEventListener('change', save)
    el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(save, 600) })
    const binding = {
      el,
      refresh: () => {
        if (document.activeElement !== el) el.value = map.get(key) ?? ''
        if (words) words.textContent = dutchDate(el.value)
      }
    }
    if (words) el.addEventListener('input', () => { words.textContent = dutchDate(el.value) })
    binding.refresh()
    this.bindings.add(binding)
    return words ? h('span', { class: 'date-field' }, el, words) : el
  }

  // Taking the plan home: the plan page to print or save as a PDF, the plan as text, a picture
  // of each board. The JSON for the case file only for the facilitator; nothing on the TV.
  renderSave () {
    const cfg = this.ctx.cfg
    if (this.ctx.readOnly) return this.memo.get('tools', 'tv', () => h('div', { class: 'plan-tools', hidden: true }))
    return this.memo.get('tools', cfg.role, () => {
      const api = `/api/meetings/${cfg.meetingId}`
      const link = (label, href, attrs = {}) => h('a', { class: 'button secondary-link', href, ...attrs }, label)
      return h('section', { class: 'plan-tools', 'aria-labelledby': 'nb-save-title' },
        h('h3', { id: 'nb-save-title', class: 'plan-tools-title' }, 'Het plan bewaren'),
        h('p', { class: 'hint' }, 'Neem het plan mee naar huis: als PDF, als tekst of als plaatje.'),
        h('div', { class: 'plan-tools-links' },
          h('a', { class: 'button', href: `${planPageUrl(cfg)}#afdrukken`, target: '_blank', rel: 'noopener' }, 'Opslaan als PDF'),
          link('Downloaden als tekst', downloadUrl(cfg, `${api}/export.txt`), { download: '' }),
          cfg.role === 'facilitator'
            ? link('Downloaden voor het dossier (JSON)', downloadUrl(cfg, `${api}/export.json`), { download: '', class: 'button secondary-link dossier' })
            : null),
        // A picture of each board: folded away, so that the plan itself stays near the top.
        h('details', { class: 'plan-pictures' },
          h('summary', {}, 'Plaatjes van de borden'),
          h('div', { class: 'plan-tools-links' }, cfg.boards.filter((b) => (cfg.pictures || []).includes(b.id)).map((b) =>
            link(`Plaatje: ${b.title}`, downloadUrl(cfg, `${api}/boards/${b.id}.svg`), { download: `${b.title}.svg` })))))
    })
  }

  // One line of text that wraps instead of being cut off: the field grows with its words
  // (screens.css), and Enter adds no new line.
  lineField (map, key, attrs) {
    const el = this.field(map, key, { ...attrs, rows: 1, class: `${attrs.class || ''} line-field`.trim() }, 'textarea')
    el.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') { event.preventDefault(); el.dispatchEvent(new Event('change')) }
    })
    return el
  }

  render () {
    if (document.body.classList.contains('is-waiting')) { this.memo.clear(); return fill(this.root) }
    const write = this.write()
    const goals = sorted(goalsOf(this.doc))
    // Names to pick from: the meeting's list of people first (a name picked there is kept as
    // that person's id), then who joined the meeting and is not on it.
    const listed = this.listPeople().map((p) => p.name)
    const joined = this.ctx.verloop ? meetingPeople(this.ctx.verloop.doc).filter((p) => p.role !== 'scherm') : []
    const names = [...listed, ...joined.map((p) => p.name).filter((n) => !listed.some((l) => same(l, n)))]
    const datalist = this.memo.get('people', JSON.stringify(names), () =>
      h('datalist', { id: 'nb-plan-people' }, names.map((n) => h('option', { value: n }))))
    // "Hoe staat het ervoor?" on every goal and action: in an evaluation, or once marked.
    this.marks = !!this.ctx.cfg.script.progress || [...goalsOf(this.doc).values(), ...actionsOf(this.doc).values()]
      .some((v) => v instanceof Y.Map && v.get('progress'))
    const tools = this.renderSave()
    const list = this.memo.get('goals', '', () => h('div', { class: 'plan-goals' }))
    reconcile(list, goals.length ? goals.map(([id, goal]) => this.renderGoal(id, goal, write))
      : [this.memo.get('empty', '', () => h('p', { class: 'hint' },
        'Nog geen doelen. Tik in "Doelen in beeld" op een doel en kies "Maak er een doel van in het plan", of voeg hier een doel toe.'))])
    const addGoal = this.memo.get('add-goal', String(write), () => write
      ? h('button', { class: 'secondary', onclick: () => this.addGoal() }, '+ Doel toevoegen') : h('span'))
    reconcile(this.root, [tools, datalist, list, addGoal, this.renderTeam(write), this.renderInfo(write)])
    this.memo.sweep()
    for (const b of this.bindings) if (!b.el.isConnected) this.bindings.delete(b); else b.refresh()
  }

  renderGoal (id, goal, write) {
    const actions = sorted(actionsOf(this.doc), (a) => a.get('goal') === id)
    const tags = goal.get('tags') || []
    const head = this.memo.get(`ghead:${id}`, JSON.stringify([write, tags, this.marks]), () => h('div', { class: 'goal-head' },
      h('label', { class: 'sr-only', for: `goal-${id}` }, 'Doel'),
      this.lineField(goal, 'text', { id: `goal-${id}`, class: 'goal-text', maxlength: this.limits.text }),
      tags.length ? h('span', { class: 'note-tags' }, tags.map((t) => h('span', { class: `tag tag-${t}` }, this.ctx.cfg.tagShort[t] || t))) : null,
      write ? h('button', { class: 'danger small', onclick: () => this.removeGoal(id) }, 'Doel weghalen') : null,
      this.marks ? h('div', { class: 'goal-progress' }, h('span', { class: 'progress-question' }, 'Hoe staat dit doel ervoor?'),
        this.progressControl(goal, 'Hoe staat dit doel ervoor?')) : null))
    const rows = this.memo.get(`rows:${id}`, '', () => h('tbody'))
    reconcile(rows, actions.map(([aid, action]) => this.renderAction(aid, action, write)))
    const heads = ['Wat', 'Wie', 'Vanaf', 'Tot', 'Hoe gaat het', 'Wat moet er nog gebeuren', ...(this.marks ? ['Bij de evaluatie'] : []), '']
    const table = this.memo.get(`table:${id}`, String(this.marks), () => h('table', { class: 'actions-table' },
      h('caption', { class: 'sr-only' }, 'Acties'),
      h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))),
      rows))
    const foot = this.memo.get(`gfoot:${id}`, String(write), () => h('div', { class: 'goal-foot' },
      write ? h('button', { class: 'secondary small', onclick: () => this.addAction(id) }, '+ Actie') : null,
      h('label', { for: `hn-${id}` }, 'Welke hulp is nodig van het netwerk?'),
      this.field(goal, 'hulpNetwerk', { id: `hn-${id}`, rows: 2, maxlength: this.limits.text }, 'textarea'),
      h('label', { for: `hp-${id}` }, 'Welke hulp is nodig van professionals?'),
      this.field(goal, 'hulpProfessionals', { id: `hp-${id}`, rows: 2, maxlength: this.limits.text }, 'textarea')))
    const card = this.memo.get(`goal:${id}`, '', () => h('article', { class: 'goal-card', dataset: { goal: id } }))
    return reconcile(card, [head, table, foot])
  }

  // Behaald / loopt / loopt niet (board/plan.py PROGRESS, cfg.planProgress): one tap; the
  // same tap again takes the mark away.
  progressControl (record, label) {
    const buttons = Object.entries(this.ctx.cfg.planProgress || {}).map(([value, text]) => h('button', {
      type: 'button',
      class: `toggle progress-${value}`,
      disabled: !this.write(),
      dataset: { value },
      onclick: () => this.doc.transact(() => {
        if (record.get('progress') === value) record.delete('progress')
        else record.set('progress', value)
      }, this.origin())
    }, text))
    const group = h('div', { class: 'progress-marks', role: 'group', 'aria-label': label }, buttons)
    const refresh = () => { for (const b of buttons) b.setAttribute('aria-pressed', String(record.get('progress') === b.dataset.value)) }
    this.bindings.add({ el: group, refresh })
    refresh()
    return group
  }

  // "Wie": a name typed or picked. A name on the meeting's list of people (board `mensen`) is
  // kept as that person's id too (`person`): renamed there, renamed here. Another name is kept
  // as it was typed (`wie`).
  personField (record, attrs) {
    const el = h('input', { ...attrs, disabled: !this.write() })
    const shown = () => this.personById(record.get('person'))?.name ?? record.get('wie') ?? ''
    let timer = 0
    const save = () => {
      clearTimeout(timer)
      const value = el.value.trim()
      if (value === shown()) return
      const person = this.personNamed(value)
      this.doc.transact(() => {
        record.set('wie', person ? person.name : value)
        if (person) record.set('person', person.id)
        else if (record.has('person')) record.delete('person')
      }, this.origin())
    }
    el.addEventListener('change', save)
    el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(save, 600) })
    this.bindings.add({ el, refresh: () => { if (document.activeElement !== el) el.value = shown() } })
    el.value = shown()
    return el
  }

  renderAction (aid, action, write) {
    return this.memo.get(`action:${aid}`, `${write}:${this.marks}`, () => {
      const cell = (key, label, attrs, tag) => h('td', {}, h('label', { class: 'sr-only', for: `${key}-${aid}` }, label),
        tag === 'line' ? this.lineField(action, key, { id: `${key}-${aid}`, ...attrs }) : this.field(action, key, { id: `${key}-${aid}`, ...attrs }, tag))
      const status = h('select', { id: `status-${aid}`, disabled: !write },
        Object.entries(this.ctx.cfg.planStatuses).map(([v, label]) => h('option', { value: v }, label)))
      const refresh = () => { if (document.activeElement !== status) status.value = action.get('status') || this.ctx.cfg.defaultPlanStatus }
      status.addEventListener('change', () => this.doc.transact(() => action.set('status', status.value), this.origin()))
      this.bindings.add({ el: status, refresh })
      refresh()
      return h('tr', { dataset: { action: aid } },
        cell('wat', 'Wat', { maxlength: this.limits.short }, 'line'),
        h('td', {}, h('label', { class: 'sr-only', for: `wie-${aid}` }, 'Wie'),
          this.personField(action, { id: `wie-${aid}`, maxlength: this.limits.name, list: 'nb-plan-people' })),
        cell('vanaf', 'Vanaf', { type: 'date' }),
        cell('tot', 'Tot', { type: 'date' }),
        h('td', {}, h('label', { class: 'sr-only', for: `status-${aid}` }, 'Hoe gaat het'), status),
        cell('nogDoen', 'Wat moet er nog gebeuren', { maxlength: this.limits.text }, 'line'),
        this.marks ? h('td', { class: 'action-progress' }, h('span', { class: 'sr-only cell-label' }, 'Bij de evaluatie'),
          this.progressControl(action, 'Hoe staat deze actie ervoor?')) : null,
        h('td', {}, write
          ? h('button', { class: 'danger small', onclick: () => this.removeAction(aid), 'aria-label': 'Actie weghalen' },
            h('span', { 'aria-hidden': 'true' }, '×'), h('span', { class: 'action-remove-words' }, ' Actie weghalen')) // words on a card (screens.css)
          : null))
    })
  }

  // The actieteam: who carries the plan out. Picked with one tap from the meeting's list of
  // people (kept by their id: renamed there, renamed here), or typed.
  renderTeam (write) {
    const team = sorted(teamOf(this.doc)).map(([id, m]) =>
      ({ id, person: m.get('person') || '', name: this.personById(m.get('person'))?.name || m.get('name') || '' }))
    const people = this.listPeople()
    const sig = JSON.stringify([write, team, people.map((p) => [p.id, p.name])])
    return this.memo.get('team', sig, () => {
      const member = (p) => team.find((m) => m.person === p.id || (!m.person && same(m.name, p.name)))
      const join = (p, name) => this.doc.transact(() => {
        const m = new Y.Map()
        teamOf(this.doc).set(randomId(), m)
        m.set('name', p ? p.name : name)
        if (p) m.set('person', p.id)
        m.set('order', Date.now())
      }, this.origin())
      const leave = (id) => this.doc.transact(() => teamOf(this.doc).delete(id), this.origin())
      const input = h('input', { id: 'nb-team-add', list: 'nb-plan-people', maxlength: this.limits.name })
      const add = (event) => {
        event.preventDefault()
        const name = input.value.trim()
        if (!name) return
        const p = this.personNamed(name)
        if (p && member(p)) { input.value = ''; return }
        join(p, name)
      }
      return h('section', { class: 'plan-team', 'aria-labelledby': 'nb-team-title' },
        h('h3', { id: 'nb-team-title' }, 'Het actieteam'),
        h('ul', { class: 'team-list' }, team.length ? team.map((m) => h('li', {}, m.name,
          write ? h('button', { class: 'danger small', 'aria-label': `${m.name} weghalen`, onclick: () => leave(m.id) }, '×') : null))
          : h('li', { class: 'hint' }, 'Nog niemand')),
        write && people.length
          ? h('div', { class: 'team-pick' },
            h('p', { class: 'hint', id: 'nb-team-pick' }, 'Tik op wie meedoet. De namen komen uit "Wie horen erbij?".'),
            h('div', { class: 'team-people', role: 'group', 'aria-labelledby': 'nb-team-pick' }, people.map((p) => {
              const m = member(p)
              return h('button', {
                type: 'button', class: 'toggle', 'aria-pressed': String(!!m), dataset: { person: p.id },
                onclick: () => (m ? leave(m.id) : join(p))
              }, p.name)
            })))
          : null,
        write ? h('form', { class: 'team-add', onsubmit: add },
          h('label', { for: 'nb-team-add' }, people.length ? 'Iemand anders in het actieteam?' : 'Wie zit er in het actieteam?'), input,
          h('button', { class: 'secondary small', type: 'submit' }, 'Toevoegen')) : null)
    })
  }

  renderInfo (write) {
    return this.memo.get('info', String(write), () => h('section', { class: 'plan-info' },
      h('label', { for: 'nb-evaluatie' }, 'Wanneer evalueren we het plan?'),
      this.field(infoOf(this.doc), 'evaluatie', { id: 'nb-evaluatie', type: 'date' })))
  }

  addGoal () {
    const id = randomId()
    this.doc.transact(() => {
      const goal = new Y.Map()
      goalsOf(this.doc).set(id, goal)
      goal.set('text', '')
      goal.set('order', Date.now())
      goal.set('createdAt', Date.now())
    }, this.origin())
    requestAnimationFrame(() => document.getElementById(`goal-${id}`)?.focus())
  }

  addAction (goalId) {
    const id = randomId()
    this.doc.transact(() => {
      const action = new Y.Map()
      actionsOf(this.doc).set(id, action)
      for (const [k, v] of Object.entries({ goal: goalId, wat: '', wie: '', status: this.ctx.cfg.defaultPlanStatus, order: Date.now(), createdAt: Date.now() })) action.set(k, v)
    }, this.origin())
    requestAnimationFrame(() => document.getElementById(`wat-${id}`)?.focus())
  }

  async removeGoal (id) {
    const ok = await confirmDialog({ title: 'Doel weghalen?', text: 'Het doel en de acties erbij gaan van het plan af.', yes: 'Weghalen' })
    if (!ok) return
    this.doc.transact(() => {
      for (const [aid] of sorted(actionsOf(this.doc), (a) => a.get('goal') === id)) actionsOf(this.doc).delete(aid)
      goalsOf(this.doc).delete(id)
    }, this.origin())
  }

  removeAction (aid) {
    this.doc.transact(() => actionsOf(this.doc).delete(aid), this.origin())
  }

  destroy () { this.peopleOff?.() }
}
