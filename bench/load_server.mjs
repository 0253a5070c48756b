// The load generator of bench/server.py: Yjs devices over the y-websocket protocol, the same
// for both servers. Started once per scenario step with a JSON job file (argv[2]); prints JSON
// lines: {"event": "ready"} once every device is synced (the orchestrator then reads the
// server's memory), {"event": "measure"} when the measured window starts, and
// {"event": "result", ...} at the end. Only talks to 127.0.0.1; every loop is bounded.
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import { readFileSync } from 'fs'
import { monitorEventLoopDelay } from 'perf_hooks'

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) // a file: 18,000 URLs pass no argv
// How late this process's own event loop runs: when it is busy, every delivery time it
// records is late by about as much, whichever server is measured.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
const emit = (event, data = {}) => {
  if (event === 'measure') loopDelay.enable()
  if (event === 'result') {
    loopDelay.disable()
    data.clientLag = { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }
  }
  process.stdout.write(JSON.stringify({ event, ...data }) + '\n')
}
const now = () => performance.now()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const hardStop = setTimeout(() => { emit('result', { error: 'time limit' }); process.exit(2) },
  (job.timeLimitS || 300) * 1000)

for (const url of job.urls) {
  if (!url.startsWith('ws://127.0.0.1:')) throw new Error('only 127.0.0.1 is benchmarked')
}

// ---- wire format (lib0) ---------------------------------------------------------------------

const EMPTY_UPDATE = new Uint8Array([0, 0])
const frame = (build) => { const e = encoding.createEncoder(); build(e); return encoding.toUint8Array(e) }
const syncStep1 = (sv) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, sv) })
const syncStep2 = (u) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, u) })
const syncUpdate = (u) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, u) })
const awarenessFrame = (clientId, clock, state) => frame((e) => {
  encoding.writeVarUint(e, 1)
  encoding.writeVarUint8Array(e, frame((a) => {
    encoding.writeVarUint(a, 1)
    encoding.writeVarUint(a, clientId)
    encoding.writeVarUint(a, clock)
    encoding.writeVarString(a, JSON.stringify(state))
  }))
})

// Send times by marker, for every kind of message: same process, same clock.
const sentAt = new Map()
const MARK = /@@(\d+)@@/g

// ---- a device -------------------------------------------------------------------------------

let errors = 0
let closedEarly = 0

class Device {
  constructor (url, { doc = null, probe = false, samples = null, presence = null } = {}) {
    this.url = url
    this.doc = doc // only writers and cold-load devices keep a Y.Doc
    this.probe = probe // probes decode what they receive and record latencies
    this.samples = samples // {edit: [], presence: []}
    this.presence = presence
    this.clientId = Math.floor(Math.random() * 2 ** 31)
    this.clock = 0
    this.synced = null
    this.bytes = 0
  }

  connect () {
    return new Promise((resolve, reject) => {
      const ws = this.ws = new WebSocket(this.url, { perMessageDeflate: false })
      ws.binaryType = 'nodebuffer'
      this.synced = resolve
      ws.on('open', () => {
        ws.send(syncStep1(this.doc ? Y.encodeStateVector(this.doc) : new Uint8Array([0])))
      })
      ws.on('message', (data) => this.onMessage(data))
      ws.on('error', (e) => { errors++; reject(e) })
      ws.on('close', () => { if (!this.closing) { closedEarly++; reject(new Error('closed')) } })
    })
  }

  onMessage (data) {
    this.bytes += data.length
    const t = now()
    const d = decoding.createDecoder(data)
    const type = decoding.readVarUint(d)
    if (type === 0) {
      const sub = decoding.readVarUint(d)
      const payload = decoding.readVarUint8Array(d)
      if (sub === 0) {
        const reply = this.doc ? Y.encodeStateAsUpdate(this.doc, payload) : EMPTY_UPDATE
        this.ws.send(syncStep2(reply))
        return
      }
      if (this.doc && sub !== 0) Y.applyUpdate(this.doc, payload, 'remote')
      if (sub === 1 && this.synced) { const done = this.synced; this.synced = null; done(t) }
      if (this.probe && sub === 2) this.record(payload, t, 'edit')
    } else if (type === 1 && this.probe) {
      this.record(decoding.readVarUint8Array(d), t, 'presence')
    }
  }

  record (payload, t, kind) {
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1')
    for (const m of text.matchAll(MARK)) {
      const sent = sentAt.get(Number(m[1]))
      if (sent !== undefined) this.samples[kind].push(t - sent)
    }
  }

