// The facilitator's console: steps, timer, "iedereen plakt nu", locks, the closed part, who is
// connected (and removing a device), the audit list, and the join links with their QR codes.
import { h, fill } from './dom.js'
import { apiFetch } from './config.js'
import { confirmDialog } from './dialogs.js'
import { courseState, currentStep } from './course.js'
import { timerText } from './timer.js'

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

export function facilitatorPanel (cfg, verloop, person) {
  const panel = h('aside', { class: 'side', 'aria-labelledby': 'nb-side-title' })
  const devicesEl = h('ul', { class: 'devices' })
  const auditEl = h('ul', { class: 'audit' })
  const timerEl = h('span', { class: 'timer', role: 'timer' })
  const shareEl = h('div', { class: 'share', 'aria-live': 'polite' })
  const deleteAt = new Date(cfg.deleteAt).toLocaleDateString('nl-NL', { day: 'numeric', month: 'long', year: 'numeric' })
  const post = (path, body) => apiFetch(cfg, `/api/meetings/${cfg.meetingId}/${path}`,
    { ...body, by: person()?.name || '' })

  const render = () => {
    const state = courseState(verloop)
    const step = currentStep(cfg, verloop)
    const steps = cfg.script.steps
    const index = step ? steps.indexOf(step) : -1
    const closed = state.get('closed') === true
    const locked = state.get('locked') || []
    const links = loadLinks(cfg.meetingId)
    fill(panel,
      h('h2', { id: 'nb-side-title' }, 'Bijeenkomst leiden'),
      h('div', { class: 'side-steps' },
        h('button', { class: 'secondary', disabled: index <= 0, onclick: () => move('previous') }, '← Vorige stap'),
        h('button', { class: 'primary', disabled: index >= steps.length - 1, onclick: () => move('next') }, 'Volgende stap →')),
      h('ol', { class: 'step-list' }, steps.map((s, i) => h('li', { 'aria-current': i === index ? 'step' : null }, s.title))),
      h('h3', {}, 'Tijd'),
      h('div', { class: 'side-timer' }, timerEl,
        [5, 10, 15].map((m) => h('button', { class: 'secondary small', onclick: () => post('timer', { action: 'start', minutes: m }) }, `${m} min`)),
        h('button', { class: 'secondary small', onclick: () => post('timer', { action: 'add', minutes: 1 }) }, '+1 min'),
        typeof state.get('timerPausedMs') === 'number'
          ? h('button', { class: 'secondary small', onclick: () => post('timer', { action: 'resume' }) }, 'Verder')
          : h('button', { class: 'secondary small', onclick: () => post('timer', { action: 'pause' }) }, 'Pauze'),
        h('button', { class: 'secondary small', onclick: () => post('timer', { action: 'stop' }) }, 'Stop')),
      h('h3', {}, 'Borden'),
      h('label', { class: 'check' }, h('input', {
        type: 'checkbox', checked: state.get('postingOpen') === true,
        onchange: (e) => post('posting', { open: e.target.checked })
      }), 'Iedereen plakt nu'),
      cfg.boards.map((b) => h('label', { class: 'check' }, h('input', {
        type: 'checkbox', checked: locked.includes(b.id),
        onchange: (e) => post('lock', { board: b.id, locked: e.target.checked })
      }), `${b.title} op slot`)),
      h('div', { class: 'side-actions' },
        h('button', { class: closed ? 'primary' : 'danger', onclick: () => toggleClosed(!closed) },
          closed ? 'Besloten deel stoppen' : 'Besloten deel starten'),
        h('button', { class: 'secondary', onclick: openProjector, disabled: !links.scherm }, 'Scherm openen')),
      h('h3', {}, 'Wie is er verbonden?'), devicesEl,
      h('button', { class: 'secondary small', onclick: refreshDevices }, 'Lijst bijwerken'),
      h('h3', {}, 'Besloten deel: wanneer en door wie'), auditEl,
      h('h3', {}, 'Na de bijeenkomst'),
      h('p', { class: 'retention' }, `Deze bijeenkomst wordt op ${deleteAt} automatisch verwijderd, met alles wat erop staat.`),
      h('div', { class: 'side-actions' },
        h('button', { class: 'secondary', onclick: share }, 'Link naar het plan maken'),
        shareEl,
        h('button', { class: 'secondary', onclick: revokeShares }, 'Links naar het plan intrekken'),
        h('button', { class: 'secondary', onclick: () => finish(!state.get('finished')) },
          state.get('finished') ? 'Bijeenkomst weer openen' : 'Bijeenkomst afsluiten'),
        h('button', { class: 'danger', onclick: remove }, 'Bijeenkomst nu verwijderen')),
      h('h3', {}, 'Links om mee te doen'),
      Object.keys(links).length ? null
        : h('p', { class: 'hint' }, 'Deze computer kent de links niet. Maak een nieuwe link als je er een nodig hebt; de oude werkt dan niet meer.'),
      h('ul', { class: 'side-links' }, Object.keys(cfg.roleLabels).filter((r) => r !== cfg.role).map((role) => h('li', {},
        h('strong', {}, cfg.roleLabels[role]),
        links[role]
          ? h('details', {}, h('summary', {}, 'Link en QR-code tonen'),
            h('a', { href: links[role], class: 'link' }, links[role]),
            h('img', { src: `${links[role]}/qr.svg`, alt: `QR-code: ${cfg.roleLabels[role]}`, width: 160, height: 160 }))
          : null,
        h('button', { class: 'secondary small', onclick: () => rotate(role) }, 'Nieuwe link maken')))))
    tick()
  }
  const tick = () => { timerEl.textContent = timerText(courseState(verloop)) || '—' }
  setInterval(tick, 500)

  async function move (direction) {
    const steps = cfg.script.steps
    const step = currentStep(cfg, verloop)
    const next = steps[(step ? steps.indexOf(step) : -1) + (direction === 'next' ? 1 : -1)]
    const closedNow = courseState(verloop).get('closed') === true
    if (next && next.closed !== closedNow) {
      const ok = await confirmDialog(next.closed
        ? { title: 'Besloten deel starten?', text: 'Professionals zien de borden dan niet meer, tot het besloten deel voorbij is.', yes: 'Starten' }
        : { title: 'Besloten deel stoppen?', text: 'Professionals zien de borden dan weer, met alles wat de familie heeft geschreven.', yes: 'Stoppen' })
      if (!ok) return
    }
    await post('step', { move: direction })
    refreshAudit()
  }
  async function toggleClosed (closed) {
    const ok = await confirmDialog(closed
      ? { title: 'Besloten deel starten?', text: 'Professionals zien de borden dan niet meer, tot je het besloten deel stopt.', yes: 'Starten' }
      : { title: 'Besloten deel stoppen?', text: 'Professionals zien de borden dan weer, met alles wat de familie heeft geschreven.', yes: 'Stoppen' })
    if (ok) await post('closed', { closed })
    refreshAudit()
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
      text: `De oude link voor "${cfg.roleLabels[role]}" werkt dan meteen niet meer. Apparaten met die link moeten opnieuw binnenkomen.`,
      yes: 'Nieuwe link maken'
    })
    if (!ok) return
    const response = await post(`tokens/${role}`, {})
    if (!response.ok) return
    const body = await response.json()
    const links = loadLinks(cfg.meetingId)
    links[role] = body.link
    localStorage.setItem(linksKey(cfg.meetingId), JSON.stringify(links))
    render()
  }
  async function share () {
    const response = await post('share', {})
    if (!response.ok) return
    const { link } = await response.json()
    fill(shareEl, h('p', {}, 'Geef deze link aan iedereen die het plan moet hebben. Hij toont alleen het plan.'),
      h('a', { href: link, class: 'link' }, link),
      h('img', { src: `${link}/qr.svg`, alt: 'QR-code voor de link naar het plan', width: 160, height: 160 }))
  }
  async function revokeShares () {
    const ok = await confirmDialog({ title: 'Links naar het plan intrekken?', text: 'Alle links naar het plan werken dan meteen niet meer.', yes: 'Intrekken' })
    if (!ok) return
    await post('share', { revoke: true })
    fill(shareEl, h('p', {}, 'De links naar het plan werken niet meer.'))
  }
  async function finish (finished) {
    const ok = await confirmDialog(finished
      ? { title: 'Bijeenkomst afsluiten?', text: 'Daarna kan niemand meer iets veranderen. Iedereen kan het plan nog lezen en downloaden.', yes: 'Afsluiten' }
      : { title: 'Bijeenkomst weer openen?', text: 'Dan kan er weer geschreven worden.', yes: 'Weer openen' })
    if (ok) await post('finish', { finished })
  }
  async function remove () {
    const ok = await confirmDialog({
      title: 'Bijeenkomst verwijderen?',
      text: 'Alles gaat weg: de borden, het plan, de namen en alle links. Dit kan niet ongedaan worden gemaakt.',
      yes: 'Alles verwijderen'
    })
    if (!ok) return
    const response = await fetch(`/api/meetings/${cfg.meetingId}`, { method: 'DELETE', headers: { Authorization: `Bearer ${cfg.token}` } })
    if (response.ok) {
      localStorage.removeItem(linksKey(cfg.meetingId))
      document.body.classList.add('is-deleted')
      fill(document.getElementById('app'), h('h1', {}, 'De bijeenkomst is verwijderd'),
        h('p', {}, 'Alles wat erop stond, is van de server gehaald.'))
    }
  }
  async function refreshDevices () {
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/devices`)
    if (!response.ok) return
    const { devices } = await response.json()
    fill(devicesEl, devices.length ? devices.map((d) => h('li', {},
      h('span', {}, `${d.names.join(', ') || 'Nog geen naam'} — ${cfg.roleLabels[d.role] || d.role}`),
      d.device && d.device !== cfg.device
        ? h('button', { class: 'danger small', onclick: () => removeDevice(d) }, 'Verwijderen')
        : null)) : h('li', {}, 'Niemand'))
  }
  async function removeDevice (d) {
    const ok = await confirmDialog({
      title: 'Apparaat verwijderen?',
      text: `Het apparaat van ${d.names.join(', ') || 'deze deelnemer'} ziet de borden dan meteen niet meer. Moet het echt niet meer binnenkomen? Maak dan ook een nieuwe link.`,
      yes: 'Verwijderen'
    })
    if (!ok) return
    await post(`devices/${encodeURIComponent(d.device)}/remove`, {})
    refreshDevices()
  }
  async function refreshAudit () {
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/audit`)
    if (!response.ok) return
    const { audit } = await response.json()
    const rows = audit.filter((a) => a.action.startsWith('besloten deel'))
    fill(auditEl, rows.length ? rows.map((a) => h('li', {},
      `${new Date(a.at * 1000).toLocaleTimeString('nl-NL', { hour: '2-digit', minute: '2-digit' })} ${a.action}`,
      a.name ? ` door ${a.name}` : '')) : h('li', {}, 'Nog niet gestart'))
  }
  courseState(verloop).observe(render)
  render()
  refreshDevices()
  refreshAudit()
  setInterval(refreshDevices, 10000)
  return panel
}
