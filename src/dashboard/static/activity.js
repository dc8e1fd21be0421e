// Recording a month's documents signed for one commune-level unit of the province shown.
import { $, state } from './state.js'
import { h, fill, technical } from './dom.js'
import { api, unitWithDistrict } from './api.js'
import { fmtInt, fmtMonth, parseMonth } from './format.js'
import { problemSentence, t } from './text.js'

/** The communes of the province on the date: grouped by district where it has districts, else listed directly. */
export function renderUnitSelect() {
  const select = $('act-unit')
  const previous = select.value
  const units = [...state.units.values()].filter((u) => u.code === state.province || isUnder(u))
  const communes = units.filter((u) => u.level === 'commune').sort((a, b) => a.name.localeCompare(b.name, 'vi'))
  const districts = units.filter((u) => u.level === 'district').sort((a, b) => a.code.localeCompare(b.code))
  const groups = districts.map((d) => h('optgroup', { label: d.name },
    communes.filter((c) => c.parentCode === d.code).map((c) => h('option', { value: c.code }, c.name))))
  const direct = communes.filter((c) => !districts.some((d) => d.code === c.parentCode)).map((c) => h('option', { value: c.code }, c.name))
  fill(select, groups, direct)
  if (previous) select.value = previous
}

/** Units looked up for verdicts may lie elsewhere; the select keeps to the province's own (loaded with it). */
const isUnder = (u) => u.inProvince === true

export async function saveActivity(event, reload) {
  event.preventDefault()
  const unitCode = $('act-unit').value
  const month = parseMonth($('act-month').value)
  const docsText = $('act-docs').value.trim()
  const docs = Number(docsText)
  if (!month) { state.activity = { error: 'monthInvalid' }; renderActivity(); $('act-month').focus(); return }
  if (!docsText || !Number.isInteger(docs) || docs < 0) { state.activity = { error: 'documentsInvalid' }; renderActivity(); $('act-docs').focus(); return }
  if (!state.token) { state.activity = { error: 'needToken' }; renderActivity(); $('token').focus(); return }
  const r = await api(`/v1/activity/${encodeURIComponent(unitCode)}/${month}`, { method: 'PUT', body: JSON.stringify({ documentsSigned: docs }), type: 'application/json', auth: true })
  state.activity = r.ok ? { saved: r.body } : { problem: r.body, status: r.status }
  renderActivity()
  if (r.ok) reload()
}

export function renderActivity() {
  const a = state.activity
  const box = $('activity-result')
  if (!a) { fill(box); return }
  if (a.error) { fill(box, h('div', { class: 'note bad' }, h('p', {}, t(a.error)))); return }
  if (a.saved) {
    fill(box, h('div', { class: 'note good' }, h('p', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓ '),
      t('activitySaved', { n: fmtInt(a.saved.documentsSigned), unit: unitWithDistrict(a.saved.unitCode), month: fmtMonth(a.saved.month) }))))
    return
  }
  const problems = a.problem?.problems ?? []
  const sentences = problems.length ? problems.map((p) => problemSentence(p.code) ?? p.message) : [problemSentence(a.problem?.code) ?? `HTTP ${a.status}`]
  fill(box, h('div', { class: 'note bad' }, h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗ '), t('verdictError', { reason: '' }).replace(/[:\s]+$/, '')),
    h('ul', { class: 'reasons' }, sentences.map((s) => h('li', {}, s))), technical(a.problem)))
}
