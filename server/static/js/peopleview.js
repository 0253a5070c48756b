// The meeting's people (board `mensen`): one list, in the three parts of the ecogram
// (board/boards.py MENSEN.layout.sectors). Every network instrument refers to these ids, so a
// name is changed in one place. Add someone, change a name once, move them to another part,
// take them off the list; prompts for people easily forgotten (layout.forgotten) and for who
// is here today but not on the list yet.
import * as Y from 'yjs'
import { h, fill } from './dom.js'
import { courseState } from './course.js'
import { confirmDialog } from './dialogs.js'
import { personForm, addPerson, setFields, focusKey } from './mapping.js'

export const peopleOf = (doc) => doc.getMap('people')

// The board of the meeting's people list: other views open it through ctx.other.
export const PEOPLE_BOARD = 'mensen'

// For a view that shows names from the list (`view.people`: that board, or null): redraw it
// when the list changes.
export function followPeople (view) {
  view.peopleOff?.()
  if (!view.people) return
  const map = peopleOf(view.people.doc)
  const schedule = () => view.schedule()
  map.observeDeep(schedule)
  view.peopleOff = () => map.unobserveDeep(schedule)
}

// The list's board was loaded again from the server (app.js): read the new document.
export function peopleReloaded (view, board) {
  if (board.id !== PEOPLE_BOARD) return
  view.people = board
  followPeople(view)
  view.schedule()
}

// [{ id, name, relation, sector }] sorted by name: for every view that picks a person.
export function peopleList (doc) {
  const list = []
  peopleOf(doc).forEach((p, id) => {
    if (p && typeof p.get === 'function') list.push({ id, name: p.get('name') || '', relation: p.get('relation') || '', sector: p.get('sector') || '' })
  })
  return list.filter((p) => p.name).sort((a, b) => a.name.localeCompare(b.name, 'nl'))
}

