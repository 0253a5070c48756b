// Entry point: wires sync, people, boards and the page for this role together.
import * as Y from 'yjs'
import { readConfig } from './config.js'
import { h, clear, fill } from './dom.js'
import { openBoard } from './sync.js'
import { BoardView } from './boardview.js'
import { openPrivateNotes } from './privatenotes.js'
import { loadDevicePeople, saveDevicePeople, currentPerson, describe } from './people.js'
import { chooseSomeone } from './whoareyou.js'
import { ConnectionStatus, formatTimer } from './status.js'
import { setPresence, renderPresence } from './presence.js'
import { facilitatorPanel, rememberLinks } from './facilitator.js'
import { projectorJoin } from './projector.js'

const page = document.body.dataset.page
if (page === 'created') rememberLinks(document.body.dataset.meeting)
else if (page) start(readConfig())

if ('serviceWorker' in navigator && page && page !== 'created') {
  // Lets a reload work without a connection (only on localhost or https: browsers allow
  // service workers in secure contexts only).
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {})
}

function start (cfg) {
  const app = document.getElementById('app')
  const readOnly = cfg.role === 'scherm'
  const writes = !readOnly
  const boardTitles = Object.fromEntries(cfg.boards.map((b) => [b.id, b.title]))
  const status = new ConnectionStatus(h('div', { class: 'connection', role: 'status' }),
    ['verloop', ...cfg.boards.map((b) => b.id)])
  const presenceEl = h('div', { class: 'presence', 'aria-label': 'Wie er verbonden is' })

  const state = { people: loadDevicePeople(cfg), active: cfg.boards[0].id, privates: {}, undo: null }
  const person = () => (writes ? currentPerson(state.people) : null)
  const origin = () => `local:${person()?.id || cfg.role}`

  const onStatus = (board, s) => status.update(board.id, s)
  const verloop = openBoard(cfg, 'verloop', { onStatus })
  const boards = cfg.boards.map((b) => openBoard(cfg, b.id, {
    onStatus,
    onRefused: (board, code) => refused(board, code)
  }))

  // --- layout ---------------------------------------------------------------------------
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Borden' },
    cfg.boards.map((b) => h('button', {
      role: 'tab', id: `tab-${b.id}`, 'aria-controls': `panel-${b.id}`, dataset: { board: b.id },
      onclick: () => showBoard(b.id)
    }, b.title)))
  const panels = cfg.boards.map((b) => h('div', {
    class: 'board', id: `panel-${b.id}`, role: 'tabpanel', 'aria-labelledby': `tab-${b.id}`, dataset: { board: b.id }
  }))
  const phaseEl = h('span', { class: 'phase' })
  const timerEl = h('span', { class: 'timer', role: 'timer', 'aria-label': 'Tijd over' })
  const closedBanner = h('p', { class: 'banner closed-banner', role: 'status', hidden: true },
    'Besloten deel — alleen familie en netwerk.')
  const personBar = h('div', { class: 'person-bar' })
  const tools = writes
    ? h('div', { class: 'tools' },
      h('button', { class: 'secondary', onclick: () => state.undo?.undo(), title: 'Ongedaan maken' }, '↶ Ongedaan maken'),
      h('button', { class: 'secondary', onclick: () => state.undo?.redo(), title: 'Opnieuw doen' }, '↷ Opnieuw'),
      h('button', { class: 'secondary', onclick: postAll }, 'Mijn briefjes plakken'))
    : null
  const waiting = h('div', { class: 'waiting-screen', hidden: true, role: 'status' })
  const side = cfg.role === 'facilitator' ? facilitatorPanel(cfg, verloop) : null
  const projectorQr = readOnly ? projectorJoin() : null

  fill(app, 
    h('div', { class: 'bar' }, h('div', { class: 'course' },
      readOnly ? h('span', { class: 'projector-title' }, cfg.title) : null, phaseEl, timerEl), status.el),
    closedBanner,
    writes ? h('div', { class: 'toolbar' }, personBar, tools) : null,
    tabs,
    h('div', { class: 'workspace' }, h('div', { class: 'panels' }, panels), side, projectorQr),
    waiting,
    presenceEl)

  const views = boards.map((board, i) => new BoardView(panels[i], cfg.boards[i], board, {
    cfg, readOnly, person, origin, privateDoc: () => state.privates[board.id]?.doc || null
  }))
  views.forEach((v) => v.render())
  showBoard(state.active)

  // --- the course of the meeting (verloop) ----------------------------------------------
  const course = verloop.doc.getMap('state')
  const renderCourse = () => {
    const phase = course.get('phase')
    phaseEl.textContent = phase ? `Stap: ${cfg.phases[phase] || phase}` : ''
    const closed = course.get('closed') === true
    closedBanner.hidden = !closed || cfg.role === 'professional'
    document.body.classList.toggle('is-closed', closed)
    // When the closed part ends, boards that refused us can be opened again.
    if (!closed) boards.filter((b) => b.refused?.code === 4403).forEach((b) => { b.reconnect(); hideWaiting() })
  }
  course.observeDeep(renderCourse)
  renderCourse()
  setInterval(() => { timerEl.textContent = formatTimer(course.get('timerEndsAt')) }, 500)

  // --- people on this device --------------------------------------------------------------
  const renderPersonBar = () => {
    const p = person()
    fill(personBar, 
      h('span', {}, p ? ['Nu schrijft: ', h('strong', {}, describe(p))] : 'Nog niemand gekozen'),
      h('button', { class: 'secondary switch-person', onclick: handOver }, p ? 'Iemand anders' : 'Wie ben jij?'))
  }
  async function handOver () {
    // Hide this person's private notes before anyone else sees the screen.
    setPerson(null)
    const chosen = await chooseSomeone(cfg, verloop, state.people, { handOver: true })
    setPerson(chosen)
  }
  function setPerson (p) {
    if (p && !state.people.people.some((x) => x.id === p.id)) state.people.people.push(p)
    state.people.currentId = p ? p.id : null
    saveDevicePeople(cfg, state.people)
    for (const priv of Object.values(state.privates)) priv.destroy()
    state.privates = {}
    state.undo?.destroy()
    state.undo = null
    if (p) {
      for (const b of boards) {
        if (b.id === 'drieluik') state.privates[b.id] = openPrivateNotes(cfg, b.id, p)
      }
      const active = boards.find((b) => b.id === state.active)
      state.undo = undoFor(active)
    }
    views.forEach((v, i) => v.setPrivateDoc(state.privates[boards[i].id]?.doc || null))
    Object.values(state.privates).forEach((priv) => priv.whenLoaded.then(() => views.forEach((v) => v.schedule())))
    setPresence([verloop, ...boards], p
      ? { name: p.name, relation: p.relation, role: cfg.role, personId: p.id }
      : { name: cfg.roleLabel, role: cfg.role })
    renderPersonBar()
  }
  function undoFor (board) {
    const doc = board.doc
    return new Y.UndoManager([doc.getMap('notes'), doc.getMap('groups')], { trackedOrigins: new Set([origin()]) })
  }

  function showBoard (id) {
    state.active = id
    for (const tab of tabs.children) tab.setAttribute('aria-selected', String(tab.dataset.board === id))
    for (const tab of tabs.children) tab.tabIndex = tab.dataset.board === id ? 0 : -1
    panels.forEach((p) => { p.hidden = p.dataset.board !== id })
    if (state.undo) {
      state.undo.destroy()
      state.undo = person() ? undoFor(boards.find((b) => b.id === id)) : null
    }
  }
  tabs.addEventListener('keydown', (event) => {
    const ids = cfg.boards.map((b) => b.id)
    const i = ids.indexOf(state.active)
    const next = event.key === 'ArrowRight' ? ids[(i + 1) % ids.length]
      : event.key === 'ArrowLeft' ? ids[(i - 1 + ids.length) % ids.length] : null
    if (next) { showBoard(next); document.getElementById(`tab-${next}`).focus() }
  })

  function postAll () {
    const i = boards.findIndex((b) => b.id === state.active)
    views[i].postAll()
  }

  function refused (board, code) {
    if (code === 4403) {
      showWaiting('Even wachten. De familie en het netwerk praten nu samen. ' +
        'Je ziet de borden weer als het besloten deel voorbij is.')
    } else if (code === 4401) {
      showWaiting('Deze link werkt niet meer. Vraag de gespreksleider om een nieuwe link.')
    }
  }
  function showWaiting (text) {
    fill(waiting, h('p', {}, text))
    waiting.hidden = false
    panels.forEach((p) => p.classList.add('blanked'))
    // The board's last state stays in memory only; what is on screen goes.
    panels.forEach((p) => clear(p))
    document.body.classList.add('is-waiting')
  }
  function hideWaiting () {
    waiting.hidden = true
    panels.forEach((p) => p.classList.remove('blanked'))
    document.body.classList.remove('is-waiting')
    views.forEach((v) => v.schedule())
  }

  // --- presence ---------------------------------------------------------------------------
  const allBoards = [verloop, ...boards]
  const refreshPresence = () => renderPresence(presenceEl, allBoards, boardTitles)
  allBoards.forEach((b) => b.awareness.on('change', refreshPresence))
  refreshPresence()

  // --- first person -----------------------------------------------------------------------
  if (writes) {
    const p = person()
    if (p) setPerson(p)
    else {
      renderPersonBar()
      chooseSomeone(cfg, verloop, state.people, { handOver: false }).then(setPerson)
    }
  } else {
    setPresence(allBoards, { name: cfg.roleLabel, role: cfg.role })
  }

  // For tests and the benchmark: a read-only handle on the documents.
  window.netwerkbord = { cfg, boards, verloop, views, person }
}
