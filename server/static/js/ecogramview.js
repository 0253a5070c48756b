// The ecogram / wijkecogram (board `ecogram`, kind "rings"; toolkit 2.2): whom the map is
// about in the middle, a big and a small circle in three parts. People from the meeting's
// list are placed with one tap and a drag (a long press on a touch screen, as for notes:
// drag.js), or a tap on the name and a tap on the place. Drawn from the board's layout
// (board/networkmap.py ECOGRAM_LAYOUT): rings, sectors and their angles, colours, titles.
import { h, fill } from './dom.js'
import { enableDrag } from './drag.js'
import {
  NetworkView, records, setFields, deleteRecord, recordId, formDialog, choices, chosen,
  personChip, under, clamp01
} from './mapping.js'

const SVG = 'http://www.w3.org/2000/svg'
const VIEW = 1.02 // the drawing's half-width, in radii of the big circle (room for its line)

function s (tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v))
  el.append(...children.flat(Infinity).filter(Boolean))
  return el
}

const rad = (deg) => (deg * Math.PI) / 180
const at = (radius, deg) => [radius * Math.cos(rad(deg)), radius * Math.sin(rad(deg))]

// An annulus sector: between radii `inner` and `outer`, from angle `from` to `to` (degrees).
function wedge (inner, outer, from, to) {
  const large = to - from > 180 ? 1 : 0
  const [x1, y1] = at(outer, from)
  const [x2, y2] = at(outer, to)
  const [x3, y3] = at(inner, to)
  const [x4, y4] = at(inner, from)
  return `M${x1},${y1} A${outer},${outer} 0 ${large} 1 ${x2},${y2} L${x3},${y3} ` +
    `A${inner},${inner} 0 ${large} 0 ${x4},${y4} Z`
}

