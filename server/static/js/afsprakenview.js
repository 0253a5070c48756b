// Afspraken en bezoekregeling (board `afspraken`, board/afspraken.py): agreements between
// parents, foster parents and professionals — who, what, how often, how (bezoek, telefoon,
// mail, foto's), who is there or supervises, when we look at it again — and the answers to
// the startbespreking's questions. Drawn from the board's layout (parts, topics, forms,
// questions, labels); people are picked from the meeting's one list (board `mensen`, through
// ctx.other) and kept by their id, so a name is changed in one place.
import * as Y from 'yjs'
import { h, fill, reconcile, Memo, randomId } from './dom.js'
import { confirmDialog } from './dialogs.js'
import { currentStep } from './course.js'
import { dutchDate } from './dates.js'
import { PEOPLE_BOARD, followPeople, peopleList, peopleReloaded } from './peopleview.js'

export const agreementsOf = (doc) => doc.getMap('afspraken')
export const answersOf = (doc) => doc.getMap('antwoorden')

// The agreements of one topic, in the order they were made.
function agreements (doc, topic) {
  const out = []
  agreementsOf(doc).forEach((a, id) => {
    if (a instanceof Y.Map && (a.get('topic') || 'anders') === topic) out.push([id, a])
  })
  return out.sort((a, b) => (a[1].get('order') || 0) - (b[1].get('order') || 0) || (a[0] < b[0] ? -1 : 1))
}

// What both views share: the layout, the people board, drawing once per frame.
class Base {
  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.cfg = boardCfg
    this.layout = boardCfg.layout
    this.ctx = ctx
    this.frame = 0
    this.unobserve = []
    this.people = ctx.other ? ctx.other(PEOPLE_BOARD) : null
    this.peopleOff = null
    this.watchPeople()
    ctx.verloop?.doc.getMap('state').observe(() => this.schedule()) // the step: its focus
    this.setDoc(board.doc)
  }

  setDoc (doc) {
    this.unobserve.forEach((off) => off())
    this.doc = doc
    const schedule = () => this.schedule()
    this.unobserve = [agreementsOf(doc), answersOf(doc)].map((m) => {
      m.observeDeep(schedule)
      return () => m.unobserveDeep(schedule)
    })
    this.reset?.()
    this.schedule()
  }

  watchPeople () { followPeople(this) }

  otherReset (board) { peopleReloaded(this, board) }

  schedule () {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render() })
  }

  setPrivateDoc () {}
  postAll () { return 0 }

  peopleNow () { return this.people ? peopleList(this.people.doc) : [] }
  topic (id) { return this.layout.topics.find((t) => t.id === id) }
  question (id) { return this.layout.questions.find((q) => q.id === id) }

  // The part the current step is about, when the step shows this board (Step.focus).
  focus () {
    const step = this.ctx.verloop ? currentStep(this.ctx.cfg, this.ctx.verloop) : null
    return step && step.board === this.cfg.id ? step.focus || null : null
  }

  partTitle (part) {
    return part.topic ? this.topic(part.topic).title : part.title
  }

  partAsk (part) {
    return part.topic ? this.topic(part.topic).ask : part.ask || ''
  }

  destroy () {
    this.unobserve.forEach((off) => off())
    this.peopleOff?.()
  }
}

export class AfsprakenView extends Base {
  reset () {
    this.memo = this.memo || new Memo()
    this.memo.clear()
    this.bindings = new Set()
    this.shownFocus = undefined
  }

  write () { return !this.ctx.readOnly && this.ctx.mode(this.cfg.id).write }
  origin () { return this.ctx.origin() }

