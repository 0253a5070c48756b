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

for (const url of [...job.urls, ...(job.nodes || [])]) {
  if (!url.startsWith('ws://127.0.0.1:')) throw new Error('only 127.0.0.1 is benchmarked')
}

// Several nodes of one service (bench/server.py's two-node run): `job.nodes` lists their
// `ws://127.0.0.1:PORT` bases, and device `j` of board `b` (the writer is device 0) connects
// to node (b + j) % nodes.length: half of each board's devices on each of two nodes, and the
// writers of even and odd boards on different nodes. Without `nodes`, every device uses the
// board's URL as given.
const nodes = job.nodes || null
const nodeOf = (b, j) => nodes ? (b + j) % nodes.length : 0
const onNode = (url, b, j) => nodes ? nodes[nodeOf(b, j)] + url.slice(url.indexOf('/', 'ws://'.length)) : url
// Probes on another node than their board's writer record into `other`, the rest into `same`.
const newSamples = () => ({ same: { edit: [], presence: [] }, other: { edit: [], presence: [] } })
const samplesFor = (samples, b, j) => nodeOf(b, j) === nodeOf(b, 0) ? samples.same : samples.other
const clearSamples = (samples) => { for (const s of [samples.same, samples.other]) { s.edit.length = 0; s.presence.length = 0 } }
const allOf = (samples, kind) => [...samples.same[kind], ...samples.other[kind]]
const byNode = (samples, kind) => nodes
  ? { sameNode: summary(samples.same[kind]), otherNode: summary(samples.other[kind]) }
  : {}

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
// Who sent a marker, where devices both send and receive (`realistic`): a device does not
// count its own message coming back (the reference server echoes updates and presence to
// their sender). `windowEdits`: the edits sent in the measured window, and how many of the
// meeting's other devices received each.
const sentFrom = new Map()
const windowEdits = new Map()
// `realistic`: per second of the measured window (by send time), how many deliveries took
// over 50 ms and the slowest: a stall of the server (or of this process) shows as one spike.
const slow = { since: 0, over50: null, max: null }
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
      const id = Number(m[1])
      const sent = sentAt.get(id)
      if (sent === undefined || sentFrom.get(id) === this) continue
      this.samples[kind].push(t - sent)
      if (slow.over50 && t - sent > 50 && sent >= slow.since) {
        const i = Math.floor((sent - slow.since) / 1000)
        slow.over50[i] = (slow.over50[i] || 0) + 1
        slow.max[i] = Math.max(slow.max[i] || 0, Math.round(t - sent))
      }
      if (kind === 'edit' && windowEdits.has(id)) windowEdits.set(id, windowEdits.get(id) + 1)
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
  return s
}

function writerDoc (device) {
  const doc = new Y.Doc()
  doc.on('update', (update, origin) => {
    if (origin !== 'remote' && device.ws?.readyState === WebSocket.OPEN) device.ws.send(syncUpdate(update))
  })
  return doc
}

