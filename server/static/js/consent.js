// Instemming: every participant who is asked (cfg.consentRoles: not the facilitator, who leads
// the meeting) says akkoord / niet akkoord, on their own device or on the passed-around
// tablet. The server keeps each answer with its time (verloop state.consent) and refuses
// answers once the meeting is finished; this screen only mirrors that.
import { h, fill } from './dom.js'
import { apiFetch } from './config.js'
import { meetingPeople } from './people.js'
import { courseState } from './course.js'

export function consentPanel (cfg, verloop, person) {
  const asked = (role) => cfg.consentRoles.includes(role)
  // Made once: what someone is typing survives every change that arrives meanwhile, and the
  // answer they choose (it is sent with the answer, and stays after it).
  const comment = h('textarea', { id: 'nb-consent-comment', rows: 2, maxlength: cfg.limits.comment })
  const question = h('p', { class: 'consent-question' })
  const error = h('p', { class: 'error', role: 'alert' })
  const yes = h('button', { class: 'primary', onclick: () => send(true) }, 'Akkoord')
  const no = h('button', { class: 'danger', onclick: () => send(false) }, 'Niet akkoord')
  const choose = h('div', { class: 'consent-choose' },
    h('label', { for: 'nb-consent-comment' }, 'Wil je er iets bij zeggen? (mag leeg blijven)'), comment,
    h('div', { class: 'actions' }, yes, no))
  const me = h('div', { class: 'consent-me' }, question, choose, error)
  const count = h('p', { class: 'consent-count' })
  const list = h('ul', { class: 'consent-list' })
  const el = h('section', { class: 'consent', hidden: true, 'aria-labelledby': 'nb-consent-title' },
    h('h2', { id: 'nb-consent-title' }, 'Gaat iedereen akkoord met het plan?'), me, count, list)
  let commentFor // the person whose comment the box holds

  async function send (agree) {
    const p = person()
    if (!p) return
    error.textContent = ''
    const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/consent`,
      { participant: p.id, agree, comment: comment.value })
    if (!response.ok) error.textContent = (await response.json().catch(() => ({}))).error || 'Dat lukte niet. Probeer het nog eens.'
  }

  const render = () => {
    const state = courseState(verloop)
    const answers = state.get('consent')?.toJSON?.() || {}
    const finished = state.get('finished') === true
    const people = meetingPeople(verloop.doc).filter((p) => asked(p.role))
    const p = cfg.role === 'scherm' ? null : person()
    const mine = p ? answers[p.id] : null
    if (p?.id !== commentFor) { // another person holds the device: their own comment, if any
      commentFor = p?.id
      comment.value = mine?.comment || ''
      error.textContent = ''
    }
    me.hidden = !p
    choose.hidden = !p || !asked(cfg.role) || finished
    question.textContent = !p ? ''
      : !asked(cfg.role) ? 'Jij leidt het gesprek en geeft zelf geen akkoord. Hier zie je wie akkoord gaat.'
        : finished ? `De bijeenkomst is afgesloten: akkoord geven of je keuze veranderen kan niet meer.${mine ? ` ${p.name}, je koos: ${mine.agree ? 'akkoord' : 'niet akkoord'}.` : ''}`
          : mine ? `${p.name}, je hebt gekozen: ${mine.agree ? 'akkoord' : 'niet akkoord'}. Je kunt het nog veranderen.`
            : `${p.name}, ga je akkoord met het plan?`
    yes.setAttribute('aria-pressed', String(mine?.agree === true))
    no.setAttribute('aria-pressed', String(mine?.agree === false))
    const agreed = people.filter((x) => answers[x.id]?.agree === true).length
    count.textContent = `${agreed} van ${people.length} akkoord`
    fill(list, people.map((x) => {
      const a = answers[x.id]
      const label = !a ? 'nog niet gekozen' : a.agree ? 'akkoord' : 'niet akkoord'
      return h('li', { class: `consent-${!a ? 'open' : a.agree ? 'yes' : 'no'}` },
        h('strong', {}, x.name), ` — ${label}`, a?.comment ? h('span', { class: 'consent-comment' }, `: “${a.comment}”`) : null)
    }))
  }
  courseState(verloop).observeDeep(render)
  el.refresh = render
  render()
  return el
}
