// Who is using this device. A tablet passed around holds several people; one is current.
// Kept in localStorage per meeting and role; the meeting's list of names lives in `verloop`.
import { apiFetch } from './config.js'

const key = (cfg) => `nb-people:${cfg.meetingId}:${cfg.role}`

export function loadDevicePeople (cfg) {
  try {
    const saved = JSON.parse(localStorage.getItem(key(cfg)) || '{}')
    return { people: saved.people || [], currentId: saved.currentId || null }
  } catch {
    return { people: [], currentId: null }
  }
}

export function saveDevicePeople (cfg, state) {
  localStorage.setItem(key(cfg), JSON.stringify(state))
}

export function currentPerson (state) {
  return state.people.find((p) => p.id === state.currentId) || null
}

// The meeting's participants (from the verloop board), as [{id, name, relation, role}].
export function meetingPeople (verloopDoc) {
  const participants = verloopDoc.getMap('state').get('participants')
  if (!participants || typeof participants.toJSON !== 'function') return []
  return Object.entries(participants.toJSON())
    .map(([id, p]) => ({ id, name: p.name, relation: p.relation || '', role: p.role }))
    .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
}

export async function registerPerson (cfg, name, relation) {
  const response = await apiFetch(cfg, `/api/meetings/${cfg.meetingId}/participants`,
    { name, relation })
  const body = await response.json()
  if (!response.ok) throw new Error(body.error || 'Dat lukte niet')
  return { id: body.id, name: body.name, relation: body.relation, role: body.role }
}

export function describe (person) {
  return person.relation ? `${person.name} (${person.relation})` : person.name
}
