// The plan as the TV shows it: read-only text, large, with nothing to tap, no form fields and no
// downloads. The same document as PlanView (planview.js); the statuses come from the config.
import * as Y from 'yjs'
import { h, fill } from './dom.js'
import { PEOPLE_BOARD, followPeople, peopleList, peopleReloaded } from './peopleview.js'


const dateFormat = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

// "2026-12-01" -> "1 december 2026"; anything else -> ''.
export function dutchDate (value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || '')
  if (!m) return ''
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date)
}

function sorted (map, filter = () => true) {
  const out = []
  map.forEach((v, id) => { if (v instanceof Y.Map && filter(v)) out.push([id, v.toJSON()]) })
  return out.sort((a, b) => (a[1].order || 0) - (b[1].order || 0) || (a[0] < b[0] ? -1 : 1))
}

export class PlanReadView {
  constructor (root, boardCfg, board, ctx) {
    this.root = root
    this.ctx = ctx
    this.frame = 0
    this.off = null
    this.people = ctx.other ? ctx.other(PEOPLE_BOARD) : null
    this.watchPeople()
    this.setDoc(board.doc)
  }

  watchPeople () { followPeople(this) }

  otherReset (board) { peopleReloaded(this, board) }

  setDoc (doc) {
    this.off?.()
    this.doc = doc
    const schedule = () => this.schedule()
    const maps = this.ctx.cfg.roots.plan.map((name) => doc.getMap(name)) // the plan's maps
    maps.forEach((m) => m.observeDeep(schedule))
    this.off = () => maps.forEach((m) => m.unobserveDeep(schedule))
    this.schedule()
  }

  schedule () {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render() })
  }

  setPrivateDoc () {}
  postAll () { return 0 }

  render () {
    const goals = sorted(this.doc.getMap('goals'))
    const actions = sorted(this.doc.getMap('actions'))
    const names = Object.fromEntries((this.people ? peopleList(this.people.doc) : []).map((p) => [p.id, p.name]))
    const team = sorted(this.doc.getMap('team')).map(([, m]) => names[m.person] || m.name).filter(Boolean)
    const progress = this.ctx.cfg.planProgress || {}
    const mark = (item) => progress[item.progress] ? h('span', { class: `progress-badge progress-${item.progress}` }, progress[item.progress]) : null
    const evaluatie = dutchDate(this.doc.getMap('info').get('evaluatie'))
    const statuses = this.ctx.cfg.planStatuses || {}
    const tags = this.ctx.cfg.tagShort || {}
    fill(this.root, h('div', { class: 'plan-read' },
      goals.length ? null : h('p', { class: 'plan-read-empty' }, 'Er staan nog geen doelen in het plan.'),
      goals.map(([id, goal]) => h('article', { class: 'plan-read-goal' },
        h('h3', {}, goal.text || 'Doel zonder naam',
          (goal.tags || []).filter((t) => typeof t === 'string').map((t) => h('span', { class: `tag tag-${t}` }, tags[t] || t)),
          mark(goal)),
        h('ul', { class: 'plan-read-actions' }, actions.filter(([, a]) => a.goal === id).map(([, a]) => {
          const from = dutchDate(a.vanaf)
          const to = dutchDate(a.tot)
          const when = from && to ? `${from} tot ${to}` : from ? `vanaf ${from}` : to ? `tot ${to}` : ''
          return h('li', {},
            h('span', { class: 'plan-read-what' }, a.wat || '…'), mark(a),
            h('span', { class: 'plan-read-meta' }, [names[a.person] || a.wie, when, statuses[a.status] || statuses[this.ctx.cfg.defaultPlanStatus]]
              .filter(Boolean).join(' · ')),
            a.nogDoen ? h('span', { class: 'plan-read-todo' }, `Nog doen: ${a.nogDoen}`) : null)
        })),
        goal.hulpNetwerk ? h('p', {}, h('strong', {}, 'Hulp van het netwerk: '), goal.hulpNetwerk) : null,
        goal.hulpProfessionals ? h('p', {}, h('strong', {}, 'Hulp van professionals: '), goal.hulpProfessionals) : null)),
      team.length ? h('p', { class: 'plan-read-team' }, h('strong', {}, 'Het actieteam: '), team.join(', ')) : null,
      evaluatie ? h('p', { class: 'plan-read-when' }, h('strong', {}, 'We kijken weer naar het plan op '), evaluatie) : null))
  }

  destroy () {
    this.off?.()
    this.peopleOff?.()
    if (this.frame) cancelAnimationFrame(this.frame)
  }
}
