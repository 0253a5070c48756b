// Service worker: keeps the last copy of each meeting page (/m/…; /j/ links only redirect there) and the app's files, so a reload
// without a connection still shows the board (its content comes from IndexedDB).
const CACHE = 'netwerkbord-v1'

const ASSETS = ['/static/build/app.js', '/static/css/base.css', '/static/css/screens.css', '/static/css/projector.css', '/static/css/network.css', '/static/css/afspraken.css', '/static/css/mapboards.css', '/static/favicon.svg']

self.addEventListener('install', () => { self.skipWaiting() })

// The page that registered us loaded before we existed: fetch a copy of it and of the app's
// files now, so that the very next reload already works offline.
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await self.clients.claim()
    const pages = (await self.clients.matchAll({ type: 'window' }))
      .map((c) => new URL(c.url)).filter((u) => /^\/m\/[^/]+(\/scherm)?$/.test(u.pathname))
      .map((u) => u.origin + u.pathname)
    const cache = await caches.open(CACHE)
    await Promise.all([...ASSETS, ...pages].map((url) => cache.add(url).catch(() => {})))
  })())
})

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return
  const isPage = /^\/m\/[^/]+(\/scherm)?$/.test(url.pathname)
  const isAsset = url.pathname.startsWith('/static/')
  if (!isPage && !isAsset) return
  // Network first, so nobody sees an old page when the server is there; the cache when not.
  const key = url.origin + url.pathname // the fragment and query never matter here
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone()
      caches.open(CACHE).then((cache) => cache.put(key, copy))
    }
    return response
  }).catch(() => caches.match(key).then((hit) => hit || Response.error())))
})
