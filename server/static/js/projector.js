// The projector's corner: how to join, as a QR code made by our own server.
import { h } from './dom.js'

export function projectorJoin () {
  const token = new URLSearchParams(location.hash.slice(1)).get('join')
  if (!token) return null
  const link = `${location.origin}/j/${token}`
  return h('aside', { class: 'join-corner', 'aria-label': 'Meedoen' },
    h('p', { class: 'join-title' }, 'Doe mee op je telefoon'),
    h('img', { src: `/j/${encodeURIComponent(token)}/qr.svg`, alt: 'QR-code om mee te doen', width: 220, height: 220 }),
    h('p', { class: 'join-link' }, link))
}
