// The VIP-kaart (board `vipkaart`; toolkit 2.7): the child's own card. The child in the middle,
// around it at most ten people from the meeting's list (the order means nothing), each with a
// face for how the contact is and whether something should change. Made for a child with the
// tablet: big buttons, few words, one question at a time.
//
// The child decides whether the card is shown: until then the server gives professionals and
// the TV nothing of it (board/permissions.py). The family and the facilitator see who may see
// it and change that here (POST /api/meetings/{id}/shown); a screen that may not read it shows
// why instead. Places, choices and every sentence come from the layout (board/vipkaart.py).
import { h, fill } from './dom.js'
import { apiFetch } from './config.js'
import { courseState, accessNow } from './course.js'
import { NetworkView, records, setFields, deleteRecord, formDialog, personChip } from './mapping.js'

const NARROW = '(max-width: 640px)'
const SVG = 'http://www.w3.org/2000/svg'

// A simple face: mouth 1 smiles, 0 is straight, -1 is sad.
export function face (mouth, size = 48) {
  const el = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag)
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
    return node
  }
  const svg = el('svg', { viewBox: '0 0 40 40', width: size, height: size, class: 'face', 'aria-hidden': 'true' })
  svg.append(
    el('circle', { cx: 20, cy: 20, r: 18, class: 'face-skin' }),
    el('circle', { cx: 13.5, cy: 16, r: 2.2, class: 'face-eye' }),
    el('circle', { cx: 26.5, cy: 16, r: 2.2, class: 'face-eye' }),
    el('path', { d: `M 11 26 Q 20 ${26 + mouth * 7} 29 26`, class: 'face-mouth' }))
  return svg
}

export class VipView extends NetworkView {
  constructor (root, boardCfg, board, ctx) {
    super(root, boardCfg, board, ctx)
    this.narrow = window.matchMedia(NARROW)
    this.narrow.addEventListener('change', () => this.schedule())
    if (ctx.verloop) courseState(ctx.verloop).observe(() => this.schedule())
    root.addEventListener('click', (event) => this.onClick(event))
  }

  get vipsMap () { return this.doc.getMap('vips') }

  // Whether everyone may see the card now (verloop `shown`, written by the server).
  shown () {
    const list = this.ctx.verloop ? courseState(this.ctx.verloop).get('shown') : null
    return Array.isArray(list) && list.includes(this.cfg.id)
  }

  // Whether this screen may read the card now: the server's access table, and the board
  // itself not kept from us (app.js holds it while it is not shown).
  readable () {
    if (this.ctx.held?.(this.cfg.id)) return false
    return !this.ctx.verloop || accessNow(this.ctx.cfg, this.ctx.verloop, this.cfg.id) !== 'none'
  }

  // Who decides: the family and the facilitator (board/permissions.py may_show, as data in
  // the config; the server checks it too).
  decides () {
    return !this.ctx.readOnly && this.ctx.cfg.mayShow === true
  }

  vips (byId) {
    return records(this.vipsMap)
      .filter((v) => this.layout.places.includes(v.id) && byId[v.person])
      .sort((a, b) => this.layout.places.indexOf(a.id) - this.layout.places.indexOf(b.id))
  }

  onClick (event) {
    const el = event.target.closest('[data-action]')
    if (!el || !this.root.contains(el) || this.ctx.readOnly) return
    const { action, id } = el.dataset
    if (action === 'show' || action === 'hide') return this.setShown(action === 'show')
    if (!this.writes()) return
    if (action === 'pick') this.add(id)
    else if (action === 'vip') this.ask(id)
    else if (action === 'new-person') this.newPerson().then((pid) => pid && this.add(pid))
  }

  async setShown (shown) {
    const response = await apiFetch(this.ctx.cfg, `/api/meetings/${this.ctx.cfg.meetingId}/shown`,
      { board: this.cfg.id, shown, by: this.ctx.person?.()?.name || '' })
    this.message = response.ok ? '' : ((await response.json().catch(() => ({}))).error || '')
    this.schedule()
  }

  // Put someone on the first free place, then ask about them.
  add (person) {
    const vips = records(this.vipsMap)
    if (vips.some((v) => v.person === person)) return
    const place = this.layout.places.find((p) => !vips.some((v) => v.id === p))
    if (!place) return
    setFields(this.doc, this.ctx.origin(), this.vipsMap, place, {}, { person, createdAt: Date.now() })
    this.ask(place)
  }

  // How the contact is, with three faces; whether something should change, with two answers.
  async ask (place) {
    const vip = records(this.vipsMap).find((v) => v.id === place)
    const who = vip && this.people().byId[vip.person]
    if (!who) return
    const L = this.layout
    const limit = this.ctx.cfg.limits.text
    const { action, form } = await formDialog(who.name, () => [
      h('fieldset', { class: 'vip-faces' }, h('legend', {}, L.contactQuestion),
        L.contacts.map((c) => h('label', { class: 'vip-face-choice' },
          h('input', { type: 'radio', name: 'contact', value: c.id, checked: vip.contact === c.id }),
          face(c.mouth, 56), h('span', {}, c.label)))),
      h('label', { for: 'nb-vip-contact' }, 'Wil je er iets over zeggen? (mag je leeg laten)'),
      h('textarea', { id: 'nb-vip-contact', name: 'contactText', rows: 2, maxlength: limit }, vip.contactText || ''),
      h('fieldset', { class: 'vip-change' }, h('legend', {}, L.changeQuestion),
        L.changes.map((c) => h('label', { class: 'choice' },
          h('input', { type: 'radio', name: 'change', value: c.id, checked: vip.change === c.id }),
          h('span', {}, c.label)))),
      h('label', { for: 'nb-vip-changetext' }, L.changeTextQuestion),
      h('textarea', { id: 'nb-vip-changetext', name: 'changeText', rows: 2, maxlength: limit }, vip.changeText || '')
    ], [['save', 'Klaar', 'primary'], ['remove', 'Van de kaart halen', 'danger'], ['cancel', 'Annuleren']])
    if (!this.writes()) return
    if (action === 'remove') return deleteRecord(this.doc, this.ctx.origin(), this.vipsMap, place)
    if (action !== 'save') return
    const picked = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value
    const text = (name) => form.elements[name].value.trim().slice(0, limit)
    setFields(this.doc, this.ctx.origin(), this.vipsMap, place, {
      contact: picked('contact'),
      contactText: text('contactText') || undefined,
      change: picked('change'),
      changeText: text('changeText') || undefined
    })
  }

