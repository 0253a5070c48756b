// The page's settings, put there by the server as JSON (never executed).
export function readConfig () {
  const el = document.getElementById('nb-config')
  return el ? JSON.parse(el.textContent) : null
}

export function apiFetch (cfg, path, body) {
  return fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${cfg.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}
