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
