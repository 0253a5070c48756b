// Dragging notes and groups with pointer events (finger, pen or mouse). Works out where the
// item would land and reports it; the board view decides what that means for the document.
//
// A mouse drags at once. A finger (or pen) first holds the note still for a moment (HOLD_MS):
// a swipe that starts on a note scrolls the page, as everywhere else, and only a deliberate
// long press picks the note up. While it is held the page does not scroll.

const THRESHOLD = 8 // px a mouse moves before a press becomes a drag
const HOLD_MS = 450 // how long a finger holds a note still before it can be dragged
const SLOP = 10 // px a finger may wander while holding; more is a swipe, and the page scrolls

// `find(item, x, y)`, when given, says what an item would land on at (x, y) instead of the
// zones of a note board (the network boards: a ring and sector, a row); the same shape:
// { type: 'zone', element, ... } or null.
export function enableDrag (root, { canDrag, onDrop, find = null }) {
  let press = null
  let drag = null
  let suppressClick = false

  const release = () => {
    if (!press) return
    clearTimeout(press.timer)
    press.item.classList.remove('drag-armed')
    press = null
  }

  root.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || !event.isPrimary) return
    const handle = event.target.closest('[data-drag]')
    if (!handle || !root.contains(handle)) return
    const item = handle.closest('[data-kind]')
    if (!item || !canDrag(item)) return
    if (drag) { end(drag); drag = null } // a drag whose end never came
    release()
    const touch = event.pointerType !== 'mouse'
    const p = { item, x: event.clientX, y: event.clientY, pointerId: event.pointerId, touch, armed: !touch, timer: 0 }
    if (touch) {
      p.timer = setTimeout(() => {
        if (press !== p) return
        p.armed = true
        item.classList.add('drag-armed') // lifted: now it follows the finger
        navigator.vibrate?.(15)
      }, HOLD_MS)
    }
    press = p
  })

  root.addEventListener('pointermove', (event) => {
    if (!press || event.pointerId !== press.pointerId) return
    if (!drag) {
      const distance = Math.hypot(event.clientX - press.x, event.clientY - press.y)
      if (!press.armed) {
        if (distance > SLOP) release() // a swipe: the browser scrolls
        return
      }
      if (!press.touch && distance < THRESHOLD) return
      drag = start(press, event)
      drag.find = find
    }
    event.preventDefault()
    move(drag, event)
  })
  // A finger holding a note: the page stays where it is while the note moves.
  root.addEventListener('touchmove', (event) => {
    if (press?.armed && event.cancelable) event.preventDefault()
  }, { passive: false })
  // A long press opens no menu and selects no text.
  root.addEventListener('contextmenu', (event) => {
    if (press?.touch) event.preventDefault()
  })

  const finish = (event, cancelled) => {
    if (!press || event.pointerId !== press.pointerId) return
    if (drag) {
      const target = cancelled ? null : drag.target
      end(drag)
      suppressClick = true
      setTimeout(() => { suppressClick = false }, 0)
      if (target) onDrop(describe(drag.item), target)
    }
    release()
    drag = null
  }
  root.addEventListener('pointerup', (e) => finish(e, false))
  root.addEventListener('pointercancel', (e) => finish(e, true))
  // A click that ends a drag is not a tap on the note.
  root.addEventListener('click', (event) => {
    if (suppressClick) { event.stopPropagation(); event.preventDefault() }
  }, true)
}

function describe (item) {
  return { kind: item.dataset.kind, id: item.dataset.id, private: item.dataset.private === 'true' }
}

function start (press, event) {
  const rect = press.item.getBoundingClientRect()
  const ghost = press.item.cloneNode(true)
  ghost.classList.add('ghost')
  ghost.removeAttribute('id')
  ghost.querySelectorAll('[id]').forEach((el) => el.removeAttribute('id'))
  ghost.setAttribute('aria-hidden', 'true')
  Object.assign(ghost.style, { width: `${rect.width}px`, left: '0px', top: '0px' })
  document.body.append(ghost)
  press.item.classList.add('dragging')
  // A pointer that has already gone cannot be captured; the drag works without it.
  try { press.item.setPointerCapture(event.pointerId) } catch { /* nothing to capture */ }
  return { item: press.item, ghost, dx: press.x - rect.left, dy: press.y - rect.top, target: null, marked: null }
}

function move (drag, event) {
  drag.ghost.style.transform =
    `translate(${event.clientX - drag.dx}px, ${event.clientY - drag.dy}px) rotate(2deg)`
  drag.target = drag.find
    ? drag.find(drag.item, event.clientX, event.clientY)
    : findTarget(drag, event.clientX, event.clientY)
  mark(drag, drag.target)
}

function end (drag) {
  drag.ghost.remove()
  drag.item.classList.remove('dragging')
  mark(drag, null)
}

function mark (drag, target) {
  drag.marked?.classList.remove('drop-target', 'drop-into')
  drag.marked = null
  if (!target) return
  const el = target.element
  el.classList.add(target.type === 'zone' ? 'drop-target' : 'drop-into')
  drag.marked = el
}

// What is under the pointer: another note (group them), a group (join it) or a place in a zone.
function findTarget (drag, x, y) {
  const under = document.elementFromPoint(x, y)
  if (!under) return null
  const zoneEl = under.closest('[data-zone]')
  if (!zoneEl) return null
  const kind = drag.item.dataset.kind
  const isPrivate = drag.item.dataset.private === 'true'
  if (kind === 'note' && !isPrivate) {
    const noteEl = under.closest('[data-kind=note]')
    if (noteEl && noteEl !== drag.item && noteEl.dataset.private !== 'true') {
      const r = noteEl.getBoundingClientRect()
      if (y > r.top + r.height * 0.25 && y < r.bottom - r.height * 0.25) {
        return { type: 'note', id: noteEl.dataset.id, element: noteEl }
      }
    }
    const groupEl = under.closest('[data-kind=group]')
    if (groupEl && under.closest('.group-notes, .group-head')) {
      return { type: 'group', id: groupEl.dataset.id, element: groupEl }
    }
  }
  const list = zoneEl.querySelector('.zone-items')
  const siblings = [...list.children].filter((el) => el !== drag.item && el.dataset.private !== 'true' && el.dataset.kind)
  let index = siblings.length
  // Reading order: the first item the pointer is before (above it, or left of it in its row).
  for (let i = 0; i < siblings.length; i++) {
    const r = siblings[i].getBoundingClientRect()
    if (y < r.top || (y < r.bottom && x < r.left + r.width / 2)) { index = i; break }
  }
  return { type: 'zone', zone: zoneEl.dataset.zone, index, element: zoneEl }
}
