// Dates for people, in Dutch: "8 januari 2025". Documents and exports keep `YYYY-MM-DD`.
const long = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

// A `YYYY-MM-DD` string as "8 januari 2025"; '' for anything else.
export function dutchDate (iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof iso === 'string' ? iso : '')
  if (!m) return ''
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  // Date.UTC rolls "2025-02-30" over into March: that is not a date anyone typed.
  return date.getUTCDate() === +m[3] && date.getUTCMonth() === +m[2] - 1 ? long.format(date) : ''
}
