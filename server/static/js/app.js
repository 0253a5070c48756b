// Entry point: wires the boards' provider, people, boards and the screen for this role together.
// Everything it knows about boards, steps and rules comes from the page's config (cfg).
import * as Y from 'yjs'
import { readConfig } from './config.js'
import { h, clear, fill, randomId } from './dom.js'
import { openBoard } from './provider.js'
import * as ops from './notes.js'
import { goalFromNote } from './planview.js'
import { openPrivateNotes } from './privatenotes.js'
import { loadDevicePeople, saveDevicePeople, currentPerson, describe } from './people.js'
import { chooseSomeone } from './whoareyou.js'
import { ConnectionStatus, RefusedNotice } from './status.js'
import { setPresence, renderPresence } from './presence.js'
import { facilitatorPanel } from './facilitator.js'
import { projectorJoin, screenBoard, screenOf, keepFitted, TimeUpSound } from './projector.js'
import { viewFor } from './views.js'
import { questionBanner } from './vragenview.js'
import { accessNow, courseState, currentStep, stepBanner, spotlightView } from './course.js'
import { timerView, showTimer, TIME_UP } from './timer.js'
import { consentPanel } from './consent.js'
import { PostingBar } from './posting.js'
import { apiFetch } from './config.js'

const page = document.body.dataset.page
document.querySelector('[data-print]')?.addEventListener('click', (e) => { e.preventDefault(); window.print() })
// "Opslaan als PDF" opens the plan page as …/plan#afdrukken: the print dialog (with "Opslaan
// als PDF") opens by itself, once.
if (document.body.classList.contains('plan-page') && location.hash === '#afdrukken') {
  history.replaceState(null, '', location.pathname + location.search)
  window.addEventListener('load', () => window.print(), { once: true })
}
if (page && page !== 'created') start(readConfig())

if ('serviceWorker' in navigator && page && page !== 'created') {
  // Lets a reload work without a connection (only on localhost or https: browsers allow
  // service workers in secure contexts only).
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {})
}

// A random id for this browser, so the facilitator can remove one device.
function deviceId () {
  let id = localStorage.getItem('nb-device')
  if (!id) { id = randomId(); localStorage.setItem('nb-device', id) }
  return id
}

