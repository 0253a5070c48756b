// The meeting's timer as every screen shows it: minutes and seconds left, counted down to
// `timerEndsAt` in `verloop`, or what was left when it was paused (`timerPausedMs`). When it
// has run out, every screen says "De tijd is om" for cfg.timerEndShownMs (board/timer.py), and
// then shows no timer; the facilitator's "Stop", a new start or the next step clear it sooner.

export const TIME_UP = 'De tijd is om'
const SHOWN_MS = 60000 // when the page's config does not say

export function formatTimer (endsAt, now = Date.now()) {
  if (typeof endsAt !== 'number') return ''
  const left = Math.max(0, Math.ceil((endsAt - now) / 1000)) // "0:01" until it is over
  const m = Math.floor(left / 60)
  const s = String(left % 60).padStart(2, '0')
  return `${m}:${s}`
}

// What the timer says now: { text, ended }. `state` is verloop's `state` map (or a plain
// object with a get()). `ended` is true while "De tijd is om" is shown.
export function timerView (state, now = Date.now(), shownMs = SHOWN_MS) {
  const paused = state.get('timerPausedMs')
  if (typeof paused === 'number') return { text: `${formatTimer(now + paused, now)} (gepauzeerd)`, ended: false }
  const endsAt = state.get('timerEndsAt')
  if (typeof endsAt !== 'number') return { text: '', ended: false }
  if (endsAt > now) return { text: formatTimer(endsAt, now), ended: false }
  if (now - endsAt < shownMs) return { text: TIME_UP, ended: true }
  return { text: '', ended: false }
}

export function timerText (state, now = Date.now(), shownMs = SHOWN_MS) {
  return timerView(state, now, shownMs).text
}

// Put the timer into an element (the bar's, the console's): its text, and `timer-ended` while
// the time is up, so the whole screen can show it.
export function showTimer (el, state, cfg, empty = '') {
  const view = timerView(state, Date.now(), cfg?.timerEndShownMs ?? SHOWN_MS)
  const text = view.text || empty
  if (el.textContent !== text) el.textContent = text
  el.classList.toggle('timer-ended', view.ended)
  el.setAttribute('aria-label', view.ended ? TIME_UP : 'Tijd over')
  return view
}
