// A calm line about the connection: offline work is kept on this device and sent later.
import { h, fill } from './dom.js'

export class ConnectionStatus {
  constructor (el, boardIds) {
    this.el = el
    // Until a board reports, it is still connecting.
    this.states = new Map(boardIds.map((id) => [id, 'connecting']))
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
    return [...this.states.values()].some((s) => s !== 'connected')
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
    this.el.className = `connection${kind ? ` connection-${kind}` : ''}`
    fill(this.el, text ? h('span', {}, text) : '')
  }
}

export function formatTimer (endsAt, now = Date.now()) {
  if (typeof endsAt !== 'number') return ''
  const left = Math.max(0, Math.round((endsAt - now) / 1000))
  const m = Math.floor(left / 60)
  const s = String(left % 60).padStart(2, '0')
  return `${m}:${s}`
}