export class EcogramView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    this.picked = null // the person tapped, to be placed with a tap in the circle
    if (!ctx.readOnly) {
      enableDrag(root, {
        canDrag: () => this.writes(),
        onDrop: (item, target) => this.drop(item, target),
        find: (item, x, y) => this.regionAt(x, y)
      })
    }
    root.addEventListener('click', (event) => this.onClick(event))
    this.resize = new ResizeObserver(() => this.spaceOut())
  }

  // Names that would lie on top of each other move apart, downwards: only on the screen, the
  // place in the document stays where it was put.
  spaceOut () {
    for (const circle of this.root.querySelectorAll('.eco-circle')) {
      const names = [...circle.querySelectorAll('.eco-person')]
      names.forEach((el) => el.style.removeProperty('--dy'))
      const boxes = names.map((el) => ({ el, r: el.getBoundingClientRect() })).sort((a, b) => a.r.top - b.r.top)
      const done = []
      for (const { el, r } of boxes) {
        let dy = 0
        for (let moved = true; moved;) {
          moved = false
          for (const d of done) {
            if (r.left < d.right && r.right > d.left && r.top + dy < d.bottom && r.bottom + dy > d.top) {
              dy = d.bottom - r.top + 2
              moved = true
            }
          }
        }
        if (dy) el.style.setProperty('--dy', `${dy}px`)
        done.push({ left: r.left, right: r.right, top: r.top + dy, bottom: r.bottom + dy })
      }
    }
  }

  get placementsMap () { return this.maps()[0] }

  ring (id) { return this.layout.rings.find((r) => r.id === id) }
  sector (id) { return this.layout.sectors.find((x) => x.id === id) }

  // The placements of one map, of people still on the list: { person -> record }.
  placed (about, byId) {
    const out = {}
    for (const p of records(this.placementsMap)) {
      if (p.about === about && byId[p.person] && this.ring(p.ring) && this.sector(p.sector)) out[p.person] = p
    }
    return out
  }

  // Where a placement is drawn (board/networkmap.py ecogram_point, from the layout's numbers).
  point (p) {
    const m = this.layout.margin
    const keep = (v) => Math.min(1 - m, Math.max(m, typeof v === 'number' && Number.isFinite(v) ? v : 0.5))
    const ring = this.ring(p.ring)
    const sector = this.sector(p.sector)
    const deg = sector.from + keep(p.a) * (sector.to - sector.from)
    return at(ring.inner + keep(p.r) * (ring.outer - ring.inner), deg)
  }

  // The region under a finger, for drag.js: { type: 'zone', element, ring, sector, x, y }.
  regionAt (x, y) {
    const el = under(x, y, '.eco-region')
    if (!el || !this.root.contains(el)) return null
    return { type: 'zone', element: el, ring: el.dataset.ring, sector: el.dataset.sector, x, y }
  }

  // A point on the screen as a place in a region: a along the sector, r across the ring.
  placeAt (target) {
    const circle = target.element.closest('.eco-circle')
    const box = circle.getBoundingClientRect()
    const ux = ((target.x - box.left) / box.width) * 2 * VIEW - VIEW
    const uy = ((target.y - box.top) / box.height) * 2 * VIEW - VIEW
    const ring = this.ring(target.ring)
    const sector = this.sector(target.sector)
    const turn = (((Math.atan2(uy, ux) * 180) / Math.PI - sector.from) % 360 + 360) % 360
    return {
      ring: ring.id,
      sector: sector.id,
      a: clamp01(turn / (sector.to - sector.from)),
      r: clamp01((Math.hypot(ux, uy) - ring.inner) / (ring.outer - ring.inner))
    }
  }

  place (person, where) {
    if (!this.writes() || !person) return
    const id = recordId(this.about, person)
    setFields(this.doc, this.ctx.origin(), this.placementsMap, id, where,
      { about: this.about, person, createdAt: Date.now() })
    this.picked = null
    this.schedule()
  }

  // A place in a region without a point (the buttons): spread out over the region.
  spread (ring, sector, byId) {
    const n = Object.values(this.placed(this.about, byId)).filter((p) => p.ring === ring && p.sector === sector).length
    return { ring, sector, a: (0.5 + n * 0.382) % 1, r: [0.5, 0.25, 0.75][n % 3] }
  }

  drop (item, target) {
    if (target?.ring) this.place(item.id, this.placeAt(target))
  }

  onClick (event) {
    if (this.ctx.readOnly) return
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el)) {
      const region = event.target.closest?.('.eco-region')
      if (region && this.picked) {
        this.place(this.picked, this.placeAt({ element: region, ring: region.dataset.ring, sector: region.dataset.sector, x: event.clientX, y: event.clientY }))
      }
      return
    }
    const action = el.dataset.action
    if (action === 'pick') {
      this.picked = this.picked === el.dataset.id ? null : el.dataset.id
      this.schedule()
    } else if (action === 'edit') this.edit(el.dataset.id)
    else if (action === 'put') {
      const { byId } = this.people()
      this.place(this.picked, this.spread(el.dataset.ring, byId[this.picked]?.sector || this.layout.sectors[0].id, byId))
    } else if (action === 'unpick') { this.picked = null; this.schedule() } else if (action === 'new-person') this.addAndPick()
    else if (action === 'forgotten') {
      const item = this.layout.forgotten.items[Number(el.dataset.item)]
      this.addAndPick({ sector: item.sector, relation: item.relation })
    }
  }

  async addAndPick (preset = {}) {
    const id = await this.newPerson(preset)
    if (id) { this.picked = id; this.schedule() }
  }

  async edit (person) {
    if (!this.writes()) return
    const { byId } = this.people()
    const p = this.placed(this.about, byId)[person]
    if (!p) return
    const { action, form } = await formDialog(byId[person].name, () => [
      choices('ring', this.layout.rings.map((r) => ({ id: r.id, title: `${r.title}: ${r.hint.toLowerCase()}` })), p.ring, 'Hoe dichtbij?'),
      choices('sector', this.layout.sectors, p.sector, 'In welk deel?')
    ], [['save', 'Klaar', 'primary'], ['remove', 'Van deze kaart halen', 'danger'], ['cancel', 'Annuleren']])
    if (!this.writes()) return
    if (action === 'remove') deleteRecord(this.doc, this.ctx.origin(), this.placementsMap, p.id)
    else if (action === 'save') {
      setFields(this.doc, this.ctx.origin(), this.placementsMap, p.id, { ring: chosen(form, 'ring') || p.ring, sector: chosen(form, 'sector') || p.sector })
    }
  }

  // --- drawing ------------------------------------------------------------------------------

  circle (about, byId, write) {
    const { rings, sectors, center } = this.layout
    const placed = Object.values(this.placed(about, byId))
    const svg = s('svg', { viewBox: `${-VIEW} ${-VIEW} ${2 * VIEW} ${2 * VIEW}`, class: 'eco-drawing', 'aria-hidden': 'true' },
      rings.map((ring, i) => sectors.map((sector) => s('path', {
        class: `eco-region color-${sector.color} ring-${i}`,
        'data-ring': ring.id,
        'data-sector': sector.id,
        d: wedge(ring.inner, ring.outer, sector.from, sector.to)
      }))),
      s('circle', { class: 'eco-middle', r: center }))
    const names = placed
      .sort((a, b) => byId[a.person].name.localeCompare(byId[b.person].name, 'nl'))
      .map((p) => {
        const [x, y] = this.point(p)
        const person = byId[p.person]
        const label = `${person.name}${person.relation ? `, ${person.relation}` : ''}: ${this.ring(p.ring).title.toLowerCase()}, ${this.sector(p.sector).title.toLowerCase()}`
        const el = write
          ? h('button', { type: 'button', class: 'eco-person', 'data-drag': true, 'aria-label': label, dataset: { kind: 'placed', id: p.person, action: 'edit', ring: p.ring, sector: p.sector } }, person.name)
          : h('span', { class: 'eco-person', 'aria-label': label, dataset: { id: p.person, ring: p.ring, sector: p.sector } }, person.name)
        // Through the CSSOM: the page's Content-Security-Policy allows no style attributes.
        el.style.left = `${((x + VIEW) / (2 * VIEW)) * 100}%`
        el.style.top = `${((y + VIEW) / (2 * VIEW)) * 100}%`
        // Near the left or right rim a name leans inwards, so that it stays inside the circle.
        el.style.setProperty('--ux', (Math.sign(x) * Math.max(0, Math.abs(x) - 0.45) / 0.55).toFixed(3))
        return el
      })
    // Each part's title near the rim of its third, as written on the paper circle.
    const outer = rings[rings.length - 1]
    const labels = sectors.map((sector) => {
      const [x, y] = at(outer.inner + (outer.outer - outer.inner) * 0.72, (sector.from + sector.to) / 2)
      const el = h('span', { class: 'eco-sector-label', 'aria-hidden': 'true' }, sector.title)
      el.style.left = `${((x + VIEW) / (2 * VIEW)) * 100}%`
      el.style.top = `${((y + VIEW) / (2 * VIEW)) * 100}%`
      return el
    })
    return h('div', { class: `eco-circle${this.picked && write ? ' picking' : ''}`, dataset: { about } },
      svg,
      h('div', { class: 'eco-center' }, this.aboutTitle(about)),
      labels,
      names)
  }

  legend () {
    return h('ul', { class: 'eco-legend' },
      this.layout.sectors.map((x) => h('li', {}, h('span', { class: `swatch color-${x.color}`, 'aria-hidden': 'true' }), x.title)),
      this.layout.rings.map((r, i) => h('li', {}, h('span', { class: `swatch ring-swatch ring-${i}`, 'aria-hidden': 'true' }), `${r.title}: ${r.hint.toLowerCase()}`)))
  }

  tray (list, byId) {
    const onMap = this.placed(this.about, byId)
    const waiting = list.filter((p) => !onMap[p.id])
      .sort((a, b) => this.layout.sectors.findIndex((x) => x.id === a.sector) - this.layout.sectors.findIndex((x) => x.id === b.sector) || a.name.localeCompare(b.name, 'nl'))
    const picked = this.picked && byId[this.picked] && !onMap[this.picked] ? byId[this.picked] : null
    if (!picked) this.picked = null
    const forgotten = this.layout.forgotten
    return h('aside', { class: 'eco-tray', 'aria-label': 'Nog niet op de kaart' },
      h('h3', {}, 'Nog niet op de kaart'),
      h('p', { class: 'hint' }, this.layout.place),
      picked
        ? h('div', { class: 'picked-bar', role: 'status' },
          h('p', {}, h('strong', {}, picked.name), ': tik in de cirkel waar die staat. Of kies:'),
          h('div', { class: 'picked-actions' },
            this.layout.rings.map((r) => h('button', { type: 'button', class: 'primary', dataset: { action: 'put', ring: r.id } }, r.title)),
            h('button', { type: 'button', class: 'secondary', dataset: { action: 'unpick' } }, 'Annuleren')))
        : null,
      waiting.length
        ? h('div', { class: 'chips' }, waiting.map((p) => personChip(p, { picked: p.id === this.picked, drag: true, sectors: this.layout.sectors })))
        : h('p', { class: 'people-empty' }, list.length ? 'Iedereen van de lijst staat op deze kaart.' : 'Er staat nog niemand op de lijst.'),
      this.mayAddPeople()
        ? h('div', { class: 'tray-add' },
          h('button', { type: 'button', class: 'secondary', dataset: { action: 'new-person' } }, '+ Iemand nieuw'),
          forgotten
            ? h('div', { class: 'forgotten' }, h('p', { class: 'hint' }, forgotten.title),
              forgotten.items.map((item, i) => h('button', { type: 'button', class: 'secondary small prompt-chip', dataset: { action: 'forgotten', item: i } }, `+ ${item.label}`)))
            : null)
        : null)
  }

  render () {
    this.drawMaps()
    this.resize.disconnect()
    for (const circle of this.root.querySelectorAll('.eco-circle')) this.resize.observe(circle)
    this.spaceOut()
  }

  drawMaps () {
    const { list, byId } = this.people()
    const counts = Object.fromEntries((this.layout.about || []).map((a) => [a.id, Object.keys(this.placed(a.id, byId)).length]))
    if (this.ctx.readOnly) {
      // The TV: every map with people on it, side by side (the first when none has).
      const shown = (this.layout.about || []).filter((a) => counts[a.id])
      const maps = shown.length ? shown : (this.layout.about || []).slice(0, 1)
      fill(this.root, h('div', { class: 'eco-board eco-tv' },
        h('div', { class: 'eco-maps', dataset: { count: maps.length } }, maps.map((a) =>
          h('section', { class: 'eco-map', 'aria-label': a.title }, this.circle(a.id, byId, false)))),
        this.legend()))
      return
    }
    const write = this.writes()
    fill(this.root, h('div', { class: 'eco-board' },
      this.cfg.explain ? h('p', { class: 'board-explain' }, this.cfg.explain) : null,
      this.aboutSwitch(counts),
      h('div', { class: `eco-work${write ? '' : ' read'}` },
        h('div', { class: 'eco-map' }, this.circle(this.about, byId, write), this.legend()),
        write ? this.tray(list, byId) : null)))
  }
}