  sendPresence (seq) {
    sentAt.set(seq, now())
    this.clock++
    this.ws.send(awarenessFrame(this.clientId, this.clock, {
      user: { name: `Deelnemer ${this.clientId % 1000}`, color: '#2a9d8f' },
      board: 'drieluik', cursor: `@@${seq}@@`
    }))
  }

  close () { this.closing = true; this.ws?.close() }
}

let seq = 1
function edit (writer, key) {
  const s = seq++
  const notes = writer.doc.getMap('notes')
  const note = notes.get(key)
  writer.doc.transact(() => {
    if (note) note.set('text', `Briefje @@${s}@@`)
    else notes.set(key, new Y.Map([['text', `Briefje @@${s}@@`], ['zone', 'zorgen'], ['x', 0.1], ['y', 0.2], ['role', 'familie']]))
  })
  sentAt.set(s, now())
}

function writerDoc (device) {
  const doc = new Y.Doc()
  doc.on('update', (update, origin) => {
    if (origin !== 'remote' && device.ws?.readyState === WebSocket.OPEN) device.ws.send(syncUpdate(update))
  })
  return doc
}

async function connectAll (devices, parallel = 100) {
  let next = 0
  const worker = async () => {
    while (next < devices.length) {
      const d = devices[next++]
      try { await d.connect() } catch { errors++ }
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker))
}

function summary (values) {
  if (!values.length) return { n: 0, p50: null, p99: null, max: null }
  const sorted = Float64Array.from(values).sort()
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))]
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] }
}

// ---- scenarios ------------------------------------------------------------------------------

// 1: one board, `devices` devices; one writes `edits` small note edits at `rate`/s.
async function fanout ({ urls, devices = 20, edits = 1000, rate = 50 }) {
  const samples = { edit: [], presence: [] }
  const writer = new Device(urls[0])
  writer.doc = writerDoc(writer)
  const readers = Array.from({ length: devices - 1 }, () => new Device(urls[0], { probe: true, samples }))
  await connectAll([writer, ...readers])
  for (let i = 0; i < 20; i++) edit(writer, `n${i}`) // the notes that get edited
  await sleep(500)
  samples.edit.length = 0
  emit('ready'); emit('measure')
  const start = now()
  for (let i = 0; i < edits; i++) {
    const due = start + i * 1000 / rate
    const wait = due - now()
    if (wait > 0) await sleep(wait)
    edit(writer, `n${i % 20}`)
  }
  await sleep(500)
  const expected = edits * readers.length
  emit('result', { edit: summary(samples.edit), received: samples.edit.length, expected, errors, closedEarly })
  for (const d of [writer, ...readers]) d.close()
}

// 2: `meetings` boards x `per` devices; each board gets `editRate` edits/s from its writer and
// every device renews its presence every `presenceEvery` s. Measured over `seconds`.
async function capacity ({ urls, per = 10, editRate = 2, presenceEvery = 10, seconds = 20 }) {
  const samples = { edit: [], presence: [] }
  const boards = urls.map((url) => {
    const writer = new Device(url)
    writer.doc = writerDoc(writer)
    const readers = Array.from({ length: per - 1 }, () => new Device(url, { probe: true, samples }))
    return { writer, readers }
  })
  const all = boards.flatMap((b) => [b.writer, ...b.readers])
  const t0 = now()
  await connectAll(all, 200)
  const connectS = (now() - t0) / 1000
  for (const b of boards) edit(b.writer, 'n0')
  await sleep(1000)
  emit('ready', { connections: all.length, connectS, errors })
  // Spread every periodic sender over its period, so the load is even.
  const timers = []
  const editEvery = 1000 / editRate
  for (const b of boards) {
    timers.push(setTimeout(function tick () {
      if (b.writer.ws.readyState === WebSocket.OPEN) edit(b.writer, `n${seq % 5}`)
      timers.push(setTimeout(tick, editEvery))
    }, Math.random() * editEvery))
  }
  for (const d of all) {
    timers.push(setTimeout(function tick () {
      if (d.ws.readyState === WebSocket.OPEN) d.sendPresence(seq++)
      timers.push(setTimeout(tick, presenceEvery * 1000))
    }, Math.random() * presenceEvery * 1000))
  }
  await sleep(3000) // warm-up
  samples.edit.length = 0
  samples.presence.length = 0
  const e0 = errors
  const c0 = closedEarly
  emit('measure')
  await sleep(seconds * 1000)
  const edits = samples.edit.slice()
  const presence = samples.presence.slice()
  emit('result', {
    connections: all.length, connectS, edit: summary(edits), presence: summary(presence),
    errors: errors - e0, closedEarly: closedEarly - c0, setupErrors: e0
  })
  for (const t of timers) clearTimeout(t)
  for (const d of all) d.close()
}

