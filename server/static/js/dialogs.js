// Modal dialogs (native <dialog>: focus is kept inside, Escape cancels).
import { h } from './dom.js'

function openDialog (content, onClose) {
  const dialog = h('dialog', { class: 'dialog' }, content)
  document.body.append(dialog)
  dialog.addEventListener('close', () => { onClose(dialog.returnValue); dialog.remove() })
  dialog.showModal()
  return dialog
}

// Edit or create a note. Resolves with {action, text, zone, tags, help, private}.
// On a board of goals (board.goals) the writer also chooses tags and the help needed.
export function editNote ({ board, note = {}, zone, isNew, canDelete, isPrivate, allowPrivate,
  privateDefault, tags, helpKinds, canMove, canPost, onlyPrivate, canGoal, maxlength }) {
  return new Promise((resolve) => {
    const text = h('textarea', { id: 'nb-note-text', name: 'text', rows: 4, maxlength, required: true })
    text.value = note.text || ''
    const zoneSelect = h('select', { id: 'nb-note-zone', name: 'zone' },
      board.zones.map((z) => h('option', { value: z.id, selected: z.id === zone }, z.title)))
    const tagBoxes = board.goals
      ? Object.entries(tags).map(([id, label]) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'tag', value: id, checked: (note.tags || []).includes(id) }), label))
      : []
    const helpSelect = board.goals
      ? h('select', { id: 'nb-note-help', name: 'help' },
        h('option', { value: '' }, 'Geen hulp nodig'),
        Object.entries(helpKinds).map(([id, label]) => h('option', { value: id, selected: note.help === id }, label)))
      : null
    const privateBox = isNew && allowPrivate
      ? h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'private', checked: privateDefault }),
        'Eerst alleen voor mij. Ik plak het later op het bord.')
      : null
    // Only "Klaar" and "Op het bord plakken" need text (checked below); "Annuleren" and the
    // others always work, also on an empty note (a tablet has no Escape key).
    const button = (value, label, cls = 'secondary') => h('button', {
      value, class: cls, formnovalidate: value !== 'save' && value !== 'post'
    }, label)
    const form = h('form', { method: 'dialog', class: 'note-form' },
      h('h2', {}, isNew ? 'Nieuw briefje' : 'Briefje'),
      h('label', { for: 'nb-note-text' }, 'Wat schrijf je op?'), text,
      h('label', { for: 'nb-note-zone' }, 'Waar hoort het bij?'), zoneSelect,
      tagBoxes.length ? h('fieldset', {}, h('legend', {}, 'Past een van deze bij het doel? (mag je leeg laten)'), tagBoxes) : null,
      helpSelect ? [h('label', { for: 'nb-note-help' }, 'Welke hulp is nodig van het netwerk?'), helpSelect] : null,
      privateBox,
      isPrivate || onlyPrivate ? h('p', { class: 'hint' }, 'Dit briefje zie alleen jij, tot je het op het bord plakt.') : null,
      h('div', { class: 'actions' },
        button('save', 'Klaar', 'primary'),
        canPost ? button('post', 'Op het bord plakken') : null,
        canGoal ? button('goal', 'Maak er een doel van in het plan') : null,
        canMove ? button('up', 'Hoger') : null,
        canMove ? button('down', 'Lager') : null,
        canDelete ? button('delete', 'Weggooien', 'danger') : null,
        button('cancel', 'Annuleren')))
    form.addEventListener('submit', (event) => {
      const action = event.submitter?.value || 'save'
      if ((action === 'save' || action === 'post') && !text.value.trim()) {
        event.preventDefault()
        text.focus()
        return
      }
      form.closest('dialog').returnValue = action
    })
    openDialog(form, (action) => {
      resolve({
        action: action || 'cancel',
        text: text.value.trim(),
        zone: zoneSelect.value,
        tags: [...form.querySelectorAll('input[name=tag]:checked')].map((b) => b.value),
        help: helpSelect?.value || undefined,
        private: !!privateBox?.querySelector('input').checked
      })
    })
    text.focus()
  })
}

// Ask for one line of text (a group's theme). Resolves with the text, or null.
export function askText ({ title, label, value = '', maxlength = 80 }) {
  return new Promise((resolve) => {
    const input = h('input', { id: 'nb-ask', value, maxlength })
    input.value = value
    const form = h('form', { method: 'dialog' },
      h('h2', {}, title), h('label', { for: 'nb-ask' }, label), input,
      h('div', { class: 'actions' },
        h('button', { value: 'ok', class: 'primary' }, 'Klaar'),
        h('button', { value: 'cancel', class: 'secondary' }, 'Annuleren')))
    form.addEventListener('submit', (e) => { form.closest('dialog').returnValue = e.submitter?.value || 'ok' })
    openDialog(form, (action) => resolve(action === 'ok' ? input.value.trim() : null))
    input.focus()
  })
}

export function confirmDialog ({ title, text, yes, no = 'Annuleren' }) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog' }, h('h2', {}, title), h('p', {}, text),
      h('div', { class: 'actions' },
        h('button', { value: 'yes', class: 'primary' }, yes),
        h('button', { value: 'no', class: 'secondary' }, no)))
    form.addEventListener('submit', (e) => { form.closest('dialog').returnValue = e.submitter?.value || 'no' })
    openDialog(form, (action) => resolve(action === 'yes'))
  })
}
