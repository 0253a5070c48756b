// The TV in the room (role `scherm`): how to join (a QR code made by our own server), which
// board it shows (`verloop` state.screen, set by the facilitator: board/screen.py), the board
// scaled to fit the screen so that nobody has to scroll a TV, and the sound when the time is up.
import { h } from './dom.js'
import { courseState } from './course.js'
import { timerView } from './timer.js'

// The room's QR code (server/admission.py): whoever scans it asks to join, and the
// facilitator lets them in. It opens nothing by itself, so anyone in the room may see it.
export function projectorJoin (cfg) {
  if (!cfg.admission) return null
  return h('aside', { class: 'join-corner', 'aria-label': 'Meedoen' },
    h('p', { class: 'join-title' }, 'Doe mee op je telefoon'),
    h('img', { src: cfg.admission.qr, alt: 'QR-code om mee te doen', width: 220, height: 220 }),
    h('p', { class: 'join-link' }, cfg.admission.link))
}

// What the facilitator put on the TV: { board (null: the step's), group (null: the board), sound }.
export function screenOf (verloop) {
  const state = courseState(verloop)
  const screen = state.get('screen')
  if (screen && typeof screen === 'object') {
    return { board: screen.board || null, group: screen.group || null, sound: screen.sound === true }
  }
  const spot = state.get('spotlight') // a meeting from before `screen`
  return { board: spot?.group ? spot.board : null, group: spot?.group || null, sound: false }
}

// The board the TV shows now.
export function screenBoard (cfg, verloop, step) {
  const { board } = screenOf(verloop)
  const known = (id) => cfg.boards.some((b) => b.id === id)
  return known(board) ? board : known(step?.board) ? step.board : cfg.boards[0]?.id
}

// --- fit to the screen ------------------------------------------------------------------------
// Sizes are in px on a 1920×1080 screen and scale with the screen (projector.css: --tv-px). The
// notes of a board share one size: the largest from NOTE_MAX down that lets every zone hold all
// its notes, in as few columns as it needs. From 40 notes on a board up it may go below
// NOTE_MIN (docs/meetings.md), never below NOTE_FLOOR.
export const FIT = { NOTE_MAX: 26, NOTE_MIN: 20, NOTE_FLOOR: 12, TEXT_MAX: 30, BIG_MAX: 44 }
const COLUMN_EM = 8 // a column of notes is at least this many note-widths of text wide

const scale = () => Math.min(innerWidth / 1920, innerHeight / 1080)

function overflows (el) {
  return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1
}

// The largest whole size in [lo, hi] for which fits(size) holds (fits is monotone), or lo. It
// starts next to the size found last time: one note more or less usually moves it by one
// step at most, so two tries are enough; otherwise it halves the range.
function largest (lo, hi, fits, last) {
  let best = lo
  if (last >= lo && last <= hi) {
    if (fits(last)) {
      if (last === hi || !fits(last + 1)) return last
      best = last + 1
      lo = last + 2
    } else {
      if (last - 1 < lo) return lo
      if (fits(last - 1)) return last - 1
      hi = last - 2
    }
  }
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2)
    if (fits(mid)) { best = mid; lo = mid + 1 } else hi = mid - 1
  }
  return best
}

// Columns: 1 is a plain block (no column layout at all), more is CSS multi-column.
function setColumns (el, cols) {
  if (cols > 1) el.style.setProperty('--tv-cols', cols)
  else el.style.removeProperty('--tv-cols')
}

