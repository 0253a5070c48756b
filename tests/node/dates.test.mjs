// Dates for people in the browser (static/js/dates.js): "8 januari 2025", in any time zone.
// Run: node --test tests/node/*.test.mjs
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { dutchDate } from '../../server/static/js/dates.js'

test('a plan date reads in Dutch words', () => {
  assert.equal(dutchDate('2025-01-08'), '8 januari 2025')
  assert.equal(dutchDate('2026-12-31'), '31 december 2026')
})

test('anything that is not a date reads as nothing', () => {
  for (const value of ['', '2025-02-30', '2025-13-01', '8-1-2025', '2025-01-08\n', null, undefined, 20250108]) {
    assert.equal(dutchDate(value), '', String(value))
  }
})
