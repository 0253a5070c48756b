// The meeting's timer as every screen shows it: minutes and seconds left, counted down to
// `timerEndsAt` in `verloop`, or what was left when it was paused (`timerPausedMs`).

export function formatTimer (endsAt, now = Date.now()) {
  if (typeof endsAt !== 'number') return ''
  const left = Math.max(0, Math.round((endsAt - now) / 1000))
  const m = Math.floor(left / 60)
  const s = String(left % 60).padStart(2, '0')
  return `${m}:${s}`
}

// `state` is verloop's `state` map.
export function timerText (state) {
  const paused = state.get('timerPausedMs')
  if (typeof paused === 'number') return `${formatTimer(Date.now() + paused)} (gepauzeerd)`
  return formatTimer(state.get('timerEndsAt'))
}
