// A calm line about the connection: offline work is kept on this device and sent later.
import { h, fill } from './dom.js'

export class ConnectionStatus {
  constructor (el, boardIds) {
    this.el = el
    // Until a board reports, it is still connecting. 'held': the server keeps this board from
    // us on purpose for now (a professional during the closed part): no connection problem.
    this.states = new Map(boardIds.map((id) => [id, 'connecting']))
    this.shown = null // what the line says now: 'offline', 'online' or null
    this.wasOffline = false
    this.timer = 0
    this.hideTimer = 0
    this.schedule()
  }

  update (boardId, status) {
    this.states.set(boardId, status)
    if (this.offline()) this.schedule()
    else {
      clearTimeout(this.timer)
      this.timer = 0
      this.show()
    }
  }

  // Give a brief hiccup a moment before saying anything.
  schedule () {
    if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.show() }, 1200)
  }

  offline () {
    return [...this.states.values()].some((s) => s !== 'connected' && s !== 'held')
  }

  show () {
    clearTimeout(this.hideTimer)
    if (this.offline()) {
      this.wasOffline = true
      this.render('offline', 'Geen verbinding. Wat je schrijft, blijft op dit apparaat bewaard en gaat mee zodra er weer verbinding is.')
    } else if (this.wasOffline) {
      this.wasOffline = false
      this.render('online', 'Weer verbonden. Alles is bijgewerkt.')
      this.hideTimer = setTimeout(() => this.render(null, ''), 5000)
    }
  }

  render (kind, text) {
    this.shown = kind
    this.el.className = `connection${kind ? ` connection-${kind}` : ''}`
    fill(this.el, text ? h('span', {}, text) : '')
  }
}

// Said calmly when the server did not keep a change of this device (close codes
// UPDATE_REFUSED, QUOTA_EXCEEDED):
// the board is loaded again, so it shows what everyone sees. Visible, announced (the live
// region is always in the page, only its content changes), and gone after a while or a tap.
export class RefusedNotice {
  constructor (ms = 15000) {
    this.ms = ms
    this.timer = 0
    this.el = h('div', { class: 'refused-notice', role: 'status', onclick: () => this.hide() })
  }

  show (reason = '') {
    clearTimeout(this.timer)
    // The server's sentence, as a sentence, without repeating what the first line says.
    reason = reason.trim().replace(/^niet bewaard[:.]?\s*/i, '').replace(/[^.!?]$/, '$&.')
    reason = reason.charAt(0).toUpperCase() + reason.slice(1)
    fill(this.el, h('div', { class: 'refused-box' },
      h('p', { class: 'refused-title' }, 'Deze wijziging is niet bewaard.'),
      h('p', {}, 'Je ziet weer wat iedereen ziet.'),
      reason ? h('p', { class: 'refused-reason' }, reason) : null,
      h('button', { class: 'secondary small', type: 'button' }, 'Oké')))
    this.timer = setTimeout(() => this.hide(), this.ms)
  }

  hide () {
    clearTimeout(this.timer)
    fill(this.el)
  }
}
