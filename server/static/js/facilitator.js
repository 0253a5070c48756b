// The facilitator's console: steps, timer, "iedereen plakt nu", locks, the closed part, who is
// connected (and removing a device), the audit list, and the join links with their QR codes.
import { h, fill } from './dom.js'
import { apiFetch, authHeaders } from './config.js'
import { confirmDialog } from './dialogs.js'
import { courseState, currentStep } from './course.js'
import { showTimer } from './timer.js'
import { QUESTIONS_BOARD, allQuestions } from './vragenview.js'

// Older versions kept the links in this browser only; the server keeps them now.
const oldLinksKey = (meetingId) => `nb-links:${meetingId}`

export function facilitatorPanel (cfg, verloop, person) {
  const panel = h('aside', { class: 'side', 'aria-labelledby': 'nb-side-title' })
  // The step controls live in a bar that stays at the top of the screen (app.js puts it above
  // the board), so "Volgende stap" is in reach on a tablet without scrolling.
  const stepBar = h('section', { class: 'console-bar', 'aria-label': 'Stappen van de bijeenkomst' })
  panel.stepBar = stepBar
  const devicesEl = h('ul', { class: 'devices' })
  // "Wie mag erin?": devices that scanned the room's QR code and wait (server/admission.py)
  const admissionsEl = h('section', { class: 'admissions', 'aria-live': 'polite' })
  // The role links as the server keeps them: shown again on any device, at any time
  const linkState = { links: {}, room: null }
  const auditEl = h('ul', { class: 'audit' })
  const timerEl = h('span', { class: 'timer', role: 'timer' })
  const shareEl = h('div', { class: 'share', 'aria-live': 'polite' })
  const followOnEl = followOnForm(cfg, (...args) => post(...args)) // made once: what is typed there stays
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
    const links = linkState.links
    fill(panel,
      h('h2', { id: 'nb-side-title' }, 'Bijeenkomst leiden'),
      admissionsEl,
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
      }), 'Iedereen mag nu plakken'),
      h('p', { class: 'hint' }, 'Ook wie in deze stap nog moet wachten, mag dan briefjes op het bord zetten. Dit stopt vanzelf bij de volgende stap.'),
      cfg.boards.map((b) => h('label', { class: 'check' }, h('input', {
        type: 'checkbox', checked: locked.includes(b.id),
        onchange: (e) => post('lock', { board: b.id, locked: e.target.checked })
      }), `${b.title} op slot`)),
      h('div', { class: 'side-actions' },
        h('button', { class: closed ? 'primary' : 'danger', onclick: () => toggleClosed(!closed) },
          closed ? 'Besloten deel stoppen' : 'Besloten deel starten'),
        h('button', { class: 'secondary', onclick: openProjector }, 'Scherm openen')),
      screenControls(state),
      h('h3', {}, 'Wie is er verbonden?'), devicesEl,
      h('button', { class: 'secondary small', onclick: refreshDevices }, 'Opnieuw kijken wie er is'),
      h('h3', {}, 'Besloten deel: wanneer en door wie'), auditEl,
      h('h3', {}, 'Na de bijeenkomst'),
      h('p', { class: 'retention' }, `Deze bijeenkomst wordt op ${deleteAt} automatisch verwijderd, met alles wat erop staat.`),
      h('div', { class: 'side-actions' },
        h('button', { class: 'secondary', onclick: share }, 'Link naar het plan maken'),
        shareEl,
        h('button', { class: 'secondary', onclick: revokeShares }, 'Links naar het plan intrekken'),
        h('button', { class: 'secondary', onclick: () => finish(!state.get('finished')) },
          state.get('finished') ? 'Bijeenkomst weer openen' : 'Bijeenkomst afsluiten')),
      followOnEl,
      h('h3', {}, 'Links om mee te doen'),
      h('p', { class: 'hint' }, 'Stuur een link alleen aan wie hem mag hebben (bijvoorbeeld via WhatsApp). Iedereen in de kamer kan ook de QR-code op het scherm scannen: dan laat jij ze binnen.'),
      h('ul', { class: 'side-links' }, Object.keys(cfg.roleLabels).filter((r) => r !== cfg.role).map((role) => h('li', {},
        h('strong', {}, cfg.roleLabels[role]),
        links[role]?.link
          ? h('details', {}, h('summary', {}, 'Link en QR-code tonen'),
            h('a', { href: links[role].link, class: 'link' }, links[role].link),
            h('img', { src: links[role].qr, alt: `QR-code: ${cfg.roleLabels[role]}`, width: 160, height: 160 }))
          : null,
        h('label', { class: 'check' }, h('input', {
          type: 'checkbox', checked: links[role]?.ask === true,
          onchange: (e) => setAsk(role, e.target.checked)
        }), 'Eerst aan mij vragen'),
        h('button', { class: 'secondary small', onclick: () => rotate(role) }, 'Nieuwe link maken')))),
      // Far from "Bijeenkomst afsluiten", and marked: this cannot be undone.
      h('section', { class: 'danger-zone', 'aria-labelledby': 'nb-danger-title' },
        h('h3', { id: 'nb-danger-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), 'Alles weggooien'),
        h('p', {}, 'Verwijder de bijeenkomst alleen als niemand het plan meer nodig heeft. Dit kan niet ongedaan worden gemaakt.'),
        h('button', { class: 'danger', onclick: remove }, 'Bijeenkomst nu verwijderen')))
    fill(stepBar,
      h('button', { class: 'secondary console-previous', disabled: index <= 0, onclick: () => move('previous') }, '← Vorige stap'),
      h('p', { class: 'console-step' },
        h('span', { class: 'console-count' }, index >= 0 ? `Stap ${index + 1} van ${steps.length}` : 'Nog geen stap'),
        step ? h('span', { class: 'console-title' }, step.title) : null),
      h('button', { class: 'primary console-next', disabled: index >= steps.length - 1, onclick: () => move('next') }, 'Volgende stap →'))
    tick()
  }
  const tick = () => showTimer(timerEl, courseState(verloop), cfg, '—')
  setInterval(tick, 500)

  // What the TV in the room shows (board/screen.py): the step's board, another board, or one
  // group (its "Op het scherm" button on the board); and the sound when the time is up.
  function screenControls (state) {
    const screen = state.get('screen') || {}
    const tv = state.get('access')?.scherm || {}
    const shows = cfg.boards.filter((b) => tv[b.id] && tv[b.id] !== 'none') // never the worksheet
    const group = screen.group ? cfg.boards.find((b) => b.id === screen.board) : null
    return h('section', { class: 'side-screen', 'aria-labelledby': 'nb-screen-title' },
      h('h3', { id: 'nb-screen-title' }, cfg.roleLabels.scherm), // the TV in the room
      h('div', { class: 'side-screen-boards', role: 'group', 'aria-label': 'Wat het scherm laat zien' },
        h('button', {
          class: 'secondary small', 'aria-pressed': String(!screen.board), onclick: () => post('screen', { board: null })
        }, 'Volgt de stap'),
        shows.map((b) => h('button', {
          class: 'secondary small',
          'aria-pressed': String(screen.board === b.id && !screen.group),
          onclick: () => post('screen', { board: b.id })
        }, b.title))),
      group
        ? h('p', { class: 'side-screen-group' }, `Op het scherm: een groep van ${group.title}.`,
          h('button', { class: 'secondary small', onclick: () => post('spotlight', { board: group.id, group: null }) }, 'Groep van het scherm halen'))
        : null,
      questionControls(screen),
      h('label', { class: 'check' }, h('input', {
        type: 'checkbox', checked: screen.sound === true, onchange: (e) => post('screen', { sound: e.target.checked })
      }), 'Geluid op het scherm als de tijd om is'))
  }

  // One of the netwerkvragen large on the TV, above whatever board it shows (board/screen.py
  // Screen.question): pick one, go to the previous or next, or take it off. Only when the
  // meeting has the board with the questions (vragenview.js).
  function questionControls (screen) {
    const board = cfg.boards.find((b) => b.id === QUESTIONS_BOARD)
    if (!board) return null
    const questions = allQuestions(board.layout)
    const i = questions.findIndex((q) => q.id === screen.question)
    const put = (q) => post('screen', { question: q ? q.id : null })
    return h('div', { class: 'side-question', role: 'group', 'aria-labelledby': 'nb-question-title' },
      h('h4', { id: 'nb-question-title' }, `${board.title} op het scherm`),
      h('p', { class: 'side-question-now' }, i >= 0 ? questions[i].text : 'Nu geen vraag op het scherm.'),
      h('label', { class: 'sr-only', for: 'nb-question-pick' }, 'Kies een vraag'),
      h('select', { id: 'nb-question-pick', onchange: (e) => put(questions.find((q) => q.id === e.target.value)) },
        h('option', { value: '', selected: i < 0 }, 'Kies een vraag…'),
        board.layout.groups.map((g) => h('optgroup', { label: g.title }, g.questions.map((q) =>
          h('option', { value: q.id, selected: q.id === screen.question }, q.text))))),
      h('div', { class: 'side-screen-boards' },
        h('button', { class: 'secondary small', disabled: i <= 0, onclick: () => put(questions[i - 1]) }, '← Vorige vraag'),
        h('button', { class: 'secondary small', disabled: i >= questions.length - 1, onclick: () => put(questions[i + 1]) }, 'Volgende vraag →'),
        i >= 0 ? h('button', { class: 'secondary small', onclick: () => put(null) }, 'Vraag weghalen') : null))
  }

  // What the professionals will see once the closed part ends: the open boards, never the
  // family's worksheet (board.familyOnly).
  function afterClosedPart () {
    const list = (titles) => titles.length > 1 ? `${titles.slice(0, -1).join(', ')} en ${titles.at(-1)}` : titles.join('')
    // (the VIP-kaart only when the child has shown it: verloop `shown`)
    const shown = courseState(verloop).get('shown') || []
    const open = cfg.boards.filter((b) => !b.familyOnly && (!b.untilShown || shown.includes(b.id))).map((b) => b.title)
    const own = cfg.boards.filter((b) => b.familyOnly).map((b) => `"${b.title}"`)
    return `Professionals zien dan weer wat er nu op deze borden staat: ${list(open)}.` +
      (own.length ? ` Wat op ${list(own)} staat, blijft alleen voor de familie.` : '')
  }

  async function move (direction) {
    const steps = cfg.script.steps
    const step = currentStep(cfg, verloop)
    const next = steps[(step ? steps.indexOf(step) : -1) + (direction === 'next' ? 1 : -1)]
    const closedNow = courseState(verloop).get('closed') === true
    if (next && next.closed !== closedNow) {
      const ok = await confirmDialog(next.closed
        ? { title: 'Besloten deel starten?', text: 'Professionals zien de borden dan niet meer, tot het besloten deel voorbij is.', yes: 'Starten' }
        : { title: 'Besloten deel stoppen?', text: afterClosedPart(), yes: 'Stoppen' })
      if (!ok) return
    }
    await post('step', { move: direction })
    refreshAudit()
  }
  async function toggleClosed (closed) {
    const ok = await confirmDialog(closed
      ? { title: 'Besloten deel starten?', text: 'Professionals zien de borden dan niet meer, tot je het besloten deel stopt.', yes: 'Starten' }
      : { title: 'Besloten deel stoppen?', text: afterClosedPart(), yes: 'Stoppen' })
    if (ok) await post('closed', { closed })
    refreshAudit()
  }
  // The TV's view on this device (its cookie, with the TV's rights): nothing in the address
  // or on the screen opens a role; the QR code it shows asks you to let people in.
  function openProjector () {
    window.open(`/m/${encodeURIComponent(cfg.meetingId)}/scherm`, 'netwerkbord-scherm')
  }
  async function refreshLinks () {
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/links`)
    if (!response.ok) return
    Object.assign(linkState, await response.json())
    render()
  }
  async function setAsk (role, ask) {
    await post(`tokens/${role}/ask`, { ask })
    refreshLinks()
  }
  async function refreshAdmissions () {
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/admissions`)
    if (!response.ok) return
    const { waiting } = await response.json()
    const roles = ['familie', 'professional', 'scherm'].filter((r) => cfg.roleLabels[r])
    fill(admissionsEl, waiting.length
      ? [h('h3', { class: 'admission-alert' }, `Wie mag erin? (${waiting.length})`),
          h('ul', { class: 'waiting' }, waiting.map((d) => h('li', { 'data-device': d.device },
            h('span', { class: 'waiting-name' }, d.label || 'Iemand zonder naam'),
            h('span', { class: 'waiting-actions' },
              roles.map((r) => h('button', { class: 'secondary small', onclick: () => decide(d, { role: r }) }, `Binnenlaten als ${cfg.roleLabels[r]}`)),
              h('button', { class: 'danger small', onclick: () => decide(d, { refuse: true }) }, 'Niet binnenlaten')))))]
      : [])
  }
  async function decide (d, answer) {
    await post(`admissions/${encodeURIComponent(d.device)}`, answer)
    refreshAdmissions()
    refreshDevices()
  }
  async function rotate (role) {
    const ok = await confirmDialog({
      title: 'Nieuwe link maken?',
      text: `De oude link voor "${cfg.roleLabels[role]}" werkt dan meteen niet meer. Apparaten met die link moeten opnieuw binnenkomen.`,
      yes: 'Nieuwe link maken'
    })
    if (!ok) return
    const response = await post(`tokens/${role}`, {})
    if (response.ok) refreshLinks()
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
    const response = await fetch(`/api/meetings/${cfg.meetingId}`, { method: 'DELETE', headers: authHeaders(cfg), credentials: 'same-origin' })
    if (response.ok) {
      localStorage.removeItem(oldLinksKey(cfg.meetingId))
      document.body.classList.add('is-deleted')
      fill(document.getElementById('app'), h('h2', {}, 'De bijeenkomst is verwijderd'), // the page's h1 is its title
        h('p', {}, 'Alles wat erop stond, is van de server gehaald.'))
    }
  }
  async function refreshDevices () {
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/devices`)
    if (!response.ok) return
    const { devices } = await response.json()
    fill(devicesEl, devices.length ? devices.map((d) => h('li', {},
      h('span', {}, deviceLabel(d)),
      d.device && d.device !== cfg.device
        ? h('button', { class: 'danger small', onclick: () => removeDevice(d) }, 'Verwijderen')
        : null)) : h('li', {}, 'Niemand'))
  }
  // The people on a device and its role, each said once: "Marieke — <the role's label>". A device
  // where nobody has picked a name (the TV) shows its role's name as the name: that is left out.
  function personNames (d) {
    const roleNames = Object.values(cfg.roleLabels)
    return [...new Set(d.names)].filter((n) => !roleNames.includes(n))
  }
  function deviceLabel (d) {
    const role = cfg.roleLabels[d.role] || d.role
    const names = personNames(d)
    return `${names.length ? `${names.join(', ')} — ${role}` : role}${d.device === cfg.device ? ' (dit apparaat)' : ''}`
  }
  async function removeDevice (d) {
    const ok = await confirmDialog({
      title: 'Apparaat verwijderen?',
      text: `Het apparaat van ${personNames(d).join(', ') || 'deze deelnemer'} ziet de borden dan meteen niet meer. Moet het echt niet meer binnenkomen? Maak dan ook een nieuwe link.`,
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
  refreshLinks()
  refreshAdmissions()
  setInterval(refreshAdmissions, 3000) // a request to join shows within seconds
  return panel
}

// "Vervolgbijeenkomst maken": a new meeting with the same family that starts from this one
// (POST /api/meetings/{id}/follow-on): the people, the network map, the plan and the agreements
// come along; this meeting stays as it is. Then one link into the new meeting's console.
function followOnForm (cfg, post) {
  const options = cfg.followOn?.scripts || []
  const title = h('input', { id: 'nb-follow-title', maxlength: 120, value: cfg.title })
  const script = h('select', { id: 'nb-follow-script' },
    options.map((s) => h('option', { value: s.id, selected: s.id === cfg.followOn.default }, s.title)))
  const result = h('div', { class: 'follow-on-result', 'aria-live': 'polite' })
  const make = async (event) => {
    event.preventDefault()
    const button = event.target.querySelector('button[type=submit]')
    button.disabled = true
    try {
      const response = await post('follow-on', { title: title.value.trim(), script: script.value })
      const body = await response.json().catch(() => ({}))
      if (!response.ok) {
        fill(result, h('p', { class: 'error', role: 'alert' }, body.error || 'Dat lukte niet. Probeer het nog een keer.'))
        return
      }
      fill(result,
        h('p', {}, `"${body.title}" is klaar. De mensen, de netwerkkaarten, het plan en de afspraken staan er al in.`),
        h('a', { class: 'button', href: body.links.facilitator, dataset: { followOn: body.id } }, 'Naar de vervolgbijeenkomst'))
    } finally {
      button.disabled = false
    }
  }
  return h('form', { class: 'side-follow-on', 'aria-labelledby': 'nb-follow-heading', onsubmit: make },
    h('h3', { id: 'nb-follow-heading' }, 'Vervolgbijeenkomst'),
    h('p', { class: 'hint' }, 'Een nieuwe bijeenkomst met dezelfde familie, bijvoorbeeld om het plan te evalueren. De mensen, de netwerkkaarten, het plan en de afspraken gaan mee. Deze bijeenkomst blijft zoals hij is.'),
    h('label', { for: 'nb-follow-title' }, 'Naam'), title,
    h('label', { for: 'nb-follow-script' }, 'Soort bijeenkomst'), script,
    h('button', { type: 'submit', class: 'secondary' }, 'Vervolgbijeenkomst maken'),
    result)
}
