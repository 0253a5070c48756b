// Instemming: every participant says akkoord / niet akkoord, on their own device or on the
// passed-around tablet. The server keeps each answer with its time (verloop state.consent).
import { h, fill } from './dom.js'
import { apiFetch } from './config.js'
import { meetingPeople } from './people.js'
import { courseState } from './course.js'

export function consentPanel (cfg, verloop, person) {
  const el = h('section', { class: 'consent', hidden: true, 'aria-labelledby': 'nb-consent-title' })
  const render = () => {
    const state = courseState(verloop)
    const answers = state.get('consent')?.toJSON?.() || {}
    const people = meetingPeople(verloop.doc).filter((p) => p.role !== 'scherm')
    const me = person()
    const mine = me ? answers[me.id] : null
    const comment = h('textarea', { id: 'nb-consent-comment', rows: 2, maxlength: cfg.limits.comment })
    const send = async (agree) => {
      const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/consent`,
        { participant: me.id, agree, comment: comment.value })
      if (!response.ok) error.textContent = (await response.json()).error
    }
    const error = h('p', { class: 'error', role: 'alert' })
    const agreed = people.filter((p) => answers[p.id]?.agree === true).length
    fill(el,
      h('h2', { id: 'nb-consent-title' }, 'Instemming met het plan'),
      me && cfg.role !== 'scherm'
        ? h('div', { class: 'consent-me' },
          h('p', {}, mine ? `${me.name}, je hebt gekozen: ${mine.agree ? 'akkoord' : 'niet akkoord'}. Je kunt het nog veranderen.`
            : `${me.name}, ga je akkoord met het plan?`),
          h('label', { for: 'nb-consent-comment' }, 'Wil je er iets bij zeggen? (mag leeg blijven)'), comment,
          h('div', { class: 'actions' },
            h('button', { class: 'primary', onclick: () => send(true) }, 'Akkoord'),
            h('button', { class: 'danger', onclick: () => send(false) }, 'Niet akkoord')),
          error)
        : null,
      h('p', { class: 'consent-count' }, `${agreed} van ${people.length} akkoord`),
      h('ul', { class: 'consent-list' }, people.map((p) => {
        const a = answers[p.id]
        const label = !a ? 'nog niet gekozen' : a.agree ? 'akkoord' : 'niet akkoord'
        return h('li', { class: `consent-${!a ? 'open' : a.agree ? 'yes' : 'no'}` },
          h('strong', {}, p.name), ` — ${label}`, a?.comment ? h('span', { class: 'consent-comment' }, `: “${a.comment}”`) : null)
      })))
  }
  courseState(verloop).observeDeep(render)
  el.refresh = render
  render()
  return el
}
