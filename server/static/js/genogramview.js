// The genogram (board `genogram`; toolkit 2.1): the family in rows, one per generation, and
// lines between them (partners, partners who split up, parents and children, brothers and
// sisters: layout.kinds) in the colour of how the contact is; who died has a cross. Kept simple enough to draw together: a
// name goes into a row with one tap and a drag (or a tap on the name and one on the row), and a
// tap on someone says how they are related to another. Drawn from the layout
// (board/networkmap.py GENOGRAM_LAYOUT); the people come from the meeting's list.
import { h, fill } from './dom.js'
import { enableDrag } from './drag.js'
import {
  NetworkView, records, setFields, deleteRecord, recordId, formDialog, choices, chosen,
  personChip, under
} from './mapping.js'

const SVG = 'http://www.w3.org/2000/svg'
const DROP = 16 // px a partners' line goes down below them before it joins

function s (tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v))
  return el
}

export class GenogramView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    this.picked = null
    if (!ctx.readOnly) {
      enableDrag(root, {
        canDrag: () => this.writes(),
        onDrop: (item, target) => this.drop(item, target),
        find: (item, x, y) => {
          const row = under(x, y, '.geno-row')
          return row && this.root.contains(row) ? { type: 'zone', element: row, generation: row.dataset.generation, x, y } : null
        }
      })
    }
    root.addEventListener('click', (event) => this.onClick(event))
    this.resize = new ResizeObserver(() => this.drawLines())
  }

  get membersMap () { return this.maps()[0] }
  get relationsMap () { return this.maps()[1] }

  generation (id) { return this.layout.generations.find((g) => g.id === id) }
  kind (id) { return this.layout.kinds.find((k) => k.id === id) }
  quality (id) { return this.layout.qualities.find((q) => q.id === id) }

  // The members of one tree, of people still on the list: { person -> record }.
  members (about, byId) {
    const out = {}
    for (const m of records(this.membersMap)) {
      if (m.about === about && byId[m.person] && this.generation(m.generation)) out[m.person] = m
    }
    return out
  }

  relations (about, members) {
    return records(this.relationsMap).filter((r) => r.about === about && r.a !== r.b &&
      members[r.a] && members[r.b] && this.kind(r.kind))
  }

  // Left to right in a row: by x (board/networkmap.py genogram_trees), evenly spread.
  row (members, generation) {
    return Object.values(members).filter((m) => m.generation === generation)
      .sort((a, b) => (a.x ?? 0.5) - (b.x ?? 0.5) || (a.person < b.person ? -1 : 1))
  }

  // An x that puts a person at the place in a row nearest to the finger.
  xAt (rowEl, clientX, person, members) {
    const others = this.row(members, rowEl.dataset.generation).filter((m) => m.person !== person)
    const els = others.map((m) => rowEl.querySelector(`[data-id="${CSS.escape(m.person)}"]`))
    const index = els.filter((el) => el && el.getBoundingClientRect().left + el.getBoundingClientRect().width / 2 < clientX).length
    const before = index > 0 ? others[index - 1].x ?? 0.5 : 0
    const after = index < others.length ? others[index].x ?? 0.5 : 1
    return (before + after) / 2
  }

  place (person, generation, x) {
    if (!this.writes() || !person) return
    setFields(this.doc, this.ctx.origin(), this.membersMap, recordId(this.about, person), { generation, x },
      { about: this.about, person, createdAt: Date.now() })
    this.picked = null
    this.schedule()
  }

  drop (item, target) {
    if (!target?.generation) return
    const { byId } = this.people()
    this.place(item.id, target.generation, this.xAt(target.element, target.x, item.id, this.members(this.about, byId)))
  }

  onClick (event) {
    if (this.ctx.readOnly) return
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el)) {
      const row = event.target.closest?.('.geno-row')
      if (row && this.picked) {
        const { byId } = this.people()
        this.place(this.picked, row.dataset.generation, this.xAt(row, event.clientX, this.picked, this.members(this.about, byId)))
      }
      return
    }
    const action = el.dataset.action
    if (action === 'pick') { this.picked = this.picked === el.dataset.id ? null : el.dataset.id; this.schedule() } else if (action === 'edit') this.edit(el.dataset.id)
    else if (action === 'put') { // at the end of the row
      const { byId } = this.people()
      const last = this.row(this.members(this.about, byId), el.dataset.generation).pop()
      this.place(this.picked, el.dataset.generation, last ? ((last.x ?? 0.5) + 1) / 2 : 0.5)
    }
    else if (action === 'unpick') { this.picked = null; this.schedule() } else if (action === 'new-person') {
      this.newPerson({ sector: this.layout.sectors?.[0]?.id }).then((id) => { if (id) { this.picked = id; this.schedule() } })
    }
  }

  // A member: died or not, the generation, and how they are related to another member.
  async edit (person) {
    if (!this.writes()) return
    const { byId } = this.people()
    const members = this.members(this.about, byId)
    const me = members[person]
    if (!me) return
    const name = byId[person].name
    const relations = this.relations(this.about, members)
    const others = Object.values(members).filter((m) => m.person !== person)
      .sort((a, b) => byId[a.person].name.localeCompare(byId[b.person].name, 'nl'))
    const existing = (other) => relations.find((r) => (r.a === person && r.b === other) || (r.b === person && r.a === other))
    const { deceased, kinds, qualities, generations, ask } = this.layout
    const none = { id: '', title: 'Geen lijn' }
    const unknown = { id: '', title: 'Weet ik niet' }
    const { action, form } = await formDialog(name, (f) => {
      const pick = h('select', { id: 'nb-geno-other', name: 'other' },
        h('option', { value: '' }, 'Kies iemand'),
        others.map((m) => h('option', { value: m.person }, byId[m.person].name)))
      // Choosing someone shows how they are related now.
      pick.addEventListener('change', () => {
        const r = existing(pick.value)
        for (const [field, value] of [['kind', r?.kind || ''], ['quality', r?.quality || '']]) {
          const box = f.querySelector(`input[name="${field}"][value="${CSS.escape(value)}"]`)
          if (box) box.checked = true
        }
      })
      return [
        h('label', { class: 'choice check-line' },
          h('input', { type: 'checkbox', name: deceased.field, checked: me[deceased.field] === deceased.yes }),
          h('span', {}, `${deceased.mark} ${deceased.title}`)),
        choices('generation', generations, me.generation, ask.generation),
        relations.filter((r) => r.a === person || r.b === person).length
          ? h('ul', { class: 'geno-known' }, relations.filter((r) => r.a === person || r.b === person).map((r) => {
            const other = r.a === person ? r.b : r.a
            return h('li', {}, `${byId[other].name}: ${this.kind(r.kind).title.toLowerCase()}${r.quality && this.quality(r.quality) ? ` — ${this.quality(r.quality).title.toLowerCase()}` : ''}`)
          }))
          : null,
        others.length
          ? h('fieldset', { class: 'geno-link' }, h('legend', {}, `Hoe hoort ${name} bij iemand anders?`),
            h('label', { for: 'nb-geno-other' }, ask.other), pick,
            choices('kind', [...kinds, none], '', ask.kind),
            choices('quality', [...qualities, unknown], '', ask.quality))
          : h('p', { class: 'hint' }, 'Zet meer mensen in de stamboom om te zeggen hoe ze bij elkaar horen.')
      ]
    }, [['save', 'Klaar', 'primary'], ['remove', 'Uit de stamboom halen', 'danger'], ['cancel', 'Annuleren']])
    if (!this.writes()) return
    const origin = this.ctx.origin()
    if (action === 'remove') {
      this.doc.transact(() => {
        this.membersMap.delete(me.id)
        for (const r of relations) if (r.a === person || r.b === person) this.relationsMap.delete(r.id)
      }, origin)
      return
    }
    if (action !== 'save') return
    setFields(this.doc, origin, this.membersMap, me.id, {
      generation: chosen(form, 'generation') || me.generation,
      [deceased.field]: form.elements[deceased.field].checked ? deceased.yes : undefined
    })
    const other = form.elements.other?.value
    if (!other || !members[other]) return
    const kind = chosen(form, 'kind')
    const id = recordId(this.about, person, other)
    if (!kind) {
      if (existing(other)) deleteRecord(this.doc, origin, this.relationsMap, existing(other).id)
      return
    }
    // A parent and a child: the parent comes first, the one in the higher row.
    const index = (p) => generations.findIndex((g) => g.id === (p === person ? chosen(form, 'generation') || me.generation : members[p].generation))
    const [a, b] = index(other) < index(person) ? [other, person] : [person, other]
    setFields(this.doc, origin, this.relationsMap, id, { a, b, kind, quality: chosen(form, 'quality') || '' },
      { about: this.about, createdAt: Date.now() })
  }

  // --- drawing ------------------------------------------------------------------------------

  tree (about, byId, write) {
    const members = this.members(about, byId)
    const svg = s('svg', { class: 'geno-lines', 'aria-hidden': 'true' })
    const el = h('div', { class: `geno-tree${this.picked && write ? ' picking' : ''}`, dataset: { about } },
      svg,
      this.layout.generations.map((g) => h('section', { class: 'geno-row', dataset: { generation: g.id }, 'aria-label': g.title },
        h('h3', { class: 'geno-row-title' }, g.title),
        h('div', { class: 'geno-members' }, this.row(members, g.id).map((m) => {
          const person = byId[m.person]
          const dead = m[this.layout.deceased.field] === this.layout.deceased.yes
          const content = [dead ? h('span', { class: 'deceased-mark', 'aria-hidden': 'true' }, `${this.layout.deceased.mark} `) : null,
            person.name, dead ? h('span', { class: 'sr-only' }, ` (${this.layout.deceased.title.toLowerCase()})`) : null]
          const cls = `geno-member${dead ? ' deceased' : ''}`
          return write
            ? h('button', { type: 'button', class: cls, 'data-drag': true, dataset: { kind: 'member', id: m.person, action: 'edit' } }, content)
            : h('span', { class: cls, dataset: { id: m.person } }, content)
        }))))
    )
    el.lines = { svg, relations: this.relations(about, members), members }
    return el
  }

  // The lines, once the names are laid out: partners (one row) joined below them, a parent
  // and a child from the bottom of one to the top of the other.
  drawLines () {
    for (const tree of this.root.querySelectorAll('.geno-tree')) {
      const { svg, relations } = tree.lines || {}
      if (!svg) continue
      const box = tree.getBoundingClientRect()
      svg.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`)
      svg.replaceChildren()
      const place = (person) => {
        const el = tree.querySelector(`.geno-member[data-id="${CSS.escape(person)}"]`)
        if (!el) return null
        const r = el.getBoundingClientRect()
        return { x: r.left - box.left + r.width / 2, top: r.top - box.top, bottom: r.bottom - box.top, row: el.closest('.geno-row') }
      }
      for (const r of relations) {
        const a = place(r.a)
        const b = place(r.b)
        if (!a || !b) continue
        const d = a.row === b.row
          ? `M${a.x},${a.bottom} V${a.bottom + DROP} H${b.x} V${b.bottom}`
          : a.top < b.top ? `M${a.x},${a.bottom} L${b.x},${b.top}` : `M${b.x},${b.bottom} L${a.x},${a.top}`
        const mid = a.row === b.row
          ? { x: (a.x + b.x) / 2, y: a.bottom + DROP }
          : { x: (a.x + b.x) / 2, y: ((a.top < b.top ? a.bottom + b.top : b.bottom + a.top)) / 2 }
        this.line(svg, d, mid, r.kind, r.quality)
      }
    }
  }

  line (svg, d, mid, kindId, qualityId) {
    const kind = this.kind(kindId)
    const color = this.quality(qualityId)?.color || this.layout.noQualityColor
    const attrs = { d, fill: 'none', stroke: color, 'stroke-width': 3, class: `geno-line line-${kind.line}`, 'data-kind': kind.id }
    if (kind.line === 'double') {
      svg.append(s('path', { ...attrs, 'stroke-width': 8 }), s('path', { ...attrs, stroke: '#fff', 'stroke-width': 2.5 }))
    } else svg.append(s('path', { ...attrs, 'stroke-dasharray': kind.line === 'dotted' ? '3 6' : null }))
    if (kind.line === 'cut') {
      for (const dx of [-5, 5]) svg.append(s('path', { d: `M${mid.x + dx - 5},${mid.y + 9} L${mid.x + dx + 5},${mid.y - 9}`, stroke: color, 'stroke-width': 3 }))
    }
    if (this.quality(qualityId)?.mark === 'cross') { // met elkaar gebroken
      svg.append(s('path', { d: `M${mid.x - 8},${mid.y - 8} L${mid.x + 8},${mid.y + 8} M${mid.x - 8},${mid.y + 8} L${mid.x + 8},${mid.y - 8}`, stroke: color, 'stroke-width': 3, class: 'geno-cross' }))
    }
  }

  legend () {
    const sample = (kind, quality) => {
      const svg = s('svg', { viewBox: '0 0 60 28', width: 60, height: 28, 'aria-hidden': 'true' })
      this.line(svg, 'M4,14 H56', { x: 30, y: 14 }, kind, quality)
      return svg
    }
    const { kinds, qualities, deceased } = this.layout
    const parent = kinds.find((k) => k.line === 'solid')?.id || kinds[0].id
    return h('ul', { class: 'geno-legend', 'aria-label': 'Zo lees je de lijnen' },
      kinds.map((k) => h('li', {}, sample(k.id, ''), k.title)),
      qualities.map((q) => h('li', {}, sample(parent, q.id), q.title)),
      h('li', {}, h('span', { class: 'deceased-mark legend-mark', 'aria-hidden': 'true' }, deceased.mark), deceased.title))
  }

  tray (list, byId) {
    const members = this.members(this.about, byId)
    const sectors = this.layout.sectors || []
    const order = (p) => sectors.findIndex((x) => x.id === p.sector)
    const waiting = list.filter((p) => !members[p.id]).sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name, 'nl'))
    const picked = this.picked && byId[this.picked] && !members[this.picked] ? byId[this.picked] : null
    if (!picked) this.picked = null
    return h('aside', { class: 'geno-tray', 'aria-label': 'Nog niet in de stamboom' },
      h('h3', {}, 'Nog niet in de stamboom'),
      h('p', { class: 'hint' }, this.layout.place),
      picked
        ? h('div', { class: 'picked-bar', role: 'status' },
          h('p', {}, h('strong', {}, picked.name), ': tik op de rij waar die hoort. Of kies:'),
          h('div', { class: 'picked-actions' },
            this.layout.generations.map((g) => h('button', { type: 'button', class: 'primary', dataset: { action: 'put', generation: g.id } }, g.title)),
            h('button', { type: 'button', class: 'secondary', dataset: { action: 'unpick' } }, 'Annuleren')))
        : null,
      waiting.length
        ? h('div', { class: 'chips' }, waiting.map((p) => personChip(p, { picked: p.id === this.picked, drag: true, sectors })))
        : h('p', { class: 'people-empty' }, list.length ? 'Iedereen van de lijst staat in de stamboom.' : 'Er staat nog niemand op de lijst.'),
      this.mayAddPeople() ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'new-person' } }, '+ Iemand nieuw') : null)
  }

  render () {
    this.resize.disconnect()
    const { list, byId } = this.people()
    const about = this.layout.about || []
    const counts = Object.fromEntries(about.map((a) => [a.id, Object.keys(this.members(a.id, byId)).length]))
    if (this.ctx.readOnly) {
      const shown = about.filter((a) => counts[a.id])
      const trees = (shown.length ? shown : about.slice(0, 1))
      fill(this.root, h('div', { class: 'geno-board geno-tv' },
        h('div', { class: 'geno-trees', dataset: { count: trees.length } }, trees.map((a) =>
          h('section', { class: 'geno-part', 'aria-label': a.title },
            trees.length > 1 ? h('h3', {}, a.title) : null, this.tree(a.id, byId, false)))),
        this.legend()))
    } else {
      const write = this.writes()
      fill(this.root, h('div', { class: 'geno-board' },
        this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
        this.aboutSwitch(counts),
        h('div', { class: `geno-work${write ? '' : ' read'}` },
          h('div', { class: 'geno-main' }, this.tree(this.about, byId, write), this.legend()),
          write ? this.tray(list, byId) : null)))
    }
    for (const tree of this.root.querySelectorAll('.geno-tree')) this.resize.observe(tree)
    this.drawLines()
  }
}