// Fit the blocks `lists` (each inside its `outers[i]`) at `size`: each gets as few columns as
// it needs. Reads and writes are batched, so that each round is one layout for all of them:
// their height in one column says how many columns each needs at least, then each round adds a
// column where it still overflows. `ok` is false when one does not fit even in its most columns.
function fitColumns (lists, outers, size) {
  const most = lists.map((l) => Math.max(1, Math.floor(l.clientWidth / (size * scale() * COLUMN_EM))))
  lists.forEach((l) => setColumns(l, 1))
  let cols = lists.map((l, i) => Math.min(most[i], Math.max(1, Math.ceil(l.scrollHeight / Math.max(1, l.clientHeight)))))
  for (;;) {
    lists.forEach((l, i) => setColumns(l, cols[i]))
    const over = lists.map((l, i) => overflows(l) || overflows(outers[i]))
    if (!over.includes(true)) return { ok: true, cols }
    if (over.some((o, i) => o && cols[i] >= most[i])) return { ok: false, cols }
    cols = cols.map((c, i) => (over[i] ? c + 1 : c))
  }
}

// What was found last time, per board or kind of text: { size, cols, amount }. When there is
// as much or more on the screen than then (`amount`: notes, or characters), and it still fits at
// that size and those columns, that is the answer: one layout, which the screen needs anyway.
// Otherwise the largest size that fits is looked for again.
const found = new Map()

function fitBlocks (key, lists, outers, max, setSize, amount) {
  const last = found.get(key)
  if (last && amount >= last.amount && last.cols.length === lists.length) {
    setSize(last.size)
    lists.forEach((l, i) => setColumns(l, last.cols[i]))
    if (!lists.some((l, i) => overflows(l) || overflows(outers[i]))) {
      found.set(key, { ...last, amount })
      return last.size
    }
  }
  const tried = new Map()
  const fits = (size) => {
    setSize(size)
    const { ok, cols } = fitColumns(lists, outers, size)
    tried.set(size, cols)
    return ok
  }
  const size = largest(FIT.NOTE_FLOOR, max, fits, last?.size)
  if (!tried.has(size)) fits(size)
  const cols = tried.get(size)
  setSize(size)
  lists.forEach((l, i) => setColumns(l, cols[i]))
  found.set(key, { size, cols, amount })
  return size
}

const indices = (n) => Array.from({ length: n }, (_, i) => i)

// A board with zones: the zones take room by how full they are; the notes share one size.
function fitZones (zonesEl) {
  const zones = [...zonesEl.querySelectorAll(':scope > .zone')].filter((z) => z.querySelector('.zone-items'))
  if (!zones.length) return
  const counts = zones.map((z) => z.querySelectorAll('li.note').length)
  const perRow = Number(getComputedStyle(zonesEl).getPropertyValue('--tv-zones-per-row')) || zones.length
  const rows = Math.ceil(zones.length / perRow)
  const weight = (members) => 3 + Math.max(0, ...members.map((i) => counts[i]))
  const columns = indices(perRow).map((c) => weight(indices(zones.length).filter((i) => i % perRow === c)))
  zonesEl.style.gridTemplateColumns = columns.map((w) => `minmax(calc(40vw / ${perRow}), ${w}fr)`).join(' ')
  zonesEl.style.gridTemplateRows = rows > 1
    ? indices(rows).map((r) => `minmax(0, ${3 + weight(indices(zones.length).filter((i) => Math.floor(i / perRow) === r))}fr)`).join(' ')
    : ''
  const lists = zones.map((z) => z.querySelector('.zone-items'))
  const size = fitBlocks(zonesEl, lists, zones, FIT.NOTE_MAX,
    (s) => zonesEl.style.setProperty('--tv-note', s), counts.reduce((a, b) => a + b, 0))
  zonesEl.dataset.noteSize = size // for the tests, and for a person looking at the page
}

// Any other block of text (the plan, a group shown large, the consent overview).
function fitText (el, kind, max) {
  if (!el) return
  el.dataset.textSize = fitBlocks(kind, [el], [el], max,
    (s) => el.style.setProperty('--tv-text', s), el.textContent.length)
}

