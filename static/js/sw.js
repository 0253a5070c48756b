// Service worker: keeps the last copy of each join page and the app's files, so a reload
// without a connection still shows the board (its content comes from IndexedDB).
const CACHE = 'netwerkbord-v1'

self.addEventListener('install', (event) => { self.skipWaiting() })
self.addEventListener('activate', (event) => { event.waitUntil(self.clients.claim()) })

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url)
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return
  const isPage = /^\/j\/[^/]+$/.test(url.pathname)
  const isAsset = url.pathname.startsWith('/static/')
  if (!isPage && !isAsset) return
  // Network first, so nobody sees an old page when the server is there; the cache when not.
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone()
      caches.open(CACHE).then((cache) => cache.put(event.request, copy))
    }
    return response
  }).catch(() => caches.match(event.request).then((hit) => hit || Response.error())))
})