// 3 (write part): write `updates` single updates to a board, as fast as it takes them.
async function fill ({ urls, updates = 10000 }) {
  for (const url of urls) {
    const writer = new Device(url)
    writer.doc = writerDoc(writer)
    const reader = new Device(url, { doc: new Y.Doc() })
    await connectAll([writer, reader])
    for (let i = 0; i < updates; i++) {
      edit(writer, `n${i % 500}`)
      if (i % 200 === 199) await sleep(5) // let the socket drain
    }
    const want = writer.doc.getMap('notes').get(`n${(updates - 1) % 500}`).get('text')
    for (let i = 0; i < 600 && reader.doc.getMap('notes').get(`n${(updates - 1) % 500}`)?.get('text') !== want; i++) {
      await sleep(50)
    }
    writer.close(); reader.close()
  }
  emit('result', { errors })
}

// 3: a new device joins each board; time until it holds the whole board.
async function coldLoad ({ urls, warmup, notes = 500 }) {
  if (warmup) { // untimed: warms up this process (see bench/server.py)
    const device = new Device(warmup, { doc: new Y.Doc() })
    await device.connect()
    device.close()
    await sleep(100)
  }
  const times = []
  for (const url of urls) {
    const device = new Device(url, { doc: new Y.Doc() })
    const t0 = now()
    await device.connect()
    const n = device.doc.getMap('notes').size
    times.push(now() - t0)
    if (n !== notes) errors++
    device.close()
    await sleep(100)
  }
  emit('result', { times, load: summary(times), errors })
}

// 4: `boards` boards with `per` idle devices each (a board's history: `notes` notes).
async function idle ({ urls, per = 1, notes = 20, holdS = 8 }) {
  const writers = urls.map((url) => { const w = new Device(url); w.doc = writerDoc(w); return w })
  await connectAll(writers, 200)
  for (const w of writers) for (let i = 0; i < notes; i++) edit(w, `n${i}`)
  await sleep(1500)
  // the server's memory with one device per board is read now, in the same process as at
  // "ready": their difference is what the extra devices cost
  emit('base', { connections: writers.length, errors })
  await sleep(2500)
  const extra = urls.flatMap((url) => Array.from({ length: per - 1 }, () => new Device(url)))
  await connectAll(extra, 200)
  emit('ready', { connections: writers.length + extra.length, errors })
  await sleep(holdS * 1000)
  emit('result', { errors, closedEarly })
  for (const d of [...writers, ...extra]) d.close()
}

// 5: `devices` devices on one board, each renewing its presence every second; one of them also
// writes `editRate` edits/s. `probes` devices record delivery times.
async function presence ({ urls, devices = 500, probes = 20, editRate = 2, seconds = 20 }) {
  const samples = { edit: [], presence: [] }
  const writer = new Device(urls[0])
  writer.doc = writerDoc(writer)
  const others = Array.from({ length: devices - 1 },
    (_, i) => new Device(urls[0], { probe: i < probes, samples }))
  const all = [writer, ...others]
  await connectAll(all, 50)
  for (let i = 0; i < 5; i++) edit(writer, `n${i}`)
  await sleep(1000)
  emit('ready', { connections: all.length, errors })
  const timers = []
  for (const d of all) {
    timers.push(setTimeout(function tick () {
      if (d.ws.readyState === WebSocket.OPEN) d.sendPresence(seq++)
      timers.push(setTimeout(tick, 1000))
    }, Math.random() * 1000))
  }
  timers.push(setInterval(() => edit(writer, `n${seq % 5}`), 1000 / editRate))
  await sleep(3000)
  samples.edit.length = 0
  samples.presence.length = 0
  const e0 = errors
  emit('measure')
  await sleep(seconds * 1000)
  const bytes = others.slice(0, probes).reduce((s, d) => s + d.bytes, 0)
  emit('result', {
    connections: all.length, edit: summary(samples.edit), presence: summary(samples.presence),
    errors: errors - e0, closedEarly, probeBytes: bytes
  })
  for (const t of timers) { clearTimeout(t); clearInterval(t) }
  for (const d of all) d.close()
}

const scenarios = { fanout, capacity, fill, coldLoad, idle, presence }
try {
  await scenarios[job.scenario](job)
} catch (e) {
  emit('result', { error: String(e) })
}
clearTimeout(hardStop)
await sleep(300)
process.exit(0)