function start (cfg) {
  cfg.device = cfg.device || deviceId() // the server's id for this device, when it gave one
  const app = document.getElementById('app')
  const readOnly = cfg.role === 'scherm'
  const writes = !readOnly
  const boardTitles = Object.fromEntries(cfg.boards.map((b) => [b.id, b.title]))
  const status = new ConnectionStatus(h('div', { class: 'connection', role: 'status' }),
    ['verloop', ...(cfg.standBoard ? [cfg.standBoard] : []), ...cfg.boards.map((b) => b.id)])
  const presenceEl = h('div', { class: 'presence', 'aria-label': 'Wie er verbonden is' })

  const state = { people: loadDevicePeople(cfg), active: cfg.boards[0].id, privates: {}, undo: null, step: null }
  const person = () => (writes ? currentPerson(state.people) : null)
  const origin = () => `local:${person()?.id || cfg.role}`

  const onStatus = (board, s) => status.update(board.id, s)
  // A professional gets no verloop during the closed part (it carries what the family does):
  // it is refused like the boards, and the waiting screen reads the small `stand` board
  // (cfg.standBoard: the step, the closed part, the timer), which tells when it is over.
  const verloop = openBoard(cfg, 'verloop', { onStatus, onRefused: (board, code, reason) => refused(board, code, reason) })
  const stand = cfg.standBoard ? openBoard(cfg, cfg.standBoard, { onStatus }) : null
  stand?.awareness.setLocalState(null) // no presence there: nobody needs to see it
  const boards = cfg.boards.map((b) => openBoard(cfg, b.id, {
    onStatus,
    onRefused: (board, code, reason) => refused(board, code, reason),
    onReset: (board) => rebind(board)
  }))
  const boardById = Object.fromEntries(boards.map((b) => [b.id, b]))
  const boardCfg = Object.fromEntries(cfg.boards.map((b) => [b.id, b]))
  const codes = cfg.closeCodes
  const course = courseState(verloop)
  // Where the timer and the waiting screen read the course: `stand` while verloop is kept from us.
  const courseNow = () => (stand && verloop.refused ? courseState(stand) : course)

  // --- layout ---------------------------------------------------------------------------
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Borden' },
    cfg.boards.map((b) => h('button', {
      role: 'tab', id: `tab-${b.id}`, 'aria-controls': `panel-${b.id}`, dataset: { board: b.id },
      onclick: () => showBoard(b.id)
    }, b.title)))
  const panels = cfg.boards.map((b) => h('div', {
    class: 'board', id: `panel-${b.id}`, role: 'tabpanel', 'aria-labelledby': `tab-${b.id}`, dataset: { board: b.id }
  }))
  const banner = stepBanner(cfg)
  const timerEl = h('span', { class: 'timer', role: 'timer', 'aria-label': 'Tijd over' })
  const closedBanner = h('p', { class: 'banner closed-banner', role: 'status', hidden: true },
    'Besloten deel — alleen familie en netwerk.')
  const personBar = h('div', { class: 'person-bar' })
  const posting = new PostingBar({
    cfg,
    course: courseState(verloop),
    step: () => state.step,
    board: () => state.active,
    person,
    mayPost: (boardId) => mode(boardId).write,
    privateDoc: (boardId) => state.privates[boardId]?.doc || null,
    postAll: (boardId, zone) => views[boards.findIndex((b) => b.id === boardId)].postAll(zone)
  })
  const tools = writes
    ? h('div', { class: 'tools' },
      h('button', { class: 'secondary', onclick: () => undoRedo('undo'), title: 'Ongedaan maken' }, '↶ Ongedaan maken'),
      h('button', { class: 'secondary', onclick: () => undoRedo('redo'), title: 'Opnieuw doen' }, '↷ Opnieuw'),
      posting.el)
    : null
  const waiting = h('div', { class: 'waiting-screen', hidden: true, role: 'status' })
  const notice = h('p', { class: 'sr-only', role: 'status' })
  const refusedNotice = new RefusedNotice()
  const side = cfg.role === 'facilitator' ? facilitatorPanel(cfg, verloop, person) : null
  const projectorQr = readOnly ? projectorJoin(cfg) : null
  const consent = consentPanel(cfg, verloop, person)
  const spotlight = readOnly ? spotlightView(cfg, boards, verloop) : null
  // The TV: the sound when the time is up, and which board it shows when not the step's.
  const sound = readOnly ? new TimeUpSound(cfg, verloop) : null
  const onScreen = readOnly ? h('p', { class: 'tv-board-title', hidden: true }) : null
  // The TV: one of the netwerkvragen, large above the board, when the facilitator put it there.
  const tvQuestion = readOnly ? questionBanner(cfg, verloop) : null

  fill(app,
    h('div', { class: 'bar' }, readOnly ? h('span', { class: 'projector-title' }, cfg.title) : null,
      timerEl, sound?.hint, status.el),
    side?.stepBar, // the facilitator's "Volgende stap", always in reach (facilitator.js)
    closedBanner,
    banner,
    writes ? h('div', { class: 'toolbar' }, personBar, tools) : null,
    // On a touch screen a swipe scrolls; a note moves after a long press (drag.js).
    writes ? h('p', { class: 'hint touch-hint' }, 'Een briefje verplaatsen? Houd het even vast en schuif het dan.') : null,
    h('div', { class: 'workspace' },
      h('div', { class: 'panels' }, consent, spotlight, tvQuestion, tabs, onScreen, panels), side, projectorQr),
    waiting,
    notice,
    refusedNotice.el,
    presenceEl)

  // Boards a view reads besides its own (the network boards read the meeting's people,
  // `mensen`): the tab's copy when it is a tab, else one opened for it, without presence. The
  // server decides what this device may see of it, as for any board.
  const others = {}
  function otherBoard (id) {
    if (boardById[id]) return boardById[id]
    if (!others[id]) {
      others[id] = openBoard(cfg, id, {
        onStatus,
        onRefused: (board, code, reason) => refused(board, code, reason),
        onReset: (board) => rebind(board)
      })
      others[id].awareness.setLocalState(null)
    }
    return others[id]
  }
  const mode = (boardId) => ({
    // Not while a board is being loaded again after a refused change: it would be lost.
    write: accessNow(cfg, verloop, boardId) === 'write' && !(boardById[boardId] || others[boardId])?.resetting,
    // A new note starts as "Eerst alleen voor mij" only where the step says so (board/scripts.py).
    privateFirst: !!state.step?.privateFirst?.includes(boardId),
    statement: state.step?.statement
  })
  const planBoard = boards.find((b) => b.id === 'plan')
  const makeGoal = planBoard
    ? (noteId, note) => {
        if (accessNow(cfg, verloop, 'plan') !== 'write' || planBoard.resetting) return false
        goalFromNote(planBoard.doc, origin(), noteId, note)
        notice.textContent = 'Het doel staat nu in het plan.'
        return true
      }
    : null
  const views = boards.map((board, i) => new (viewFor(cfg.boards[i], readOnly))(panels[i], cfg.boards[i], board, {
    cfg,
    readOnly,
    person,
    origin,
    mode,
    verloop,
    other: otherBoard, // another board of the meeting: other('mensen').doc (see above)
    // Whether the server keeps a board from this screen now (the VIP-kaart until it is shown).
    held: (id) => (boardById[id] || others[id])?.refused?.code === codes.FORBIDDEN,
    makeGoal: boardCfg[board.id].goals ? makeGoal : null,
    privateDoc: () => state.privates[board.id]?.doc || null,
    posted: (count, allowed) => posting.posted(count, allowed),
    spotlit: () => course.get('spotlight')?.group || null,
    spotlight: cfg.role === 'facilitator'
      ? (group) => apiFetch(cfg, `/api/meetings/${cfg.meetingId}/spotlight`, { board: board.id, group })
      : null
  }))
  views.forEach((v) => v.render())
  showBoard(state.active)

  // --- the course of the meeting (verloop) ----------------------------------------------
  const renderCourse = () => {
    const step = currentStep(cfg, verloop)
    if (readOnly) {
      // The TV shows the step's board, or what the facilitator sent it to (board/screen.py).
      const shown = screenBoard(cfg, verloop, step)
      if (shown !== state.active) showBoard(shown)
      onScreen.hidden = !screenOf(verloop).board || shown === step?.board
      onScreen.textContent = `Op het scherm: ${boardTitles[shown]}`
    } else if (step?.id !== state.step?.id && step) showBoard(step.board)
    state.step = step
    banner.update(step)
    const closed = course.get('closed') === true
    closedBanner.hidden = !closed || cfg.role === 'professional'
    document.body.classList.toggle('is-closed', closed)
    consent.hidden = !step?.consent
    // When the closed part ends, boards that refused us can be opened again.
    if (!closed && !verloop.refused) reopenHeld()
    if (!verloop.refused) reopenShown()
    views.forEach((v) => v.schedule()) // what may be done may have changed
    posting.update()
    if (!waiting.hidden) renderWaiting()
  }
  course.observe(renderCourse)
  renderCourse()
  // Only `stand` arrives while verloop is kept from us: it says when the closed part is over.
  if (stand) {
    courseState(stand).observe((event) => {
      // What the server says now; not an old copy from this device's storage.
      const fresh = event.transaction.origin === stand.provider
      if (fresh && verloop.refused && courseState(stand).get('closed') === false) reopenHeld()
      if (!waiting.hidden) renderWaiting()
    })
  }
  function reopenHeld () {
    [verloop, ...boards, ...Object.values(others)]
      .filter((b) => b.refused?.code === codes.FORBIDDEN && !boardCfg[b.id]?.untilShown)
      .forEach((b) => { b.reconnect(); hideWaiting() })
  }
  // A board the family decides on (the VIP-kaart) that it has now shown to this role: load it
  // fresh from the server (nothing of it was kept here while it was not shown).
  function reopenShown () {
    boards.filter((b) => b.refused?.code === codes.FORBIDDEN && boardCfg[b.id]?.untilShown &&
      accessNow(cfg, verloop, b.id) !== 'none').forEach((b) => b.reset())
  }
  setInterval(() => {
    showTimer(timerEl, courseNow(), cfg)
    if (!waiting.hidden) renderWaiting()
  }, 500)

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
        if (boardCfg[b.id].privateNotes) state.privates[b.id] = openPrivateNotes(cfg, b.id, p)
      }
      state.undo = undoFor(boards.find((b) => b.id === state.active))
    }
    views.forEach((v, i) => v.setPrivateDoc(state.privates[boards[i].id]?.doc || null))
    posting.watch(Object.values(state.privates).map((priv) => priv.doc))
    Object.values(state.privates).forEach((priv) => priv.whenLoaded.then(() => views.forEach((v) => v.schedule())))
    setPresence([verloop, ...boards], p
      ? { name: p.name, relation: p.relation, role: cfg.role, personId: p.id }
      : { name: cfg.roleLabel, role: cfg.role, device: cfg.device })
    renderPersonBar()
    consent.refresh()
  }
  function undoRedo (which) {
    if (!boardById[state.active]?.resetting) state.undo?.[which]()
  }
  function undoFor (board) {
    const doc = board.doc
    const maps = cfg.roots[board.id].map((m) => doc.getMap(m)) // what a device writes there
    return new Y.UndoManager(maps, { trackedOrigins: new Set([origin()]) })
  }

  function showBoard (id) {
    if (!cfg.boards.some((b) => b.id === id)) return
    state.active = id
    for (const tab of tabs.children) {
      tab.setAttribute('aria-selected', String(tab.dataset.board === id))
      tab.tabIndex = tab.dataset.board === id ? 0 : -1
    }
    panels.forEach((p) => { p.hidden = p.dataset.board !== id })
    posting.update() // "Mijn briefjes plakken" belongs to the board on screen
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

  // --- refused: a change the server did not keep, the closed part, a revoked link ----------
  function refused (board, code, reason) {
    if (code === codes.UPDATE_REFUSED || code === codes.QUOTA_EXCEEDED) {
      // This device's copy holds a change the server did not keep (nothing of it was stored
      // or sent on): say so calmly, and load the board again as everyone sees it.
      refusedNotice.show(reason || (code === codes.QUOTA_EXCEEDED ? 'Het bord is vol. Er kan niets meer bij.' : ''))
      board.reset()
      views.forEach((v) => v.schedule()) // read-only until it is back
      return
    }
    if (code === codes.FORBIDDEN && boardCfg[board.id]?.untilShown) {
      // Not shown to this role (the VIP-kaart, until the child shows it), or no longer: no
      // waiting screen, its view says so; and nothing of it stays on this device.
      status.update(board.id, 'held')
      board.local.clearData().catch(() => {})
      views.forEach((v) => v.schedule())
      return
    }
    if (code === codes.FORBIDDEN) {
      state.waiting = 'closed'
      status.update(board.id, 'held') // kept from us on purpose, not a broken connection
    } else if (code === codes.UNAUTHORIZED) state.waiting = 'revoked'
    else return
    waiting.hidden = false
    document.body.classList.add('is-waiting')
    panels.forEach((p) => clear(p)) // what was on screen goes at once
    renderWaiting()
  }
  // The board is back, fresh from the server: everything that used its old document moves over.
  function rebind (board) {
    const i = boards.indexOf(board)
    if (i < 0) { // a board opened for a view (otherBoard): its views read it again
      views.forEach((v) => v.otherReset?.(board))
      return
    }
    views[i].setDoc(board.doc)
    views.forEach((v) => v.otherReset?.(board)) // a tab another view reads too (`mensen`)
    if (state.undo && state.active === board.id) {
      state.undo.destroy()
      state.undo = undoFor(board)
    }
    board.awareness.on('change', refreshPresence)
    refreshPresence()
    spotlight?.watch(board)
    views.forEach((v) => v.schedule())
  }
  function renderWaiting () {
    if (state.waiting === 'revoked') {
      fill(waiting, h('p', {}, 'Dit apparaat kan niet meer meedoen met deze link. Vraag de gespreksleider om een nieuwe link.'))
      return
    }
    const timer = timerView(courseNow(), Date.now(), cfg.timerEndShownMs)
    const { title, text, calm } = cfg.closedWaiting
    // The course still arrives while we wait; if it does not, that is a real connection problem.
    const offline = status.shown === 'offline'
    fill(waiting,
      h('h2', {}, title),
      h('p', {}, text),
      h('p', { class: offline ? 'waiting-offline' : 'waiting-calm' }, offline
        ? 'Er is nu geen verbinding. Zodra die terug is, gaat het vanzelf verder.'
        : calm),
      timer.ended ? h('p', { class: 'waiting-timer timer-ended' }, TIME_UP)
        : timer.text ? h('p', { class: 'waiting-timer' }, 'Nog ', h('span', { role: 'timer' }, timer.text)) : null)
  }
  function hideWaiting () {
    state.waiting = null
    waiting.hidden = true
    document.body.classList.remove('is-waiting')
    views.forEach((v) => v.schedule())
  }

  // --- presence ---------------------------------------------------------------------------
  const allBoards = [verloop, ...boards]
  const refreshPresence = () => renderPresence(presenceEl, allBoards)
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
    setPresence(allBoards, { name: cfg.roleLabel, role: cfg.role, device: cfg.device })
  }

  // For tests and the benchmark: the documents and the client's own note operations.
  if (readOnly) keepFitted(app) // nobody scrolls a TV: the board always fits the screen

  window.netwerkbord = { cfg, boards, verloop, views, person, ops, sound, status }
}
