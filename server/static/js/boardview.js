// Draws one board (zones, groups, notes, this person's private notes) from its Y.Doc and turns
// taps and drags into document changes. Renders once per frame after changes, rebuilding only
// the notes whose content changed and moving the rest (see Memo and reconcile in dom.js).
// What a board and its zones are (private first, a statement, fixed tags) is the server's data:
// boardCfg, from cfg.boards.
import { h, clear, reconcile, Memo } from './dom.js'
import { enableDrag } from './drag.js'
import { editNote, askText, confirmDialog } from './dialogs.js'
import * as ops from './notes.js'
import { privateNoteList, postPrivateNotes } from './privatenotes.js'

export class BoardView {
  // ctx: {cfg, readOnly, person() -> {id,name,relation}|null, origin() -> string,
  //       privateDoc() -> Y.Doc|null, mode(boardId) -> {write, privateFirst, statement},
  //       posted(count, allowed) (after posting private notes), spotlight(groupId) (facilitator only)}
  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.boardCfg = boardCfg
    this.board = board
    this.doc = board.doc
    this.ctx = ctx
    this.frame = 0
    this.memo = new Memo()
    this.observed = []
    this.observe(this.doc)
    if (!ctx.readOnly) {
      enableDrag(root, { canDrag: (el) => this.canDrag(el), onDrop: (item, target) => this.drop(item, target) })
    }
    root.addEventListener('click', (event) => this.onClick(event))
  }

  observe (doc) {
    const schedule = () => this.schedule()
    for (const map of [ops.notesOf(doc), ops.groupsOf(doc), doc.getMap('statements')]) {
      map.observeDeep(schedule)
      this.observed.push(() => map.unobserveDeep(schedule))
    }
  }

  // Call when the board was loaded again from the server (board.reset() in provider.js): the old
  // document is gone, this one is what everyone sees.
  setDoc (doc) {
    this.observed.forEach((off) => off())
    this.observed = []
    this.doc = doc
    this.observe(doc)
    this.schedule()
  }

  // Call when the person (and so the private notes) changes.
  setPrivateDoc (privateDoc) {
    this.privateUnobserve?.()
    this.privateUnobserve = null
    if (privateDoc) {
      const map = ops.notesOf(privateDoc)
      const schedule = () => this.schedule()
      map.observeDeep(schedule)
      this.privateUnobserve = () => map.unobserveDeep(schedule)
    }
    this.schedule()
  }

  schedule () {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render() })
  }

  render () {
    if (document.body.classList.contains('is-waiting')) {
      this.memo.clear()
      return clear(this.root)
    }
    const focused = document.activeElement
    const zones = this.memo.get('zones', '', () => h('div', { class: `zones zones-${this.boardCfg.id}` }))
    reconcile(zones, this.boardCfg.zones.map((zone) => this.renderZone(zone)))
    reconcile(this.root, [zones])
    this.memo.sweep()
    // An element that was rebuilt lost the focus: give it to its successor.
    if (focused && !focused.isConnected && focused.closest) {
      const item = focused.closest('[data-kind]')
      if (item) {
        this.root.querySelector(`[data-kind="${item.dataset.kind}"][data-id="${CSS.escape(item.dataset.id)}"] .note-body, ` +
          `[data-kind="${item.dataset.kind}"][data-id="${CSS.escape(item.dataset.id)}"] .group-title`)?.focus()
      }
    }
  }

  mode () {
    return this.ctx.readOnly ? { write: false } : this.ctx.mode(this.boardCfg.id)
  }

  // Private notes are for boards where people write for themselves first (the Drieluik).
  allowsPrivate () {
    return this.boardCfg.privateNotes && !!this.ctx.privateDoc()
  }

  renderZone (zone) {
    const mode = this.mode()
    const items = ops.zoneItems(this.doc, zone.id)
    const privateDoc = this.ctx.privateDoc()
    const privateItems = privateDoc ? privateNoteList(privateDoc, zone.id) : []
    const titleId = `zone-${this.boardCfg.id}-${zone.id}`
    const count = items.length + privateItems.length
    const canAdd = !this.ctx.readOnly && (mode.write || this.allowsPrivate())
    const statement = zone.statement ? this.doc.getMap('statements').get(zone.statement.key) : null
    const head = this.memo.get(`head:${zone.id}`, JSON.stringify([canAdd, mode.write, mode.statement, statement]), () =>
      h('div', { class: 'zone-head' },
        h('h2', { id: titleId, class: 'zone-title' }, zone.title),
        this.renderStatement(zone, mode),
        canAdd ? h('button', { class: 'add-note', dataset: { addZone: zone.id } },
          h('span', { 'aria-hidden': 'true' }, '+ '), 'Briefje', h('span', { class: 'sr-only' }, ` bij: ${zone.title}`)) : null))
    const list = this.memo.get(`list:${zone.id}`, '', () => h('ol', { class: 'zone-items' }))
    list.setAttribute('aria-label', `${count} briefjes`)
    reconcile(list, [
      ...items.map((item) => item.kind === 'group' ? this.renderGroup(item, zone) : this.renderNote(item, zone)),
      ...privateItems.map((item) => this.renderNote(item, zone))])
    const section = this.memo.get(`zone:${zone.id}`, '', () => h('section', {
      class: `zone zone-${zone.id} color-${zone.color}`, dataset: { zone: zone.id }, 'aria-labelledby': titleId
    }))
    return reconcile(section, [head, list])
  }

  renderStatement (zone, mode) {
    const spec = zone.statement
    if (!spec) return null
    const value = this.doc.getMap('statements').get(spec.key)
    const asked = mode.statement === spec.key
    if (!value && !asked) return null
    return h('div', { class: `statement${asked ? ' asked' : ''}` },
      h('span', { class: 'statement-label' }, `${spec.label}: `),
      mode.write
        ? h('button', { class: 'statement-text', dataset: { action: 'statement', statementZone: zone.id } },
          value || 'Tik om op te schrijven')
        : h('span', { class: 'statement-text' }, value || '…'))
  }

  renderGroup (item, zone) {
    const notes = ops.groupNotes(this.doc, item.id)
    const title = item.group.title || 'Groep zonder thema'
    const write = this.mode().write
    const spotlit = this.ctx.spotlit?.() === item.id
    const signature = JSON.stringify([title, write, spotlit, !!this.ctx.spotlight])
    const head = this.memo.get(`ghead:${item.id}`, signature, () =>
      h('div', { class: 'group-head', 'data-drag': write },
        h('span', { class: 'group-label' }, 'Thema: '),
        write
          ? h('button', { class: 'group-title', dataset: { action: 'group-title' } }, title)
          : h('span', { class: 'group-title' }, title),
        this.ctx.spotlight
          ? h('button', { class: 'secondary small spotlight', dataset: { action: 'spotlight' }, 'aria-pressed': String(spotlit) },
            spotlit ? 'Niet meer op het scherm' : 'Op het scherm')
          : null))
    const list = this.memo.get(`glist:${item.id}`, '', () => h('ol', { class: 'group-notes' }))
    reconcile(list, notes.map((n) => this.renderNote(n, zone)))
    const el = this.memo.get(`group:${item.id}`, '', () => h('li', { class: 'group', dataset: { kind: 'group', id: item.id } }))
    el.classList.toggle('spotlit', spotlit)
    return reconcile(el, [head, list])
  }

  renderNote (item, zone) {
    const note = item.note
    const isPro = note.role === 'professional'
    const author = note.authorName || 'Onbekend'
    const tags = Array.isArray(note.tags) ? note.tags.filter((t) => this.ctx.cfg.tags[t]) : []
    const write = this.mode().write
    const drag = item.private || write
    const canPost = item.private && write // "Plakken" appears the moment posting is allowed
    const key = `${item.private ? 'private' : 'note'}:${item.id}`
    const { roleLabels, tagShort, helpShort } = this.ctx.cfg
    return this.memo.get(key, JSON.stringify([note, drag, canPost, zone.color]), () => h('li', {
      class: `note color-${note.color || zone.color}${item.private ? ' private' : ''}`,
      dataset: { kind: 'note', id: item.id, private: item.private ? 'true' : 'false' }
    },
    h('button', { class: 'note-body', 'data-drag': drag, dataset: { action: 'open' } },
      h('span', { class: 'note-text' }, note.text || ''),
      h('span', { class: 'note-author' },
        author,
        isPro ? h('span', { class: 'pro-mark' }, ` · ${roleLabels[note.role].toLowerCase()}`) : null),
      tags.length || note.help
        ? h('span', { class: 'note-tags' },
          tags.map((t) => h('span', { class: `tag tag-${t}` }, tagShort[t] || t)),
          note.help ? h('span', { class: 'tag tag-help' }, `hulp: ${helpShort[note.help] || note.help}`) : null)
        : null,
      item.private ? h('span', { class: 'private-mark' }, 'Alleen voor jou') : null),
    canPost
      ? h('button', { class: 'post-note', dataset: { action: 'post' } }, 'Plakken', h('span', { class: 'sr-only' }, `: ${note.text}`))
      : null))
  }

  canDrag (el) {
    if (this.ctx.readOnly || !this.ctx.person()) return false
    return el.dataset.private === 'true' || this.mode().write
  }

  onClick (event) {
    const add = event.target.closest('[data-add-zone]')
    if (add) return this.newNote(add.dataset.addZone)
    const actionEl = event.target.closest('[data-action]')
    if (!actionEl || !this.root.contains(actionEl)) return
    const itemEl = actionEl.closest('[data-kind]')
    const { id } = itemEl?.dataset || {}
    const isPrivate = itemEl?.dataset.private === 'true'
    const action = actionEl.dataset.action
    if (action === 'open') this.openNote(id, isPrivate)
    else if (action === 'post') this.post([id])
    else if (action === 'group-title') this.editGroupTitle(id)
    else if (action === 'spotlight') this.ctx.spotlight(this.ctx.spotlit?.() === id ? null : id)
    else if (action === 'statement') this.editStatement(this.boardCfg.zones.find((z) => z.id === actionEl.dataset.statementZone).statement)
  }

  async editStatement ({ key, question }) {
    const text = await askText({
      title: question, label: question, value: this.doc.getMap('statements').get(key) || '', maxlength: this.ctx.cfg.limits.text
    })
    // this.doc, read again: the board may have been loaded again while the dialog was open.
    if (text !== null) this.doc.transact(() => this.doc.getMap('statements').set(key, text), this.ctx.origin())
  }

  async newNote (zoneId) {
    const person = this.ctx.person()
    if (!person) return
    const mode = this.mode()
    const allowPrivate = this.allowsPrivate()
    // When posting is not open yet, a new note can only be kept for yourself.
    const onlyPrivate = allowPrivate && !mode.write
    const result = await editNote({
      board: this.boardCfg, zone: zoneId, isNew: true, allowPrivate: allowPrivate && !onlyPrivate,
      privateDefault: !!mode.privateFirst, // only in a step where people write for themselves
      tags: this.ctx.cfg.tags, helpKinds: this.ctx.cfg.helpKinds, onlyPrivate, maxlength: this.ctx.cfg.limits.text
    })
    if (result.action !== 'save') return
    const zone = this.boardCfg.zones.find((z) => z.id === result.zone)
    const tags = this.tagsOf(result)
    const fields = {
      text: result.text, zone: result.zone, author: person.id, authorName: person.name,
      role: this.ctx.cfg.role, color: zone.color, tags, help: result.help
    }
    const privateDoc = this.ctx.privateDoc()
    if ((result.private || onlyPrivate) && privateDoc) ops.addNote(privateDoc, 'private', fields)
    else ops.addNote(this.doc, this.ctx.origin(), fields)
  }

  // The tags chosen in the dialog, and those every note on this board carries (bodemeisen).
  tagsOf (result) {
    return [...new Set([...this.boardCfg.fixedTags, ...result.tags])]
  }

  async openNote (id, isPrivate) {
    let doc = isPrivate ? this.ctx.privateDoc() : this.doc
    if (!doc) return
    const note = ops.noteData(ops.notesOf(doc).get(id))
    if (this.ctx.readOnly || (!isPrivate && !this.mode().write)) return
    const editable = isPrivate || ops.canEdit(note, this.ctx.person(), this.ctx.cfg)
    if (!editable) {
      // Other people's notes can be moved, not changed; a goal can still go into the plan.
      if (this.ctx.makeGoal && await confirmDialog({
        title: 'Doel in het plan zetten?', text: note.text || '', yes: 'Maak er een doel van in het plan'
      })) this.ctx.makeGoal(id, note)
      return
    }
    const result = await editNote({
      board: this.boardCfg, note, zone: note.zone, isNew: false, canDelete: true,
      isPrivate, canPost: isPrivate && this.mode().write, canGoal: !isPrivate && !!this.ctx.makeGoal, canMove: !isPrivate && !note.group, tags: this.ctx.cfg.tags, helpKinds: this.ctx.cfg.helpKinds,
      maxlength: this.ctx.cfg.limits.text
    })
    const origin = isPrivate ? 'private' : this.ctx.origin()
    if (!isPrivate) doc = this.doc // the board may have been loaded again meanwhile
    if (result.action === 'delete') return ops.deleteNote(doc, origin, id)
    if (result.action === 'goal') return this.ctx.makeGoal(id, note)
    if (result.action === 'up' || result.action === 'down') {
      return ops.nudge(doc, origin, 'note', id, result.action === 'up' ? -1 : 1)
    }
    if (result.action !== 'save' && result.action !== 'post') return
    const zone = this.boardCfg.zones.find((z) => z.id === result.zone)
    const patch = { text: result.text, tags: this.tagsOf(result), help: result.help }
    if (result.zone !== note.zone) {
      if (isPrivate) Object.assign(patch, { zone: result.zone, color: zone.color })
      else { ops.placeItem(doc, origin, 'note', id, result.zone, Infinity); patch.color = zone.color }
    }
    ops.updateNote(doc, origin, id, patch)
    if (result.action === 'post') this.post([id])
  }

  // Posting needs write access now: the server would drop it otherwise. Either way the person
  // is told (ctx.posted): how many went up, or why none did.
  post (ids) {
    return this.postNotes(ids, null)
  }

  // All my private notes, or only those of the zone the step is about.
  postAll (zone = null) {
    return this.postNotes(null, zone)
  }

  postNotes (ids, zone) {
    const privateDoc = this.ctx.privateDoc()
    const allowed = !!privateDoc && this.mode().write
    const count = allowed ? postPrivateNotes(privateDoc, this.doc, this.ctx.origin(), ids, zone) : 0
    this.ctx.posted?.(count, allowed)
    return count
  }

  async editGroupTitle (groupId) {
    const group = ops.groupsOf(this.doc).get(groupId)
    if (!group) return
    const title = await askText({ title: 'Thema van de groep', label: 'Welk thema hoort bij deze briefjes?', value: group.get('title') || '' })
    if (title !== null) ops.setGroupTitle(this.doc, this.ctx.origin(), groupId, title)
  }

  drop (item, target) {
    if (!item.private && !this.mode().write) return
    const origin = item.private ? 'private' : this.ctx.origin()
    if (item.private) {
      const privateDoc = this.ctx.privateDoc()
      if (privateDoc && target.type === 'zone') {
        const zone = this.boardCfg.zones.find((z) => z.id === target.zone)
        ops.updateNote(privateDoc, origin, item.id, { zone: target.zone, color: zone.color })
      }
      return
    }
    if (target.type === 'note') ops.groupWith(this.doc, origin, item.id, target.id)
    else if (target.type === 'group' && item.kind === 'note') ops.addToGroup(this.doc, origin, item.id, target.id)
    else if (target.type === 'zone') {
      const patch = { color: this.boardCfg.zones.find((z) => z.id === target.zone).color }
      // Anyone who may write the board may move a note; its colour follows the zone, in the
      // same update (every device sees the move and the colour at once).
      this.doc.transact(() => {
        ops.placeItem(this.doc, origin, item.kind, item.id, target.zone, target.index)
        if (item.kind === 'note' && ops.onlyMoves(patch, this.ctx.cfg)) ops.updateNote(this.doc, origin, item.id, patch)
      }, origin)
    }
  }

  destroy () {
    this.observed.forEach((off) => off())
    this.privateUnobserve?.()
    if (this.frame) cancelAnimationFrame(this.frame)
  }
}
