// The steuntabel (board `steuntabel`; toolkit 2.8, "Tabel 2"): the kinds of support as rows,
// what each means in plain words, a column per person from the meeting's list, in each cell
// one of the five scores, and the legend. Kinds, scores, their signs and words come from the
// board's layout (board/steuntabel.py); a cell takes only those (the server refuses others).
// A table on a tablet and the TV; on a phone one card per person, the same rows.
import { h, fill } from './dom.js'
import { NetworkView, records, setFields, deleteRecord, formDialog, personChip } from './mapping.js'

const NARROW = '(max-width: 640px)'

export class SteuntabelView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    this.narrow = window.matchMedia(NARROW)
    this.narrow.addEventListener('change', () => this.schedule())
    root.addEventListener('click', (event) => this.onClick(event))
  }

  get membersMap () { return this.maps()[0] }

  // The columns, left to right: people still on the meeting's list.
  members (byId) {
    const num = (v, d) => (typeof v === 'number' ? v : d)
    return records(this.membersMap)
      .filter((m) => byId[m.id])
      .sort((a, b) => num(a.order, Infinity) - num(b.order, Infinity) || num(a.createdAt, 0) - num(b.createdAt, 0) || (a.id < b.id ? -1 : 1))
  }

  score (id) { return this.layout.scores.find((s) => s.id === id) || null }

  // A cell's colour class: the score's place in the layout's list (0: the most support), as
  // mapboards.css colours them; none for an empty cell.
  tone (id) {
    const i = this.layout.scores.findIndex((s) => s.id === id)
    return i < 0 ? 'score-none' : `score-${i}`
  }

  onClick (event) {
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el) || this.ctx.readOnly || !this.writes()) return
    const { action, id, kind } = el.dataset
    if (action === 'pick') this.addMember(id)
    else if (action === 'cell') this.pickScore(id, kind)
    else if (action === 'remove') this.removeMember(id)
    else if (action === 'new-person') this.newPerson().then((pid) => pid && this.addMember(pid))
  }

  addMember (person) {
    const count = records(this.membersMap).length
    if (count >= this.layout.maxMembers) return
    setFields(this.doc, this.ctx.origin(), this.membersMap, person, {}, { order: Date.now(), createdAt: Date.now() })
  }

  async removeMember (person) {
    const { byId } = this.people()
    const { action } = await formDialog(`${byId[person]?.name || ''} uit de tabel halen?`, () =>
      h('p', {}, 'Wat in die kolom staat, gaat dan weg. De persoon blijft op de lijst.'),
    [['remove', 'Uit de tabel halen', 'danger'], ['cancel', 'Annuleren']])
    if (action === 'remove' && this.writes()) deleteRecord(this.doc, this.ctx.origin(), this.membersMap, person)
  }

  // One cell: the five scores as big buttons, with what they mean; or empty again.
  async pickScore (person, kindId) {
    const { byId } = this.people()
    const kind = this.layout.kinds.find((k) => k.id === kindId)
    if (!kind || !byId[person]) return
    const current = records(this.membersMap).find((m) => m.id === person)?.[kindId] || ''
    const { action } = await formDialog(`${kind.title}: ${byId[person].name}`, () => [
      h('p', { class: 'hint' }, kind.explain),
      h('p', {}, `Hoeveel ${kind.title.toLowerCase()} geeft ${byId[person].name}?`)
    ], [
      ...this.layout.scores.map((s) => [`score:${s.id}`, `${s.symbol}  ${s.label}`, `score-choice ${this.tone(s.id)}${s.id === current ? ' chosen' : ''}`]),
      ['score:', 'Leeg laten', 'secondary'],
      ['cancel', 'Annuleren']
    ])
    if (!action.startsWith('score:') || !this.writes()) return
    const value = action.slice('score:'.length)
    setFields(this.doc, this.ctx.origin(), this.membersMap, person, { [kindId]: value || undefined })
  }

  cell (member, kind, write) {
    const score = this.score(member[kind.id])
    const label = `${kind.title}, ${member.name}: ${score ? score.label : 'nog niet ingevuld'}`
    const body = score ? score.symbol : (write ? '·' : '')
    return write
      ? h('button', { type: 'button', class: `support-cell ${this.tone(score?.id)}`, dataset: { action: 'cell', id: member.id, kind: kind.id }, 'aria-label': label }, body)
      : h('span', { class: `support-cell ${this.tone(score?.id)}`, 'aria-label': label, role: 'img' }, body)
  }

  table (members, write) {
    const { kinds } = this.layout
    return h('table', { class: 'support-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', class: 'support-corner' }, this.layout.kindsTitle),
        members.map((m) => h('th', { scope: 'col', class: 'support-member' },
          h('span', { class: 'support-name' }, m.name),
          m.relation ? h('span', { class: 'support-relation' }, m.relation) : null,
          write ? h('button', { type: 'button', class: 'support-remove secondary small', dataset: { action: 'remove', id: m.id }, 'aria-label': `${m.name} uit de tabel halen` }, '×') : null)))),
      h('tbody', {}, kinds.map((k) => h('tr', { dataset: { kind: k.id } },
        h('th', { scope: 'row', class: 'support-kind' },
          h('span', { class: 'support-kind-title' }, k.title),
          this.ctx.readOnly ? null : h('span', { class: 'support-kind-explain' }, k.explain)),
        members.map((m) => h('td', { class: 'support-td' }, this.cell(m, k, write)))))))
  }

  // On a phone: a card per person, the kinds of support as its rows.
  cards (members, write) {
    return h('div', { class: 'support-cards' }, members.map((m) => h('section', { class: 'support-card', 'aria-label': m.name },
      h('div', { class: 'support-card-head' }, h('h3', {}, m.name, m.relation ? h('span', { class: 'support-relation' }, ` ${m.relation}`) : null),
        write ? h('button', { type: 'button', class: 'support-remove secondary small', dataset: { action: 'remove', id: m.id }, 'aria-label': `${m.name} uit de tabel halen` }, '×') : null),
      h('dl', {}, this.layout.kinds.map((k) => h('div', { class: 'support-card-row', dataset: { kind: k.id } },
        h('dt', {}, k.title), h('dd', {}, this.cell(m, k, write))))))))
  }

  legend () {
    return h('section', { class: 'support-legend', 'aria-label': this.layout.legendTitle },
      h('h3', {}, this.layout.legendTitle),
      h('ul', {}, this.layout.scores.map((s) => h('li', {},
        h('span', { class: `support-cell ${this.tone(s.id)}`, 'aria-hidden': 'true' }, s.symbol), ' ', s.label))))
  }

  render () {
    const { list, byId } = this.people()
    const members = this.members(byId).map((m) => ({ ...m, name: byId[m.id].name, relation: byId[m.id].relation }))
    if (this.ctx.readOnly) {
      fill(this.root, h('div', { class: 'support-board support-tv', 'data-tv-fit': 'steuntabel' },
        members.length ? this.table(members, false) : h('p', { class: 'people-empty' }, 'Er staat nog niemand in de steuntabel.'),
        this.legend()))
      return
    }
    const write = this.writes()
    const inTable = new Set(members.map((m) => m.id))
    const waiting = list.filter((p) => !inTable.has(p.id))
    const full = members.length >= this.layout.maxMembers
    fill(this.root, h('div', { class: 'support-board' },
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      members.length
        ? (this.narrow.matches ? this.cards(members, write) : h('div', { class: 'support-scroll' }, this.table(members, write)))
        : h('p', { class: 'people-empty' }, 'Er staat nog niemand in de steuntabel.'),
      this.legend(),
      write && !full
        ? h('section', { class: 'support-add', 'aria-label': 'Iemand in de steuntabel zetten' },
          h('h3', {}, 'Wie zet je in de tabel?'),
          waiting.length
            ? h('div', { class: 'chips' }, waiting.map((p) => personChip(p, { sectors: this.peopleSectors() })))
            : h('p', { class: 'people-empty' }, list.length ? 'Iedereen van de lijst staat erin.' : 'Er staat nog niemand op de lijst.'),
          this.mayAddPeople() ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'new-person' } }, '+ Iemand nieuw') : null)
        : null))
  }
}
