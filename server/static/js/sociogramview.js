// The sociogram (board `sociogram`; toolkit 2.5, "Tabel 1"): per person of the meeting's
// list — wie is het, welke groep, hoe is het contact, wat levert het op, wat voor steun kan
// dit contact geven — written in the first person. A table on a tablet and the TV, cards on a
// phone. Questions, groups and kinds of support come from the layout (board/boards.py).
import { h, fill } from './dom.js'
import { NetworkView, records, setFields, deleteRecord, recordId, formDialog, personChip } from './mapping.js'

export class SociogramView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    root.addEventListener('click', (event) => this.onClick(event))
  }

  get rowsMap () { return this.maps()[0] }

  rows (about, byId) {
    const order = (p) => this.layout.groups.findIndex((g) => g.id === p.sector)
    return records(this.rowsMap)
      .filter((r) => r.about === about && byId[r.person])
      .sort((a, b) => order(byId[a.person]) - order(byId[b.person]) || byId[a.person].name.localeCompare(byId[b.person].name, 'nl'))
  }

  onClick (event) {
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el) || this.ctx.readOnly) return
    if (el.dataset.action === 'pick' || el.dataset.action === 'edit') this.edit(el.dataset.id)
    else if (el.dataset.action === 'new-person') this.newPerson().then((id) => id && this.edit(id))
  }

  // The questions for one person, in the first person: "Hoe is het contact met Oma?"
  async edit (person) {
    if (!this.writes()) return
    const { byId } = this.people()
    const who = byId[person]
    if (!who) return
    const id = recordId(this.about, person)
    const row = records(this.rowsMap).find((r) => r.id === id) || {}
    const ask = (text) => text.replaceAll('{naam}', who.name)
    const limit = this.ctx.cfg.limits.text
    const support = this.layout.support
    const { action, form } = await formDialog(who.name, () => [
      h('p', { class: 'hint' }, this.layout.firstPerson),
      this.layout.questions.map((q) => [
        h('label', { for: `nb-socio-${q.field}` }, ask(q.ask)),
        h('textarea', { id: `nb-socio-${q.field}`, name: q.field, rows: 2, maxlength: limit, placeholder: q.example }, row[q.field] || '')
      ]),
      h('fieldset', { class: 'choices checks' }, h('legend', {}, ask(support.ask)),
        support.kinds.map((k) => h('label', { class: 'choice' },
          h('input', { type: 'checkbox', name: support.field, value: k.id, checked: (row[support.field] || []).includes(k.id) }),
          h('span', {}, k.title))))
    ], [['save', 'Klaar', 'primary'], ...(row.id ? [['remove', 'Uit het sociogram halen', 'danger']] : []), ['cancel', 'Annuleren']])
    if (!this.writes()) return
    if (action === 'remove') return deleteRecord(this.doc, this.ctx.origin(), this.rowsMap, id)
    if (action !== 'save') return
    const fields = Object.fromEntries(this.layout.questions.map((q) => [q.field, form.elements[q.field].value.trim().slice(0, limit)]))
    fields[support.field] = [...form.querySelectorAll(`input[name="${support.field}"]:checked`)].map((b) => b.value)
    setFields(this.doc, this.ctx.origin(), this.rowsMap, id, fields, { about: this.about, person, createdAt: Date.now() })
  }

  table (about, byId, write) {
    const { questions, support, groups, columns } = this.layout
    const heads = [columns.who, columns.group, ...questions.map((q) => q.title), support.title]
    const rows = this.rows(about, byId)
    if (!rows.length) return h('p', { class: 'people-empty' }, 'Er staat nog niemand in het sociogram.')
    return h('table', { class: 'socio-table' },
      h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => {
        const who = byId[r.person]
        const group = groups.find((g) => g.id === who.sector)
        const steun = (r[support.field] || []).map((k) => support.short[k]).filter(Boolean).join(', ')
        return h('tr', { class: `socio-row color-${group?.color || 'geel'}`, dataset: { person: r.person } },
          h('th', { scope: 'row', 'data-label': heads[0] },
            write
              ? h('button', { type: 'button', class: 'socio-name', dataset: { action: 'edit', id: r.person } },
                who.name, h('span', { class: 'sr-only' }, ': aanpassen'))
              : who.name),
          h('td', { 'data-label': heads[1] }, group?.title || '', who.relation ? h('span', { class: 'person-relation' }, ` (${who.relation})`) : null),
          questions.map((q, i) => h('td', { 'data-label': heads[2 + i] }, r[q.field] || '—')),
          h('td', { 'data-label': heads[heads.length - 1] }, steun || '—'))
      })))
  }

  render () {
    const { list, byId } = this.people()
    const about = this.layout.about || []
    const counts = Object.fromEntries(about.map((a) => [a.id, this.rows(a.id, byId).length]))
    if (this.ctx.readOnly) {
      const shown = about.filter((a) => counts[a.id])
      fill(this.root, h('div', { class: 'socio-board socio-tv', 'data-tv-fit': 'sociogram' },
        (shown.length ? shown : about.slice(0, 1)).map((a) => h('section', { class: 'socio-part' },
          shown.length > 1 ? h('h3', {}, a.title) : null,
          this.table(a.id, byId, false)))))
      return
    }
    const write = this.writes()
    const inTable = new Set(this.rows(this.about, byId).map((r) => r.person))
    const waiting = list.filter((p) => !inTable.has(p.id))
    fill(this.root, h('div', { class: 'socio-board' },
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      this.aboutSwitch(counts),
      this.table(this.about, byId, write),
      write
        ? h('section', { class: 'socio-add', 'aria-label': 'Iemand toevoegen aan het sociogram' },
          h('h3', {}, 'Wie zet je erbij?'),
          waiting.length
            ? h('div', { class: 'chips' }, waiting.map((p) => personChip(p, { sectors: this.layout.groups })))
            : h('p', { class: 'people-empty' }, list.length ? 'Iedereen van de lijst staat erin.' : 'Er staat nog niemand op de lijst.'),
          this.mayAddPeople() ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'new-person' } }, '+ Iemand nieuw') : null)
        : null))
  }
}