export class PeopleView {
  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.cfg = boardCfg
    this.ctx = ctx
    this.frame = 0
    this.watchCourse()
    this.setDoc(board.doc)
  }

  setDoc (doc) {
    this.off?.()
    this.doc = doc
    const schedule = () => this.schedule()
    peopleOf(doc).observeDeep(schedule)
    this.off = () => peopleOf(doc).unobserveDeep(schedule)
    this.schedule()
  }

  // Who is here today (verloop's participants): offered for the list when not on it yet.
  watchCourse () {
    if (!this.ctx.verloop || this.ctx.readOnly) return
    courseState(this.ctx.verloop).observeDeep(() => this.schedule())
  }

  setPrivateDoc () {}
  postAll () { return 0 }
  write () { return !this.ctx.readOnly && this.ctx.mode(this.cfg.id).write }

  schedule () {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      const key = focusKey(this.root) // drawn anew: the focus goes to the same person
      this.render()
      if (key) this.root.querySelector(key)?.focus()
    })
  }

  sectors () { return this.cfg.layout.sectors || [] }

  async add (preset = {}) {
    const person = await personForm(this.ctx.cfg, this.cfg.layout, preset)
    if (person && this.write()) addPerson(this.doc, this.ctx.origin(), person, this.ctx.cfg.role)
  }

  async edit (id) {
    const record = peopleOf(this.doc).get(id)
    if (!(record instanceof Y.Map) || !this.write()) return
    const name = record.get('name')
    const result = await personForm(this.ctx.cfg, this.cfg.layout,
      { id, name, relation: record.get('relation'), sector: record.get('sector') },
      { title: name, removable: true })
    if (!result || !this.write()) return
    if (result.action === 'remove') {
      const sure = await confirmDialog({
        title: `${name} van de lijst halen?`,
        text: `${name} staat dan ook niet meer op de andere kaarten, zoals het ecogram.`,
        yes: 'Van de lijst halen'
      })
      if (sure) this.doc.transact(() => peopleOf(this.doc).delete(id), this.ctx.origin())
      return
    }
    const { name: newName, relation, sector } = result
    setFields(this.doc, this.ctx.origin(), peopleOf(this.doc), id, { name: newName, relation, sector })
  }

  // People at the meeting (they chose their name on a device) who are not on the list yet.
  present (people) {
    if (this.ctx.readOnly || !this.ctx.verloop) return []
    const participants = courseState(this.ctx.verloop).get('participants')
    if (!participants || typeof participants.forEach !== 'function') return []
    const names = new Set(people.map((p) => p.name.toLocaleLowerCase('nl')))
    const out = []
    participants.forEach((p) => {
      const name = typeof p?.name === 'string' ? p.name.trim() : ''
      if (!name || names.has(name.toLocaleLowerCase('nl')) || p.role === 'facilitator' || p.role === 'scherm') return
      names.add(name.toLocaleLowerCase('nl'))
      out.push({ name, relation: p.relation || '', role: p.role })
    })
    return out
  }

  render () {
    if (document.body.classList.contains('is-waiting')) return fill(this.root)
    const people = peopleList(this.doc)
    const sectors = this.sectors()
    const write = this.write()
    const forgotten = this.cfg.layout.forgotten
    const present = write ? this.present(people) : []
    // The part of the list a participant's role suggests (a professional's: layout's forRole).
    const sectorFor = (role) => (sectors.find((s) => s.forRole === role) || sectors[0])?.id
    fill(this.root, h('div', { class: 'people-board' },
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      write
        ? h('div', { class: 'people-tools' },
          h('button', { type: 'button', class: 'primary add-person', onclick: () => this.add() },
            h('span', { 'aria-hidden': 'true' }, '+ '), 'Iemand toevoegen'))
        : null,
      write && present.length
        ? h('section', { class: 'people-prompts present', 'aria-label': 'Vandaag hier, nog niet op de lijst' },
          h('h3', {}, 'Vandaag hier, nog niet op de lijst'),
          h('div', { class: 'prompt-chips' }, present.map((p) => h('button', {
            type: 'button',
            class: 'secondary prompt-chip',
            onclick: () => this.add({ name: p.name, relation: p.relation, sector: sectorFor(p.role) })
          }, `+ ${p.name}${p.relation ? ` (${p.relation})` : ''}`))))
        : null,
      write && forgotten
        ? h('section', { class: 'people-prompts forgotten', 'aria-label': forgotten.title },
          h('h3', {}, forgotten.title),
          h('div', { class: 'prompt-chips' }, forgotten.items.map((item) => h('button', {
            type: 'button',
            class: 'secondary prompt-chip',
            onclick: () => this.add({ sector: item.sector, relation: item.relation })
          }, `+ ${item.label}`))))
        : null,
      h('div', { class: 'people-sectors', 'data-tv-fit': this.ctx.readOnly ? 'people' : null },
        sectors.map((s) => {
          const here = people.filter((p) => p.sector === s.id)
          return h('section', { class: `people-sector color-${s.color || 'geel'}`, 'data-sector': s.id },
            h('h3', {}, s.title),
            s.hint && !this.ctx.readOnly ? h('p', { class: 'hint sector-hint' }, s.hint) : null,
            here.length
              ? h('ul', { class: 'people' }, here.map((p) => h('li', { class: 'person', 'data-person': p.id },
                write
                  ? h('button', { type: 'button', class: 'person-button', dataset: { action: 'edit', id: p.id }, onclick: () => this.edit(p.id) },
                    h('strong', {}, p.name), p.relation ? h('span', { class: 'person-relation' }, p.relation) : null,
                    h('span', { class: 'sr-only' }, ': aanpassen'))
                  : [h('strong', {}, p.name), p.relation ? h('span', { class: 'person-relation' }, p.relation) : null])))
              : h('p', { class: 'people-empty' }, 'Nog niemand.'))
        }))))
  }

  destroy () {
    this.off?.()
    if (this.frame) cancelAnimationFrame(this.frame)
  }
}