  // A field bound to one key of a Y.Map: written when you leave it or stop typing; what others
  // change shows at once, except in the field you are typing in.
  field (map, key, attrs, tag = 'input') {
    const el = h(tag, { ...attrs, disabled: !this.write() })
    let timer = 0
    const save = () => {
      clearTimeout(timer)
      const value = el.value.trim()
      if ((map.get(key) ?? '') !== value) this.doc.transact(() => map.set(key, value), this.origin())
    }
    el.addEventListener('change', save)
    el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(save, 600) })
    this.bindings.add({ el, refresh: () => { if (document.activeElement !== el) el.value = map.get(key) ?? '' } })
    el.value = map.get(key) ?? ''
    return el
  }

  // Buttons that switch ids in and out of a list field (people, forms): one tap each.
  toggles (map, key, options, label) {
    const write = this.write()
    const group = h('div', { class: 'afspraak-toggles', role: 'group', 'aria-label': label })
    const buttons = options.map((o) => {
      const b = h('button', {
        type: 'button',
        class: 'toggle',
        disabled: !write,
        dataset: { value: o.id },
        onclick: () => {
          const now = (map.get(key) || []).filter((v) => typeof v === 'string')
          const next = now.includes(o.id) ? now.filter((v) => v !== o.id) : [...now, o.id]
          this.doc.transact(() => map.set(key, next), this.origin())
        }
      }, o.title)
      return b
    })
    this.bindings.add({
      el: group,
      refresh: () => {
        const now = map.get(key) || []
        for (const b of buttons) b.setAttribute('aria-pressed', String(now.includes(b.dataset.value)))
      }
    })
    return fill(group, buttons)
  }

  render () {
    if (document.body.classList.contains('is-waiting')) { this.memo.clear(); return fill(this.root) }
    const write = this.write()
    const people = this.peopleNow()
    const who = JSON.stringify([write, people.map((p) => [p.id, p.name])]) // what the pickers show
    const focus = this.focus()
    const explain = this.memo.get('explain', '', () => h('p', { class: 'board-explain' }, this.cfg.explain))
    const parts = this.layout.parts.map((part) => {
      const el = this.memo.get(`part:${part.id}`, '', () => h('section', {
        class: 'afspraken-part', dataset: { part: part.id }, 'aria-labelledby': `nb-part-${part.id}`
      }))
      el.classList.toggle('is-focus', part.id === focus)
      const head = this.memo.get(`head:${part.id}`, '', () => h('div', { class: 'afspraken-part-head' },
        h('h3', { id: `nb-part-${part.id}` }, this.partTitle(part)),
        this.partAsk(part) ? h('p', { class: 'hint' }, this.partAsk(part)) : null))
      return reconcile(el, [head, ...(part.topic ? this.renderTopic(part.topic, write, people, who) : this.renderQuestions(part, write))])
    })
    reconcile(this.root, [explain, ...parts])
    this.memo.sweep()
    for (const b of this.bindings) if (!b.el.isConnected) this.bindings.delete(b); else b.refresh()
    if (focus !== this.shownFocus) {
      this.shownFocus = focus
      // Another step: the part it is about comes into view (the step's own words say why).
      if (focus) this.root.querySelector(`[data-part="${focus}"]`)?.scrollIntoView({ block: 'nearest' })
    }
  }

  renderQuestions (part, write) {
    return part.questions.map((id) => this.memo.get(`q:${id}`, String(write), () => {
      const q = this.question(id)
      return h('div', { class: 'afspraken-question' },
        h('label', { for: `nb-vraag-${id}` }, q.question),
        this.field(answersOf(this.doc), id, { id: `nb-vraag-${id}`, rows: 3, maxlength: this.ctx.cfg.limits.text }, 'textarea'))
    }))
  }

  renderTopic (topic, write, people, who) {
    const items = agreements(this.doc, topic)
    const list = this.memo.get(`list:${topic}`, '', () => h('div', { class: 'afspraak-cards' }))
    reconcile(list, items.length
      ? items.map(([id, a]) => this.renderCard(id, a, write, people, who))
      : [this.memo.get(`empty:${topic}`, '', () => h('p', { class: 'hint afspraak-empty' }, 'Nog geen afspraken.'))])
    const add = this.memo.get(`add:${topic}`, String(write), () => write
      ? h('button', { type: 'button', class: 'secondary', onclick: () => this.add(topic) }, '+ Afspraak')
      : h('span'))
    return [list, add]
  }

  // One agreement as a card. The card and its text fields are made once (typing is never
  // interrupted); the people pickers are made again when the list of people changes.
  renderCard (id, a, write, people, who) {
    const labels = this.layout.labels
    const card = this.memo.get(`card:${id}`, String(write), () => {
      const date = this.field(a, 'evaluatie', { id: `nb-ev-${id}`, type: 'date' })
      const words = h('span', { class: 'date-words' })
      const showWords = () => { words.textContent = dutchDate(date.value) }
      date.addEventListener('input', showWords)
      this.bindings.add({ el: words, refresh: showWords })
      const el = h('article', { class: 'afspraak-card', dataset: { afspraak: id } },
        h('label', { for: `nb-wat-${id}` }, labels.wat),
        this.field(a, 'wat', { id: `nb-wat-${id}`, rows: 2, maxlength: this.ctx.cfg.limits.text, class: 'afspraak-wat' }, 'textarea'),
        h('div', { class: 'afspraak-field' }, h('span', { class: 'afspraak-label' }, labels.wie), h('div', { class: 'afspraak-who' })),
        h('div', { class: 'afspraak-row' },
          h('div', { class: 'afspraak-field' },
            h('label', { for: `nb-vaak-${id}` }, labels.hoeVaak),
            this.field(a, 'hoeVaak', { id: `nb-vaak-${id}`, maxlength: this.ctx.cfg.limits.short, placeholder: 'bijvoorbeeld: elke week' })),
          h('div', { class: 'afspraak-field' },
            h('label', { for: `nb-beg-${id}` }, labels.begeleider), h('div', { class: 'afspraak-supervisor' }))),
        h('div', { class: 'afspraak-field' }, h('span', { class: 'afspraak-label' }, labels.vorm),
          this.toggles(a, 'vorm', this.layout.forms, labels.vorm)),
        h('div', { class: 'afspraak-field' },
          h('label', { for: `nb-ev-${id}` }, labels.evaluatie), h('span', { class: 'date-field' }, date, words)),
        write ? h('button', { type: 'button', class: 'danger small', onclick: () => this.remove(id) }, 'Afspraak weghalen') : null)
      return el
    })
    const pickers = this.memo.get(`who:${id}`, who, () => {
      const supervisor = h('select', { id: `nb-beg-${id}`, disabled: !write },
        h('option', { value: '' }, '—'),
        h('option', { value: this.layout.nobody.id }, this.layout.nobody.title),
        people.map((p) => h('option', { value: p.id }, p.name)))
      supervisor.addEventListener('change', () => this.doc.transact(() => {
        if (supervisor.value) a.set('begeleider', supervisor.value)
        else a.delete('begeleider')
      }, this.origin()))
      this.bindings.add({ el: supervisor, refresh: () => { if (document.activeElement !== supervisor) supervisor.value = a.get('begeleider') || '' } })
      const toggles = people.length
        ? this.toggles(a, 'wie', people.map((p) => ({ id: p.id, title: p.name })), labels.wie)
        : h('p', { class: 'hint' }, 'Nog niemand op de lijst. Zet mensen eerst bij "Wie horen erbij?".')
      return { toggles, supervisor }
    })
    reconcile(card.querySelector('.afspraak-who'), [pickers.toggles])
    reconcile(card.querySelector('.afspraak-supervisor'), [pickers.supervisor])
    return card
  }

  add (topic) {
    const id = randomId()
    this.doc.transact(() => {
      agreementsOf(this.doc).set(id, new Y.Map([
        ['topic', topic], ['wat', ''], ['wie', []], ['vorm', []],
        ['order', Date.now()], ['createdAt', Date.now()]
      ]))
    }, this.origin())
    requestAnimationFrame(() => document.getElementById(`nb-wat-${id}`)?.focus())
  }

  async remove (id) {
    const ok = await confirmDialog({ title: 'Afspraak weghalen?', text: 'De afspraak gaat van het bord af.', yes: 'Weghalen' })
    if (ok) this.doc.transact(() => agreementsOf(this.doc).delete(id), this.origin())
  }
}