export function fitScreen (root) {
  for (const zones of root.querySelectorAll('.board:not([hidden]) .zones')) fitZones(zones)
  fitText(root.querySelector('.board:not([hidden]) .plan-read'), 'plan', FIT.TEXT_MAX)
  fitText(root.querySelector('.spotlight-view:not([hidden]) .spotlight-notes'), 'group', FIT.BIG_MAX)
  fitText(root.querySelector('.consent:not([hidden]) .consent-list'), 'consent', FIT.TEXT_MAX)
  // A board of another kind marks the block that holds it all with data-tv-fit="<its name>"
  // (the network boards): its text gets the largest size that fits, as the plan's does. The
  // block fills the board's room (flex: 1 1 0; min-height: 0; overflow: hidden) and sizes its
  // text with --tv-text (projector.css, mapboards.css).
  for (const el of root.querySelectorAll('.board:not([hidden]) [data-tv-fit]')) {
    fitText(el, `board:${el.dataset.tvFit}`, Number(el.dataset.tvMax) || FIT.TEXT_MAX)
  }
}

// Fit again whenever what is shown changes (notes come and go, another board), before it is
// painted; and when the screen changes size.
export function keepFitted (root) {
  const fit = () => fitScreen(root)
  // Boards that are not on the screen are drawn too: their changes need no fitting.
  const onScreen = (node) => !(node.nodeType === 1 ? node : node.parentElement)?.closest('[hidden]')
  new MutationObserver((changes) => {
    if (changes.some((c) => c.type === 'attributes' || onScreen(c.target))) fit()
  }).observe(root, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['hidden']
  })
  let frame = 0
  new ResizeObserver(() => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; fit() })
  }).observe(document.documentElement)
  fit()
}

// --- the sound when the time is up ------------------------------------------------------------
// Only on the TV, only when the facilitator turned it on (off by default), made here with
// WebAudio: no sound file. Browsers let a page make sound only after someone tapped it once;
// until then the TV says so in a small line.
export class TimeUpSound {
  constructor (cfg, verloop) {
    this.cfg = cfg
    this.verloop = verloop
    this.ctx = null
    this.runningUntil = null // the end of a timer this screen saw running
    this.chimedFor = null
    this.chimes = 0 // for the tests: how often the sound was played
    this.hint = h('p', { class: 'sound-hint', role: 'status', hidden: true },
      'Tik één keer op dit scherm, dan kan het geluid aan als de tijd om is.')
    const unlock = () => this.audio()?.resume().then(() => this.tick(), () => {})
    addEventListener('pointerdown', unlock)
    addEventListener('keydown', unlock)
    setInterval(() => this.tick(), 250)
  }

  audio () {
    const Ctx = window.AudioContext || window.webkitAudioContext
    if (!this.ctx && Ctx) this.ctx = new Ctx()
    return this.ctx
  }

  tick () {
    const state = courseState(this.verloop)
    const now = Date.now()
    const on = screenOf(this.verloop).sound
    const endsAt = state.get('timerEndsAt')
    const view = timerView(state, now, this.cfg.timerEndShownMs)
    if (typeof endsAt === 'number' && !view.ended && endsAt > now) this.runningUntil = endsAt
    if (view.ended && endsAt === this.runningUntil && this.chimedFor !== endsAt) {
      this.chimedFor = endsAt
      if (on) this.play()
    }
    if (on) this.audio()
    this.hint.hidden = !on || !this.ctx || this.ctx.state === 'running'
  }

  // Three soft rising tones, about a second and a half.
  play () {
    const ctx = this.audio()
    if (!ctx) return
    this.chimes++
    ctx.resume().catch(() => {})
    const start = ctx.currentTime + 0.05
    ;[523.25, 659.25, 783.99].forEach((freq, i) => {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      const t = start + i * 0.38
      osc.type = 'sine'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, t)
      gain.gain.exponentialRampToValueAtTime(0.35, t + 0.04)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.9)
      osc.connect(gain).connect(ctx.destination)
      osc.start(t)
      osc.stop(t + 0.95)
    })
  }
}
