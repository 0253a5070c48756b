// Tiny DOM helpers. Text always goes in as text (textContent), never as HTML.

export function h (tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue
    if (key === 'class') el.className = value
    else if (key === 'dataset') Object.assign(el.dataset, value)
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value)
    else if (value === true) el.setAttribute(key, '')
    else el.setAttribute(key, String(value))
  }
  append(el, children)
  return el
}

function append (el, children) {
  for (const child of children) {
    if (child == null || child === false) continue
    if (Array.isArray(child)) append(el, child)
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
}

export function clear (el) {
  while (el.firstChild) el.firstChild.remove()
  return el
}

// Replace an element's children (arrays are flattened; null and false are skipped).
export function fill (el, ...children) {
  clear(el)
  append(el, children)
  return el
}

// A random id that works without a secure context (crypto.randomUUID needs https).
export function randomId () {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

// Make `parent`'s children exactly `nodes`, moving only what is out of place, so unchanged
// elements keep their state (focus, a finger that is pressing them) and the browser restyles
// only what changed.
export function reconcile (parent, nodes) {
  nodes.forEach((node, i) => {
    const current = parent.childNodes[i]
    if (current !== node) parent.insertBefore(node, current || null)
  })
  while (parent.childNodes.length > nodes.length) parent.lastChild.remove()
  return parent
}

// Build-once elements: `get(key, signature, build)` returns the element made last time for
// the same key and signature, or builds a new one. `sweep()` forgets keys not asked for since
// the previous sweep.
export class Memo {
  constructor () { this.items = new Map(); this.used = new Set() }
  get (key, signature, build) {
    this.used.add(key)
    const hit = this.items.get(key)
    if (hit && hit.signature === signature) return hit.el
    const el = build()
    this.items.set(key, { signature, el })
    return el
  }
  sweep () {
    for (const key of this.items.keys()) if (!this.used.has(key)) this.items.delete(key)
    this.used.clear()
  }
  clear () { this.items.clear(); this.used.clear() }
}
