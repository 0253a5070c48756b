// "Mijn briefjes plakken": this person's private notes go on the shared board. The button is
// there exactly when posting is allowed: this person may write the board now (the server's
// access table in `verloop`, as every screen reads it) and has notes to post. After posting it
// says how many went up ("3 briefjes geplakt"); when posting is not allowed, a plain sentence
// says so. The per-note "Plakken" reports here too (BoardView's ctx.posted).
import { h } from './dom.js'
import { notesOf } from './notes.js'
import { privateNoteList } from './privatenotes.js'

const CONFIRM_MS = 8000 // how long "3 briefjes geplakt" stays

const briefjes = (n) => (n === 1 ? '1 briefje' : `${n} briefjes`)

export class PostingBar {
  // ctx: {cfg, course: verloop's state map, step() -> the current step or null,
  //       board() -> the id of the board on screen, person() -> the person writing or null,
  //       mayPost(boardId) -> may write that board now, privateDoc(boardId) -> Y.Doc | null,
  //       postAll(boardId, zone) -> posts them (BoardView.postAll, which calls posted())}
  constructor (ctx) {
    this.ctx = ctx
    this.button = h('button', { class: 'secondary post-all', hidden: true, onclick: () => this.postAll() })
    this.message = h('p', { class: 'posting-message', role: 'status' })
    this.el = h('div', { class: 'posting' }, this.button, this.message)
    this.confirmation = null // {text, until}
    this.timer = 0
    this.unwatch = []
  }

  // The private notes of the person now writing (one document per board): keep up with them.
  watch (docs) {
    this.unwatch.forEach((off) => off())
    this.unwatch = docs.map((doc) => {
      const map = notesOf(doc)
      const update = () => this.update()
      map.observeDeep(update)
      return () => map.unobserveDeep(update)
    })
    this.update()
  }

  // The zone "Mijn briefjes plakken" posts from: the step's, when the step is about this board.
  zoneFor (boardId) {
    const step = this.ctx.step()
    return step && step.board === boardId ? step.postZone || null : null
  }

  update () {
    const { cfg, course } = this.ctx
    const boardId = this.ctx.board()
    const boardCfg = cfg.boards.find((b) => b.id === boardId)
    const doc = boardCfg?.privateNotes && this.ctx.person() ? this.ctx.privateDoc(boardId) : null
    const zoneId = this.zoneFor(boardId)
    const mine = doc ? privateNoteList(doc, zoneId).length : 0
    const kept = doc ? privateNoteList(doc).length : 0
    const allowed = !!doc && this.ctx.mayPost(boardId)
    const zone = boardCfg?.zones.find((z) => z.id === zoneId)
    this.button.textContent = `Mijn briefjes${zone?.where ? ` ${zone.where}` : ''} plakken`
    this.button.hidden = !(allowed && mine > 0)

    let text = ''
    if (this.confirmation && this.confirmation.until > Date.now()) text = this.confirmation.text
    else if (doc && !allowed && kept > 0) {
      const yours = kept === 1 ? 'Je briefje blijft' : `Je ${briefjes(kept)} blijven`
      text = course.get('finished') === true
        ? `De bijeenkomst is afgesloten. ${yours} alleen voor jou.`
        : `Plakken mag nu nog niet. ${yours} bewaard op dit apparaat, alleen voor jou. ` +
          `Je plakt ${kept === 1 ? 'het' : 'ze'} als je aan de beurt bent.`
    } else if (allowed && course.get('postingOpen') === true && cfg.role !== 'facilitator') {
      text = 'De gespreksleider heeft het bord opengezet: iedereen mag nu plakken.'
    } else if (allowed && zoneId && mine === 0) {
      text = 'Je hebt nu geen briefjes om te plakken.'
    }
    if (this.message.textContent !== text) this.message.textContent = text
  }

  postAll () {
    const boardId = this.ctx.board()
    this.ctx.postAll(boardId, this.zoneFor(boardId))
  }

  // Told by the board after posting: how many notes went up, or that posting was not allowed.
  posted (count, allowed) {
    clearTimeout(this.timer)
    const text = count > 0 ? `${briefjes(count)} geplakt. ${count === 1 ? 'Het staat' : 'Ze staan'} nu op het bord.`
      : allowed ? 'Er waren geen briefjes om te plakken.'
        : 'Plakken mag nu nog niet. Je briefjes blijven alleen voor jou.'
    this.confirmation = { text, until: Date.now() + CONFIRM_MS }
    this.timer = setTimeout(() => { this.confirmation = null; this.update() }, CONFIRM_MS)
    this.update()
  }
}
