// What the network boards (ecogram, sociogram, genogram: board/networkmap.py) share: reading
// the meeting's people (board `mensen`, opened through ctx.other), drawing once per frame,
// "Voor wie is deze kaart?", the people not yet on a map, and small forms. Every title, ring,
// sector and choice comes from the board's layout in the config; nothing is a copy here.
import * as Y from 'yjs'
import { h, fill, randomId } from './dom.js'
import { PEOPLE_BOARD, peopleOf, peopleList } from './peopleview.js'

export { PEOPLE_BOARD }

// The records of a board's top-level map as plain objects: [{ id, ...fields }].
export function records (map) {
  const out = []
  map.forEach((value, id) => { if (value instanceof Y.Map) out.push({ id, ...value.toJSON() }) })
  return out
}

// Set some fields of a record (creating it with `create` when it is not there).
export function setFields (doc, origin, map, id, fields, create = null) {
  doc.transact(() => {
    let record = map.get(id)
    if (!(record instanceof Y.Map)) {
      if (!create) return
      record = new Y.Map()
      map.set(id, record)
      for (const [k, v] of Object.entries(create)) record.set(k, v)
    }
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) record.delete(k)
      else record.set(k, v)
    }
  }, origin)
}

export function deleteRecord (doc, origin, map, id) {
  doc.transact(() => map.delete(id), origin)
}

// One record per person (or pair) and map: the same id whichever device adds it
// (board/networkmap.py record_id).
export const recordId = (about, ...people) => [about, ...[...people].sort()].join('-')

// A view of a network board. Subclasses draw in render() and say which top-level maps they
// read (the board's own, from the config: cfg.roots).
export class NetworkView {
  // The parts of the people list (familie, vrienden, professionals), from its board's layout.
  peopleSectors () {
    return this.ctx.cfg.boards.find((b) => b.id === PEOPLE_BOARD)?.layout?.sectors || []
  }

  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.cfg = boardCfg
    this.layout = boardCfg.layout || {}
    this.ctx = ctx
    this.frame = 0
    this.about = this.layout.about?.[0]?.id || null // the map on screen
    this.offDoc = null
    this.offPeople = null
    this.peopleBoard = ctx.other ? ctx.other(PEOPLE_BOARD) : null
    this.watchPeople()
    this.setDoc(board.doc)
  }

  get peopleDoc () { return this.peopleBoard?.doc || null }

  // The maps of this board's document that a device writes (board/schema.py ROOTS).
  maps (doc = this.doc) {
    return (this.ctx.cfg.roots[this.cfg.id] || []).map((name) => doc.getMap(name))
  }

  setDoc (doc) {
    this.offDoc?.()
    this.doc = doc
    const schedule = () => this.schedule()
    const maps = this.maps(doc)
    maps.forEach((m) => m.observeDeep(schedule))
    this.offDoc = () => maps.forEach((m) => m.unobserveDeep(schedule))
    this.schedule()
  }

  watchPeople () {
    this.offPeople?.()
    if (!this.peopleDoc) return
    const map = peopleOf(this.peopleDoc)
    const schedule = () => this.schedule()
    map.observeDeep(schedule)
    this.offPeople = () => map.unobserveDeep(schedule)
  }

  // The people board was loaded again from the server (provider.js reset): read the new copy.
  otherReset (board) {
    if (board === this.peopleBoard) { this.watchPeople(); this.schedule() }
  }

  setPrivateDoc () {}
  postAll () { return 0 }

  schedule () {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw() })
  }

  draw () {
    if (document.body.classList.contains('is-waiting')) return fill(this.root)
    // Drawn anew: whatever had the keyboard's focus gets it back (its successor).
    const key = focusKey(this.root)
    this.render()
    if (key) this.root.querySelector(key)?.focus()
  }

  // Whether this device may change the board now (the server decides: verloop's table).
  writes () {
    return !this.ctx.readOnly && this.ctx.mode(this.cfg.id).write
  }

  mayAddPeople () {
    return !this.ctx.readOnly && !!this.peopleDoc && this.ctx.mode(PEOPLE_BOARD).write
  }

  // The people list: [{ id, name, relation, sector }], and by id.
  people () {
    const list = this.peopleDoc ? peopleList(this.peopleDoc) : []
    return { list, byId: Object.fromEntries(list.map((p) => [p.id, p])) }
  }

  // "Voor wie is deze kaart?": one button per map, the one on screen pressed.
  aboutSwitch (counts) {
    const about = this.layout.about || []
    return h('div', { class: 'about-switch', role: 'group', 'aria-label': 'Voor wie is deze kaart?' },
      h('span', { class: 'about-label' }, 'Voor wie?'),
      about.map((a) => h('button', {
        type: 'button',
        class: 'about-choice',
        dataset: { aboutChoice: a.id },
        'aria-pressed': String(a.id === this.about),
        onclick: () => { this.about = a.id; this.picked = null; this.schedule() }
      }, a.title, counts?.[a.id] ? h('span', { class: 'about-count' }, ` (${counts[a.id]})`) : null)))
  }

  aboutTitle (id = this.about) {
    return (this.layout.about || []).find((a) => a.id === id)?.title || ''
  }

  // Add someone to the meeting's people list (a form); resolves with the new id or null.
  async newPerson (preset = {}) {
    if (!this.mayAddPeople()) return null
    const person = await personForm(this.ctx.cfg, peopleLayout(this), preset)
    if (!person || !this.peopleDoc) return null
    return addPerson(this.peopleDoc, this.ctx.origin(), person, this.ctx.cfg.role)
  }

  destroy () {
    this.offDoc?.()
    this.offPeople?.()
    if (this.frame) cancelAnimationFrame(this.frame)
  }
}

