// The facilitator's panel: the join links with their QR codes, the projector, the closed part.
import { h, fill } from './dom.js'
import { apiFetch } from './config.js'
import { confirmDialog } from './dialogs.js'

const ROLE_NAMES = {
  facilitator: 'Gespreksleider', familie: 'Familie en netwerk', professional: 'Professional', scherm: 'Scherm in de kamer'
}
const linksKey = (meetingId) => `nb-links:${meetingId}`

// On the page shown right after creating a meeting: remember its links on this device.
export function rememberLinks (meetingId) {
  const links = {}
  document.querySelectorAll('.link-card').forEach((el) => { links[el.dataset.role] = el.dataset.link })
  localStorage.setItem(linksKey(meetingId), JSON.stringify(links))
}

function loadLinks (meetingId) {
  try { return JSON.parse(localStorage.getItem(linksKey(meetingId)) || '{}') } catch { return {} }
}

const tokenOf = (link) => link.split('/j/')[1]

export function facilitatorPanel (cfg, verloop) {
  const panel = h('aside', { class: 'side', 'aria-labelledby': 'nb-side-title' })
  const render = () => {
    const links = loadLinks(cfg.meetingId)
    const closed = verloop.doc.getMap('state').get('closed') === true
    fill(panel, 
      h('h2', { id: 'nb-side-title' }, 'Bijeenkomst'),
      h('div', { class: 'side-actions' },
        h('button', { class: 'primary', onclick: openProjector, disabled: !links.scherm }, 'Scherm openen'),
        h('button', { class: closed ? 'primary' : 'danger', onclick: () => toggleClosed(!closed) },
          closed ? 'Besloten deel stoppen' : 'Besloten deel starten')),
      h('h3', {}, 'Links om mee te doen'),
      Object.keys(links).length ? null
        : h('p', { class: 'hint' }, 'Deze computer kent de links niet. Maak een nieuwe link als je er een nodig hebt; de oude werkt dan niet meer.'),
      h('ul', { class: 'side-links' }, Object.keys(ROLE_NAMES).filter((r) => r !== 'facilitator').map((role) => h('li', {},
        h('strong', {}, ROLE_NAMES[role]),
        links[role]
          ? h('details', {}, h('summary', {}, 'Link en QR-code tonen'),
            h('a', { href: links[role], class: 'link' }, links[role]),
            h('img', { src: `${links[role]}/qr.svg`, alt: `QR-code: ${ROLE_NAMES[role]}`, width: 160, height: 160 }))
          : null,
        h('button', { class: 'secondary small', onclick: () => rotate(role) }, 'Nieuwe link maken')))))
  }
  function openProjector () {
    const links = loadLinks(cfg.meetingId)
    if (!links.scherm) return
    // The family's link travels in the fragment, which never reaches the server's logs.
    const join = links.familie ? `#join=${encodeURIComponent(tokenOf(links.familie))}` : ''
    window.open(links.scherm + join, 'netwerkbord-scherm')
  }
  async function rotate (role) {
    const ok = await confirmDialog({
      title: 'Nieuwe link maken?',
      text: `De oude link voor "${ROLE_NAMES[role]}" werkt dan meteen niet meer. Apparaten met die link moeten opnieuw binnenkomen.`,
      yes: 'Nieuwe link maken'
    })
    if (!ok) return
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/tokens/${role}`, {})
    if (!response.ok) return
    const body = await response.json()
    const links = loadLinks(cfg.meetingId)
    links[role] = body.link
    localStorage.setItem(linksKey(cfg.meetingId), JSON.stringify(links))
    render()
  }
  async function toggleClosed (closed) {
    const ok = await confirmDialog(closed
      ? { title: 'Besloten deel starten?', text: 'Professionals zien de borden dan niet meer, tot je het besloten deel stopt.', yes: 'Starten' }
      : { title: 'Besloten deel stoppen?', text: 'Professionals zien de borden dan weer, met alles wat de familie heeft geschreven.', yes: 'Stoppen' })
    if (ok) await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/closed`, { closed })
  }
  verloop.doc.getMap('state').observe(render)
  render()
  return panel
}
