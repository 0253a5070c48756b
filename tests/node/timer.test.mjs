// The timer as every screen shows it (static/js/timer.js), without a browser: counting down,
// paused, "De tijd is om" instead of "0:00" when it has run out, and then nothing.
// Run: node --test tests/node/*.test.mjs
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TIME_UP, timerView } from '../../server/static/js/timer.js'

const state = (fields) => ({ get: (key) => fields[key] })
const NOW = 1_700_000_000_000
const SHOWN = 60_000

test('counts down to the end', () => {
  assert.deepEqual(timerView(state({ timerEndsAt: NOW + 125_000 }), NOW, SHOWN), { text: '2:05', ended: false })
  assert.deepEqual(timerView(state({ timerEndsAt: NOW + 1_000 }), NOW, SHOWN), { text: '0:01', ended: false })
  assert.deepEqual(timerView(state({ timerEndsAt: NOW + 1 }), NOW, SHOWN), { text: '0:01', ended: false })
})

test('says the time is up instead of 0:00, for a while, then shows nothing', () => {
  for (const past of [0, 400, 1_000, SHOWN - 1]) {
    const view = timerView(state({ timerEndsAt: NOW - past }), NOW, SHOWN)
    assert.deepEqual(view, { text: TIME_UP, ended: true }, `at ${past} ms after the end`)
  }
  assert.deepEqual(timerView(state({ timerEndsAt: NOW - SHOWN }), NOW, SHOWN), { text: '', ended: false })
})

test('paused, stopped or never started', () => {
  assert.deepEqual(timerView(state({ timerPausedMs: 90_000 }), NOW, SHOWN), { text: '1:30 (gepauzeerd)', ended: false })
  assert.deepEqual(timerView(state({ timerEndsAt: null, timerPausedMs: null }), NOW, SHOWN), { text: '', ended: false })
  assert.deepEqual(timerView(state({}), NOW, SHOWN), { text: '', ended: false })
})
