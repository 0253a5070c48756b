// The levenslijn (board `levenslijn`; toolkit 2.4): a line per person from birth to now, with
// short events in the colour of good or hard times and the people who mattered then. Lines
// stand side by side and share their years, so that a year lines up across them; on a phone
// one line follows the other. Tones, limits and words come from the layout
// (board/levenslijn.py).
import { h, fill } from './dom.js'
import { randomId } from './dom.js'
import { NetworkView, records, setFields, deleteRecord, formDialog, personChip } from './mapping.js'

const NARROW = '(max-width: 640px)'

export class LevenslijnView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    this.narrow = window.matchMedia(NARROW)
    this.narrow.addEventListener('change', () => this.schedule())
    root.addEventListener('click', (event) => this.onClick(event))
  }

  get linesMap () { return this.doc.getMap('lines') }
  get eventsMap () { return this.doc.getMap('events') }

  validYear (y) {
    return Number.isInteger(y) && y >= this.layout.firstYear && y <= this.layout.lastYear
  }

  lines (byId) {
    const num = (v, d) => (typeof v === 'number' ? v : d)
    return records(this.linesMap)
      .filter((l) => byId[l.person])
      .sort((a, b) => num(a.order, Infinity) - num(b.order, Infinity) || num(a.createdAt, 0) - num(b.createdAt, 0) || (a.id < b.id ? -1 : 1))
  }

  // One line's events from birth to now; without a year at the end.
  events (lineId) {
    const key = (e) => (this.validYear(e.year) ? e.year : Infinity)
    return records(this.eventsMap).filter((e) => e.line === lineId)
      .sort((a, b) => key(a) - key(b) || (a.createdAt || 0) - (b.createdAt || 0) || (a.id < b.id ? -1 : 1))
  }

  onClick (event) {
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el) || this.ctx.readOnly || !this.writes()) return
    const { action, id } = el.dataset
    if (action === 'pick') this.addLine(id)
    else if (action === 'line') this.editLine(id)
    else if (action === 'add-event') this.editEvent(null, id)
    else if (action === 'event') this.editEvent(id)
    else if (action === 'new-person') this.newPerson().then((pid) => pid && this.addLine(pid))
  }

  yearInput (name, label, value, required) {
    return [h('label', { for: `nb-ll-${name}` }, label),
      h('input', { id: `nb-ll-${name}`, name, type: 'number', inputmode: 'numeric', min: this.layout.firstYear, max: this.layout.lastYear, step: 1, required, value: value ?? '', class: 'year-input' })]
  }

  readYear (form, name) {
    const y = Number(form.elements[name].value)
    return form.elements[name].value !== '' && this.validYear(y) ? y : undefined
  }

  async addLine (person) {
    const who = this.people().byId[person]
    if (!who) return
    const { action, form } = await formDialog(`Levenslijn van ${who.name}`,
      () => this.yearInput('born', 'In welk jaar is deze persoon geboren? (mag je leeg laten)', '', false),
      [['save', 'Lijn maken', 'primary'], ['cancel', 'Annuleren']])
    if (action !== 'save' || !this.writes()) return
    setFields(this.doc, this.ctx.origin(), this.linesMap, randomId(), {}, {
      person, ...(this.readYear(form, 'born') ? { born: this.readYear(form, 'born') } : {}), order: Date.now(), createdAt: Date.now()
    })
  }

  async editLine (lineId) {
    const line = records(this.linesMap).find((l) => l.id === lineId)
    const who = line && this.people().byId[line.person]
    if (!who) return
    const { action, form } = await formDialog(`Levenslijn van ${who.name}`,
      () => this.yearInput('born', 'Geboren in', line.born, false),
      [['save', 'Klaar', 'primary'], ['remove', 'Lijn weghalen', 'danger'], ['cancel', 'Annuleren']])
    if (!this.writes()) return
    if (action === 'remove') {
      this.doc.transact(() => {
        this.linesMap.delete(lineId)
        for (const e of this.events(lineId)) this.eventsMap.delete(e.id)
      }, this.ctx.origin())
    } else if (action === 'save') {
      setFields(this.doc, this.ctx.origin(), this.linesMap, lineId, { born: this.readYear(form, 'born') })
    }
  }

  // What happened: when, in a few words, fine or hard, and who mattered then.
  async editEvent (eventId, lineId = null) {
    const found = eventId ? records(this.eventsMap).find((e) => e.id === eventId) : null
    const line = lineId || found?.line
    const { list, byId } = this.people()
    const owner = records(this.linesMap).find((l) => l.id === line)
    if (!owner || !byId[owner.person]) return
    const event = found || {}
    const L = this.layout
    const { action, form } = await formDialog(eventId ? 'Gebeurtenis' : `Wat gebeurde er bij ${byId[owner.person].name}?`, () => [
      this.yearInput('year', 'In welk jaar?', event.year ?? new Date().getFullYear(), true),
      h('label', { for: 'nb-ll-text' }, 'Wat gebeurde er? Kort en duidelijk.'),
      h('input', { id: 'nb-ll-text', name: 'text', required: true, maxlength: L.textMax, value: event.text || '', autocomplete: 'off' }),
      h('fieldset', { class: 'choices tone-choices' }, h('legend', {}, 'Was het fijn of moeilijk?'),
        L.tones.map((t) => h('label', { class: `choice tone color-${t.color}` },
          h('input', { type: 'radio', name: 'tone', value: t.id, checked: event.tone === t.id, required: true }),
          h('span', {}, t.label)))),
      h('fieldset', { class: 'choices checks ll-people' }, h('legend', {}, L.peopleQuestion),
        list.length
          ? list.map((p) => h('label', { class: 'choice' },
            h('input', { type: 'checkbox', name: 'people', value: p.id, checked: (event.people || []).includes(p.id) }),
            h('span', {}, p.name)))
          : h('p', { class: 'hint' }, 'Er staat nog niemand op de lijst.'))
    ], [['save', eventId ? 'Klaar' : 'Toevoegen', 'primary'], ...(eventId ? [['remove', 'Weghalen', 'danger']] : []), ['cancel', 'Annuleren']])
    if (!this.writes()) return
    if (action === 'remove') return deleteRecord(this.doc, this.ctx.origin(), this.eventsMap, eventId)
    if (action !== 'save') return
    const fields = {
      year: this.readYear(form, 'year'),
      text: form.elements.text.value.trim().replace(/\s+/g, ' ').slice(0, L.textMax),
      tone: form.querySelector('input[name="tone"]:checked')?.value,
      people: [...form.querySelectorAll('input[name="people"]:checked')].map((b) => b.value).filter((id) => byId[id])
    }
    if (!fields.text) return
    setFields(this.doc, this.ctx.origin(), this.eventsMap, eventId || randomId(), fields, { line, createdAt: Date.now() })
  }

  eventCard (e, byId, write) {
    const tone = this.layout.tones.find((t) => t.id === e.tone)
    const who = (e.people || []).map((id) => byId[id]?.name).filter(Boolean)
    const body = [
      h('span', { class: 'll-event-text' }, e.text || ''),
      tone ? h('span', { class: 'sr-only' }, ` (${tone.label})`) : null,
      who.length ? h('span', { class: 'll-event-people' }, who.join(', ')) : null]
    const cls = `ll-event color-${tone?.color || 'geel'}`
    return write
      ? h('button', { type: 'button', class: cls, dataset: { action: 'event', id: e.id } }, body)
      : h('div', { class: cls }, body)
  }

  lineHead (line, who, write) {
    const born = this.validYear(line.born) ? `${this.layout.born} ${line.born}` : ''
    return h('div', { class: 'll-head' },
      write
        ? h('button', { type: 'button', class: 'll-title', dataset: { action: 'line', id: line.id } }, who.name, h('span', { class: 'sr-only' }, ': aanpassen'))
        : h('span', { class: 'll-title' }, who.name),
      born ? h('span', { class: 'll-born' }, born) : null,
      write ? h('button', { type: 'button', class: 'secondary small ll-add', dataset: { action: 'add-event', id: line.id } }, '+ Gebeurtenis') : null)
  }

  // Lines side by side: a row per year (every birth, every event, now), a column per line.
  grid (lines, byId, write) {
    const now = new Date().getFullYear()
    const perLine = Object.fromEntries(lines.map((l) => [l.id, this.events(l.id)]))
    const years = new Set([now])
    for (const l of lines) {
      if (this.validYear(l.born)) years.add(l.born)
      for (const e of perLine[l.id]) if (this.validYear(e.year)) years.add(e.year)
    }
    const rows = [...years].sort((a, b) => a - b)
    const undated = lines.some((l) => perLine[l.id].some((e) => !this.validYear(e.year)))
    const label = (y) => (y === now ? `${this.layout.now} (${y})` : String(y))
    const grid = h('div', { class: 'll-grid' })
    grid.style.setProperty('--ll-lines', lines.length) // the CSP refuses style attributes
    return fill(grid,
      h('span', { class: 'll-corner' }),
      lines.map((l) => this.lineHead(l, byId[l.person], write)),
      [...rows, ...(undated ? [null] : [])].map((y) => [
        h('span', { class: `ll-year${y === now ? ' ll-now' : ''}` }, y === null ? this.layout.now : label(y)),
        lines.map((l) => {
          const here = perLine[l.id].filter((e) => (y === null ? !this.validYear(e.year) : e.year === y))
          const before = this.validYear(l.born) && y !== null && y < l.born
          return h('div', { class: `ll-cell${before ? ' ll-before' : ''}` },
            l.born === y ? h('span', { class: 'll-birth' }, this.layout.born) : null,
            here.map((e) => this.eventCard(e, byId, write)))
        })
      ]))
  }

  // On a phone: one line after the other, its events from birth to now.
  stack (lines, byId, write) {
    return h('div', { class: 'll-stack' }, lines.map((l) => h('section', { class: 'll-line' },
      this.lineHead(l, byId[l.person], write),
      h('ol', { class: 'll-events' },
        this.validYear(l.born) ? h('li', { class: 'll-birth-item' }, h('span', { class: 'll-year' }, String(l.born)), h('span', { class: 'll-birth' }, this.layout.born)) : null,
        this.events(l.id).map((e) => h('li', {},
          h('span', { class: 'll-year' }, this.validYear(e.year) ? String(e.year) : ''),
          this.eventCard(e, byId, write)))))))
  }

  legend () {
    return h('p', { class: 'll-legend' }, this.layout.tones.map((t) =>
      h('span', { class: `ll-swatch color-${t.color}` }, t.label)))
  }

  render () {
    const { list, byId } = this.people()
    const lines = this.lines(byId)
    const empty = h('p', { class: 'people-empty' }, 'Er staat nog geen levenslijn op het bord.')
    if (this.ctx.readOnly) {
      fill(this.root, h('div', { class: 'll-board ll-tv', 'data-tv-fit': 'levenslijn', 'data-tv-max': 36 },
        lines.length ? this.grid(lines, byId, false) : empty, this.legend()))
      return
    }
    const write = this.writes()
    const withLine = new Set(lines.map((l) => l.person))
    const waiting = list.filter((p) => !withLine.has(p.id))
    fill(this.root, h('div', { class: 'll-board' },
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      lines.length ? (this.narrow.matches ? this.stack(lines, byId, write) : h('div', { class: 'll-scroll' }, this.grid(lines, byId, write))) : empty,
      this.legend(),
      write
        ? h('section', { class: 'll-add-line', 'aria-label': 'Een levenslijn maken' },
          h('h3', {}, 'Van wie maak je een levenslijn?'),
          waiting.length
            ? h('div', { class: 'chips' }, waiting.map((p) => personChip(p, { sectors: this.peopleSectors() })))
            : h('p', { class: 'people-empty' }, list.length ? 'Iedereen van de lijst heeft een lijn.' : 'Er staat nog niemand op de lijst.'),
          this.mayAddPeople() ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'new-person' } }, '+ Iemand nieuw') : null)
        : null))
  }
}
