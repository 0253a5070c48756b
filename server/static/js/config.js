// The page's settings, put there by the server as JSON (never executed).
export function readConfig () {
  const el = document.getElementById('nb-config')
  return el ? JSON.parse(el.textContent) : null
}

// How a request proves who asks: this browser's device key, in a cookie no script can read
// (server/devices.py); a page opened with a token (outside clients, older pages) sends that.
export function authHeaders (cfg) {
  return cfg.token ? { Authorization: `Bearer ${cfg.token}` } : {}
}

export function apiFetch (cfg, path, body) {
  return fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...authHeaders(cfg), 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body)
  })
}

// The address of a download for this link (an export, a board picture): every download link
// is made here, so how a download proves who asks for it can change in one place.
export function downloadUrl (cfg, path) {
  return cfg.token ? `${path}?token=${encodeURIComponent(cfg.token)}` : path
}

// The plan page of this link, made for A4 (print it, or save it as a PDF).
export function planPageUrl (cfg) {
  return cfg.token ? `/j/${encodeURIComponent(cfg.token)}/plan` : `/m/${encodeURIComponent(cfg.meetingId)}/plan`
}