// The TV: the agreements as text to read across the room, nothing to tap. In a step about one
// part (Step.focus) only that part, else every part that has something in it.
export class AfsprakenReadView extends Base {
  render () {
    if (document.body.classList.contains('is-waiting')) return fill(this.root)
    const names = Object.fromEntries(this.peopleNow().map((p) => [p.id, p.name]))
    const focus = this.focus()
    const labels = this.layout.labels
    const parts = this.layout.parts.filter((p) => !focus || p.id === focus).map((part) => {
      if (part.topic) {
        const items = agreements(this.doc, part.topic)
        if (!items.length && !focus) return null
        return h('section', { class: 'afspraken-read-part', dataset: { part: part.id } },
          h('h3', {}, this.partTitle(part)),
          items.length
            ? h('ul', {}, items.map(([, a]) => {
              const who = (a.get('wie') || []).map((id) => names[id]).filter(Boolean)
              const forms = (a.get('vorm') || []).map((f) => this.layout.forms.find((x) => x.id === f)?.title).filter(Boolean)
              const sup = a.get('begeleider')
              const supName = sup === this.layout.nobody.id ? 'zonder begeleiding' : names[sup]
              const when = dutchDate(a.get('evaluatie'))
              return h('li', { class: 'afspraak-read' },
                h('span', { class: 'afspraak-read-what' }, a.get('wat') || '…'),
                h('span', { class: 'afspraak-read-meta' }, [
                  who.length ? who.join(', ') : null,
                  a.get('hoeVaak') || null,
                  forms.length ? forms.join(', ').toLowerCase() : null,
                  supName ? (supName === 'zonder begeleiding' ? supName : `erbij: ${supName}`) : null,
                  when ? `${labels.evaluatie.replace('?', '').toLowerCase()}: ${when}` : null
                ].filter(Boolean).join(' · ')))
            }))
            : h('p', { class: 'afspraken-read-empty' }, 'Nog geen afspraken.'))
      }
      const answered = part.questions.map((id) => [this.question(id), answersOf(this.doc).get(id)])
        .filter(([, answer]) => focus || answer)
      if (!answered.length) return null
      return h('section', { class: 'afspraken-read-part', dataset: { part: part.id } },
        h('h3', {}, this.partTitle(part)),
        answered.map(([q, answer]) => h('p', {},
          part.questions.length > 1 ? h('strong', {}, `${q.title} `) : null, answer || '…')))
    }).filter(Boolean)
    // data-tv-fit: projector.js gives the text the largest size that fits the screen.
    fill(this.root, h('div', { class: 'afspraken-read', dataset: { tvFit: 'afspraken' } },
      parts.length ? parts : h('p', { class: 'afspraken-read-empty' }, 'Er zijn nog geen afspraken.')))
  }
}