  vipCard (vip, who, write) {
    const contact = this.layout.contacts.find((c) => c.id === vip.contact)
    const change = this.layout.changes.find((c) => c.id === vip.change)
    const body = [
      contact ? face(contact.mouth, this.ctx.readOnly ? 64 : 44) : h('span', { class: 'face-empty', 'aria-hidden': 'true' }, '?'),
      h('span', { class: 'vip-text' },
        h('strong', { class: 'vip-name' }, who.name),
        h('span', { class: 'vip-contact' }, vip.contactText || contact?.label || (write ? 'Tik om te vertellen' : '')),
        change?.wish
          ? h('span', { class: 'vip-wish' }, vip.changeText ? `${change.label}: ${vip.changeText}` : change.label)
          : null)]
    return write
      ? h('button', { type: 'button', class: 'vip-card', dataset: { action: 'vip', id: vip.id, place: vip.id } }, body)
      : h('div', { class: 'vip-card', dataset: { place: vip.id } }, body)
  }

  // The card: the child in the middle, the ten places around it in a ring (the layout's grid);
  // on a phone the people below it.
  card (vips, byId, write) {
    const owner = this.doc.getMap('info').get('about')
    const centre = h('div', { class: 'vip-me' }, h('span', {}, byId[owner]?.name || this.layout.me))
    if (this.narrow.matches && !this.ctx.readOnly) {
      return h('div', { class: 'vip-card-board vip-list' }, centre, vips.map((v) => this.vipCard(v, byId[v.person], write)))
    }
    const { rows, cols, ring, me } = this.layout.grid
    const at = (el, [row, col, span = 1]) => { el.style.gridArea = `${row} / ${col} / span 1 / span ${span}`; return el }
    const taken = new Map(vips.map((v) => [v.id, v]))
    // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
    const board = h('div', { class: 'vip-card-board vip-round' })
    board.style.setProperty('--vip-rows', rows)
    board.style.setProperty('--vip-cols', cols)
    return fill(board,
      at(centre, me),
      this.layout.places.map((place, i) => {
        const v = taken.get(place)
        if (v) return at(this.vipCard(v, byId[v.person], write), ring[i])
        return this.ctx.readOnly ? null : at(h('span', { class: 'vip-free', 'aria-hidden': 'true' }), ring[i])
      }))
  }

  whoSees () {
    const shown = this.shown()
    return h('section', { class: `vip-who ${shown ? 'is-shown' : 'is-hidden'}`, 'aria-live': 'polite' },
      h('p', {}, shown ? this.layout.shown : this.layout.hidden),
      h('button', { type: 'button', class: shown ? 'secondary' : 'primary', dataset: { action: shown ? 'hide' : 'show' } },
        shown ? this.layout.hide : this.layout.show),
      this.message ? h('p', { class: 'error', role: 'alert' }, this.message) : null)
  }

  render () {
    if (!this.readable()) {
      fill(this.root, h('div', { class: 'vip-board vip-not-shown', 'data-tv-fit': this.ctx.readOnly ? 'vipkaart' : null },
        h('p', {}, this.layout.notShown)))
      return
    }
    const { list, byId } = this.people()
    const vips = this.vips(byId)
    if (this.ctx.readOnly) {
      fill(this.root, h('div', { class: 'vip-board vip-tv', 'data-tv-fit': 'vipkaart', 'data-tv-max': 40 }, this.card(vips, byId, false)))
      return
    }
    const write = this.writes()
    const onCard = new Set(vips.map((v) => v.person))
    const waiting = list.filter((p) => !onCard.has(p.id))
    const full = records(this.vipsMap).filter((v) => this.layout.places.includes(v.id)).length >= this.layout.max
    fill(this.root, h('div', { class: 'vip-board' },
      this.decides() ? this.whoSees() : null,
      this.cfg.explain ? h('p', { class: 'board-explain vip-explain' }, this.cfg.explain) : null,
      this.card(vips, byId, write),
      h('p', { class: 'vip-count' }, `${vips.length} van de ${this.layout.max}`),
      write
        ? h('section', { class: 'vip-add', 'aria-label': 'Iemand op de kaart zetten' },
          full
            ? h('p', { class: 'vip-full', role: 'status' }, this.layout.full)
            : [h('h3', {}, 'Wie is belangrijk voor jou?'),
                waiting.length
                  ? h('div', { class: 'chips' }, waiting.map((p) => personChip(p, { sectors: this.peopleSectors() })))
                  : h('p', { class: 'people-empty' }, list.length ? 'Iedereen van de lijst staat op de kaart.' : 'Er staat nog niemand op de lijst.'),
                this.mayAddPeople() ? h('button', { type: 'button', class: 'secondary', dataset: { action: 'new-person' } }, '+ Iemand nieuw') : null])
        : null))
  }
}