// A selector for the element in `root` that has the focus, to find it again once redrawn.
export function focusKey (root) {
  const el = document.activeElement
  if (!el || el === root || !root.contains(el)) return null
  const { action, id, aboutChoice } = el.dataset || {}
  if (aboutChoice) return `[data-about-choice="${CSS.escape(aboutChoice)}"]`
  if (action) return `[data-action="${CSS.escape(action)}"]${id ? `[data-id="${CSS.escape(id)}"]` : ''}`
  return null
}

// The sectors of the people list: the `mensen` board's layout (in the config when it is a tab),
// else the sectors this board carries itself.
function peopleLayout (view) {
  const tab = view.ctx.cfg.boards.find((b) => b.id === PEOPLE_BOARD)
  return tab?.layout || { sectors: view.layout.sectors || view.layout.groups || [] }
}

export function addPerson (peopleDoc, origin, { name, relation, sector }, role) {
  const id = randomId()
  peopleDoc.transact(() => {
    peopleOf(peopleDoc).set(id, new Y.Map([
      ['name', name], ['relation', relation], ['sector', sector], ['role', role], ['createdAt', Date.now()]
    ]))
  }, origin)
  return id
}

// --- forms --------------------------------------------------------------------------------------

// A modal form (native <dialog>). `build(form)` returns its fields; resolves with the button's
// value and the form, or 'cancel'.
export function formDialog (title, build, buttons) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog', class: 'network-form' })
    fill(form, h('h2', {}, title), build(form),
      h('div', { class: 'actions' }, buttons.map(([value, label, cls = 'secondary']) =>
        h('button', { value, class: cls, formnovalidate: value !== 'save' }, label))))
    const dialog = h('dialog', { class: 'dialog' }, form)
    form.addEventListener('submit', (event) => {
      const value = event.submitter?.value || 'save'
      if (value === 'save' && !form.checkValidity()) { event.preventDefault(); form.reportValidity(); return }
      dialog.returnValue = value
    })
    dialog.addEventListener('close', () => { resolve({ action: dialog.returnValue || 'cancel', form }); dialog.remove() })
    document.body.append(dialog)
    dialog.showModal()
    form.querySelector('input:not([type=radio]):not([type=checkbox]), textarea')?.focus()
  })
}

// Big radio buttons for one choice out of a layout's list ({ id, title }).
export function choices (name, items, value, legend) {
  return h('fieldset', { class: 'choices' }, h('legend', {}, legend),
    items.map((item) => h('label', { class: 'choice' },
      h('input', { type: 'radio', name, value: item.id, checked: item.id === value, required: true }),
      h('span', {}, item.title))))
}

export const chosen = (form, name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? null

// Name, relation and part of the list. Resolves with { action: 'save', name, relation, sector },
// { action: 'remove' } (when `removable`) or null.
export async function personForm (cfg, layout, preset = {}, { title = 'Iemand toevoegen', removable = false } = {}) {
  const sectors = layout.sectors || []
  const { action, form } = await formDialog(title, () => [
    h('label', { for: 'nb-person-name' }, 'Naam'),
    h('input', { id: 'nb-person-name', name: 'name', required: true, maxlength: cfg.limits.name, value: preset.name || '', autocomplete: 'off' }),
    h('label', { for: 'nb-person-relation' }, 'Wie is het voor het kind? (mag je leeg laten)'),
    h('input', { id: 'nb-person-relation', name: 'relation', maxlength: cfg.limits.relation, value: preset.relation || '', list: 'nb-relations', autocomplete: 'off' }),
    h('datalist', { id: 'nb-relations' }, (cfg.relations || []).map((r) => h('option', { value: r }))),
    choices('sector', sectors, preset.sector || sectors[0]?.id, 'Hoort bij')
  ], [
    ['save', removable ? 'Klaar' : 'Toevoegen', 'primary'],
    ...(removable ? [['remove', 'Van de lijst halen', 'danger']] : []),
    ['cancel', 'Annuleren']])
  if (action === 'remove') return { action }
  if (action !== 'save') return null
  const name = form.elements.name.value.trim().replace(/\s+/g, ' ').slice(0, cfg.limits.name)
  if (!name) return null
  return {
    action,
    name,
    relation: form.elements.relation.value.trim().replace(/\s+/g, ' ').slice(0, cfg.limits.relation),
    sector: chosen(form, 'sector') || sectors[0]?.id
  }
}

// A person as a chip to tap or drag (data-kind/data-id for drag.js).
export function personChip (person, { kind = 'person', picked = false, drag = false, sectors = [] } = {}) {
  const sector = sectors.find((s) => s.id === person.sector)
  return h('button', {
    type: 'button',
    class: `person-chip color-${sector?.color || 'geel'}`,
    dataset: { kind, id: person.id, action: 'pick' },
    'data-drag': drag,
    'aria-pressed': String(picked)
  }, h('span', { class: 'chip-name' }, person.name),
  person.relation ? h('span', { class: 'chip-relation' }, person.relation) : null)
}

// Where a finger is, as a point of an element: x and y from 0 to 1.
export function pointIn (el, clientX, clientY) {
  const r = el.getBoundingClientRect()
  return { x: (clientX - r.left) / r.width, y: (clientY - r.top) / r.height }
}

// The first element under (x, y) that matches `selector`, also below a name drawn on top.
export function under (x, y, selector) {
  return document.elementsFromPoint(x, y).find((el) => el.matches?.(selector)) || null
}

export const clamp01 = (v) => Math.min(1, Math.max(0, v))
