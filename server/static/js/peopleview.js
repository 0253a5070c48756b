// The meeting's people (board `mensen`): one list, in the three parts of the ecogram
// (board/boards.py MENSEN.layout.sectors). Every network instrument refers to these ids, so a
// name is changed in one place.
import * as Y from 'yjs'
import { h, fill, randomId } from './dom.js'

export const peopleOf = (doc) => doc.getMap('people')

// [{ id, name, relation, sector }] sorted by name: for every view that picks a person.
export function peopleList (doc) {
  const list = []
  peopleOf(doc).forEach((p, id) => {
    if (p && typeof p.get === 'function') list.push({ id, name: p.get('name') || '', relation: p.get('relation') || '', sector: p.get('sector') || '' })
  })
  return list.sort((a, b) => a.name.localeCompare(b.name, 'nl'))
}

export class PeopleView {
  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.cfg = boardCfg
    this.ctx = ctx
    this.setDoc(board.doc)
  }

  setDoc (doc) {
    this.off?.()
    this.doc = doc
    const render = () => this.render()
    peopleOf(doc).observeDeep(render)
    this.off = () => peopleOf(doc).unobserveDeep(render)
    this.render()
  }

  setPrivateDoc () {}
  postAll () { return 0 }
  write () { return !this.ctx.readOnly && this.ctx.mode(this.cfg.id).write }

  add (form) {
    const name = form.elements.name.value.trim()
    if (!name) return
    this.doc.transact(() => {
      peopleOf(this.doc).set(randomId(), new Y.Map([
        ['name', name.slice(0, 60)],
        ['relation', form.elements.relation.value.trim().slice(0, 60)],
        ['sector', form.elements.sector.value],
        ['role', this.ctx.cfg.role],
        ['createdAt', Date.now()]
      ]))
    }, this.ctx.origin())
    form.reset()
  }

  render () {
    const people = peopleList(this.doc)
    const sectors = this.cfg.layout.sectors || []
    fill(this.root,
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      h('div', { class: 'people-sectors' }, sectors.map((s) => h('section', { class: 'people-sector', 'data-sector': s.id },
        h('h3', {}, s.title),
        h('ul', { class: 'people' }, people.filter((p) => p.sector === s.id).map((p) =>
          h('li', { class: 'person', 'data-person': p.id }, h('strong', {}, p.name), p.relation ? ` — ${p.relation}` : '')))))),
      this.write()
        ? h('form', { class: 'person-add', onsubmit: (e) => { e.preventDefault(); this.add(e.target) } },
          h('label', {}, 'Naam', h('input', { name: 'name', required: true, maxlength: 60 })),
          h('label', {}, 'Wie is het voor het kind?', h('input', { name: 'relation', maxlength: 60 })),
          h('label', {}, 'Hoort bij', h('select', { name: 'sector' }, sectors.map((s) => h('option', { value: s.id }, s.title)))),
          h('button', { class: 'primary', type: 'submit' }, 'Iemand toevoegen'))
        : null)
  }
}