// At most `parallel` handshakes at once and, with `rate`, no more than `rate` started per second.
async function connectAll (devices, parallel = 100, rate = 0) {
  let next = 0
  const start = now()
  const worker = async () => {
    while (next < devices.length) {
      const i = next++
      const wait = rate ? start + i * 1000 / rate - now() : 0
      if (wait > 0) await sleep(wait)
      try { await devices[i].connect() } catch { errors++ }
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
  const samples = newSamples()
  const writer = new Device(onNode(urls[0], 0, 0))
  writer.doc = writerDoc(writer)
  const readers = Array.from({ length: devices - 1 },
    (_, i) => new Device(onNode(urls[0], 0, i + 1), { probe: true, samples: samplesFor(samples, 0, i + 1) }))
  await connectAll([writer, ...readers])
  for (let i = 0; i < 20; i++) edit(writer, `n${i}`) // the notes that get edited
  await sleep(500)
  clearSamples(samples)
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
  const received = allOf(samples, 'edit')
  emit('result', { edit: summary(received), ...byNode(samples, 'edit'), received: received.length, expected, errors, closedEarly })
  for (const d of [writer, ...readers]) d.close()
}

// 2: `meetings` boards x `per` devices; each board gets `editRate` edits/s from its writer and
// every device renews its presence every `presenceEvery` s. Measured over `seconds`.
async function capacity ({ urls, per = 10, editRate = 2, presenceEvery = 10, seconds = 20 }) {
  const samples = newSamples()
  const boards = urls.map((url, b) => {
    const writer = new Device(onNode(url, b, 0))
    writer.doc = writerDoc(writer)
    const readers = Array.from({ length: per - 1 },
      (_, j) => new Device(onNode(url, b, j + 1), { probe: true, samples: samplesFor(samples, b, j + 1) }))
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
  clearSamples(samples)
  const e0 = errors
  const c0 = closedEarly
  emit('measure')
  await sleep(seconds * 1000)
  const edits = allOf(samples, 'edit')
  const presence = allOf(samples, 'presence')
  emit('result', {
    connections: all.length, connectS, edit: summary(edits), presence: summary(presence),
    ...byNode(samples, 'edit'),
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
  // Untimed: warms up this process (see bench/server.py). Five loads: with one, the first
  // timed boards still paid for Node's compiler (60-90 ms against 20-40 later, both servers).
  for (let i = 0; warmup && i < 5; i++) {
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

// 6: `meetings` boards x `per` devices at the pace of a living-room meeting. First every
// device connects and syncs, at most `connectRate` new connections a second (the handshakes
// are not measured), and the meetings' notes are made; then `quietS` seconds with everyone
// connected and silent (the server's idle cost: the orchestrator reads its CPU between
// "quiet" and "quietEnd"). Then each meeting makes one edit every `editEvery` s on average
// (the interval uniform in 0.5-1.5x, a random first moment, a random device of the meeting
// setting a random note's text), and every device renews its presence every `presenceEvery`
// s (a random first moment). After `warmupS`, `seconds` are measured: the time from each edit
// to its arrival at the meeting's other devices, and presence likewise. A meeting's devices
// share one Y.Doc here (device 0 syncs the board into it), and each edit is made with the
// editing device's own client id (the one of its presence), as a browser would.
async function realistic ({
  urls, per = 10, connectRate = 1000, editEvery = 5, presenceEvery = 15, notes = 5,
  quietS = 5, warmupS = 10, seconds = 60, graceS = 2
}) {
  const samples = { edit: [], presence: [] }
  const meetings = urls.map((url) => {
    const devices = Array.from({ length: per }, () => new Device(url, { probe: true, samples }))
    const meeting = { devices, doc: new Y.Doc(), sender: null }
    meeting.doc.on('update', (update, origin) => {
      const ws = meeting.sender?.ws
      if (origin !== 'remote' && ws?.readyState === WebSocket.OPEN) ws.send(syncUpdate(update))
    })
    devices[0].doc = meeting.doc
    return meeting
  })
  const all = meetings.flatMap((m) => m.devices)
  const t0 = now()
  await connectAll(all, 100, connectRate)
  const connectS = (now() - t0) / 1000
  const editBy = (meeting, device, key) => {
    meeting.sender = device
    meeting.doc.clientID = device.clientId
    const s = edit(meeting, key)
    sentFrom.set(s, device)
    return s
  }
  // The meetings' notes (a board from an earlier step already has them), paced as well.
  for (let i = 0; i < meetings.length; i++) {
    const m = meetings[i]
    if (m.devices[0].ws.readyState !== WebSocket.OPEN) continue
    const map = m.doc.getMap('notes')
    for (let n = 0; n < notes; n++) if (!map.has(`n${n}`)) editBy(m, m.devices[0], `n${n}`)
    if (i % 50 === 49) await sleep(100)
  }
  await sleep(1000)
  emit('ready', { connections: all.length, connectS, errors })
  await sleep(2000) // (the orchestrator reads the server's memory now)
  emit('quiet')
  await sleep(quietS * 1000)
  emit('quietEnd')
  let measuring = false
  let edits = 0
  const timers = new Map() // one pending timer per sender
  const open = (d) => d.ws.readyState === WebSocket.OPEN
  for (const m of meetings) {
    const period = () => editEvery * 1000 * (0.5 + Math.random())
    timers.set(m, setTimeout(function tick () {
      const device = m.devices[Math.floor(Math.random() * per)]
      if (open(device)) {
        const s = editBy(m, device, `n${Math.floor(Math.random() * notes)}`)
        if (measuring) { windowEdits.set(s, 0); edits++ }
      }
      timers.set(m, setTimeout(tick, period()))
    }, Math.random() * editEvery * 1000))
  }
  for (const d of all) {
    timers.set(d, setTimeout(function tick () {
      if (open(d)) { const s = seq++; d.sendPresence(s); sentFrom.set(s, d) }
      timers.set(d, setTimeout(tick, presenceEvery * 1000))
    }, Math.random() * presenceEvery * 1000))
  }
  await sleep(warmupS * 1000)
  samples.edit.length = 0
  samples.presence.length = 0
  const e0 = errors
  const c0 = closedEarly
  measuring = true
  slow.since = now()
  slow.over50 = []
  slow.max = []
  emit('measure')
  await sleep(seconds * 1000)
  measuring = false
  await sleep(graceS * 1000) // the load goes on; edits sent in the window may still arrive
  let received = 0
  for (const n of windowEdits.values()) received += Math.min(n, per - 1)
  emit('result', {
    connections: all.length, connectS, edit: summary(samples.edit),
    presence: summary(samples.presence), edits, received, expected: edits * (per - 1),
    errors: errors - e0, closedEarly: closedEarly - c0, setupErrors: e0,
    slowBySecond: { over50: Array.from(slow.over50, (n) => n || 0), max: Array.from(slow.max, (n) => n || 0) }
  })
  for (const t of timers.values()) clearTimeout(t)
  for (const d of all) d.close()
}

const scenarios = { fanout, capacity, fill, coldLoad, idle, presence, realistic }
try {
  await scenarios[job.scenario](job)
} catch (e) {
  emit('result', { error: String(e) })
}
clearTimeout(hardStop)
await sleep(300)
process.exit(0)
