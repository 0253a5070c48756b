// "Wie ben jij?": pick your name from the meeting's list or type it. On a shared tablet the
// same screen is the hand-over: it covers the board until the next person has chosen.
import { h, fill } from './dom.js'
import { meetingPeople, registerPerson, describe } from './people.js'

export function chooseSomeone (cfg, verloop, devicePeople, { handOver }) {
  return new Promise((resolve) => {
    const list = h('ul', { class: 'people-list' })
    const error = h('p', { class: 'error', role: 'alert' })
    const name = h('input', { id: 'nb-name', name: 'name', required: true, maxlength: cfg.limits.name, autocomplete: 'off' })
    const relation = h('input', { id: 'nb-relation', name: 'relation', maxlength: cfg.limits.relation, list: 'nb-relations', autocomplete: 'off' })
    const relations = h('datalist', { id: 'nb-relations' }, cfg.relations.map((r) => h('option', { value: r })))
    const submit = h('button', { class: 'primary', type: 'submit' }, 'Dat ben ik')

    const form = h('form', { class: 'new-person' },
      h('h3', {}, 'Staat je naam er niet bij?'),
      h('label', { for: 'nb-name' }, 'Je naam'), name,
      h('label', { for: 'nb-relation' }, 'Wie ben je voor het kind? (mag je leeg laten)'), relation, relations,
      error, submit)
    const dialog = h('dialog', { class: 'dialog who', 'aria-labelledby': 'nb-who-title' },
      h('h2', { id: 'nb-who-title' }, handOver ? 'Geef het apparaat door' : 'Wie ben jij?'),
      h('p', {}, handOver
        ? 'Wie schrijft er nu? Tik op je naam. Briefjes die iemand nog voor zichzelf houdt, ziet alleen die persoon zelf.'
        : 'Tik op je naam. Dan weten de anderen wie wat heeft geschreven.'),
      list, form)

    const finish = (person) => {
      verloop.doc.getMap('state').unobserveDeep(renderList)
      dialog.close()
      dialog.remove()
      resolve(person)
    }
    function renderList () {
      const byId = new Map()
      for (const p of devicePeople.people) byId.set(p.id, p)
      for (const p of meetingPeople(verloop.doc)) if (p.role === cfg.role) byId.set(p.id, p)
      const people = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'nl'))
      fill(list, people.map((p) => h('li', {},
        h('button', { class: 'person-choice', onclick: () => finish(p) }, describe(p)))))
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault()
      if (!name.value.trim()) return name.focus()
      submit.disabled = true
      try {
        finish(await registerPerson(cfg, name.value, relation.value))
      } catch (e) {
        error.textContent = navigator.onLine === false
          ? 'Er is nu geen verbinding. Probeer het zo nog eens.'
          : e.message
        submit.disabled = false
      }
    })
    dialog.addEventListener('cancel', (event) => event.preventDefault()) // someone must choose
    verloop.doc.getMap('state').observeDeep(renderList)
    renderList()
    document.body.append(dialog)
    dialog.showModal()
    ;(list.querySelector('button') || name).focus()
  })
}
