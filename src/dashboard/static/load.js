// Loading what the page shows for a province and a day: the provinces in force that day, the province's
// units, coverage, timeline and savings. A province that is not in force on the day is said to have ended,
// with its successors (from the 404 of GET /v1/units/{code}); the default one is followed to its successor.
import { $, state } from './state.js'
import { api, mustGet } from './api.js'
import { addMonths, fmtDay, isDay } from './format.js'
import { problemSentence, t } from './text.js'
import { h, fill } from './dom.js'
import { renderBanners, renderEnded, renderKpis } from './kpis.js'
import { renderDistricts, renderTypes } from './breakdown.js'
import { renderTimeline } from './timeline.js'
import { renderUncovered } from './uncovered.js'
import { renderExpiring } from './expiring.js'
import { renderSavings } from './savings.js'
import { renderUnitSelect } from './activity.js'

let loadSeq = 0
const provincesByDay = new Map()

export function readUrl() {
  const q = new URLSearchParams(location.search)
  const date = q.get('date')
  if (date && isDay(date)) state.date = date
  const province = q.get('province')
  if (province && /^\d{1,10}$/.test(province)) { state.province = province; state.provinceChosen = true }
}

function writeUrl() {
  const q = new URLSearchParams(location.search)
  q.set('date', state.date)
  if (!state.provinceChosen) q.delete('province'); else q.set('province', state.province)
  q.delete('token') // never in the address
  history.replaceState(null, '', `${location.pathname}?${q}`)
}

/** The provinces in force on the day (asked once per day). */
async function loadProvinces(day) {
  if (!provincesByDay.has(day)) {
    const r = await api(`/v1/units?level=province&asOf=${day}`)
    if (!r.ok) return false
    provincesByDay.set(day, r.body.items.map((u) => ({ code: u.code, name: u.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi')))
  }
  state.provinces = provincesByDay.get(day)
  state.provincesDay = day
  renderProvinces()
  return true
}

export function renderProvinces() {
  const list = [...state.provinces]
  if (!list.some((p) => p.code === state.province)) list.push({ code: state.province, name: state.ended?.name ?? state.province })
  fill($('province'), list.map((p) => h('option', { value: p.code, selected: p.code === state.province }, p.name)))
}

/** What became of a province with no version on the day: its name, last day and successors. */
async function endedProvince(code, day) {
  const [r, history] = await Promise.all([
    api(`/v1/units/${encodeURIComponent(code)}?asOf=${day}`),
    api(`/v1/units/${encodeURIComponent(code)}/history`),
  ])
  if (r.ok) return null
  const versions = history.ok ? history.body : []
  const last = [...versions].reverse().find((v) => v.validTo && v.validTo < day) ?? versions[0]
  return { code, name: last?.name ?? code, validTo: last?.validTo && last.validTo < day ? last.validTo : null, successors: r.body?.successors ?? [] }
}

async function loadUnits(province, day) {
  const r = await api(`/v1/units?parent=${encodeURIComponent(province)}&asOf=${day}`)
  if (!r.ok || province !== state.province) return
  const own = await api(`/v1/units/${encodeURIComponent(province)}?asOf=${day}`)
  state.units = new Map(r.body.items.map((u) => [u.code, { ...u, inProvince: true }]))
  if (own.ok) state.units.set(province, own.body)
  renderUnitSelect()
  if (state.data) renderDashboard()
}

export async function loadDashboard() {
  const seq = ++loadSeq
  const { date } = state
  document.documentElement.dataset.state = 'loading'
  $('status').textContent = t('loading')
  if (state.provincesDay !== date) await loadProvinces(date)
  if (seq !== loadSeq) return
  state.ended = null
  if (state.provinces.length && !state.provinces.some((p) => p.code === state.province)) {
    const ended = await endedProvince(state.province, date)
    if (seq !== loadSeq) return
    const next = ended?.successors.filter((s) => state.provinces.some((p) => p.code === s.code)) ?? []
    if (ended && !state.provinceChosen && next.length === 1) {
      state.followed = { from: ended, to: next[0], validTo: ended.validTo ?? date }
      state.province = next[0].code
    } else if (ended) {
      state.ended = ended
      state.data = null
      return showEnded()
    }
  } else if (state.followed && state.province !== state.followed.to.code) state.followed = null
  writeUrl()
  updateLinks()
  renderProvinces()
  loadUnits(state.province, date)
  const province = state.province
  const p = encodeURIComponent(province)
  const month = date.slice(0, 7)
  try {
    const [coverage, timeline, savings] = await Promise.all([
      mustGet(`/v1/coverage?asOf=${date}&parent=${p}`),
      // A province formed within the last twelve months has no timeline before it: the card says so.
      api(`/v1/coverage/timeline?from=${addMonths(month, -11)}&to=${month}&parent=${p}`).then((r) => (r.ok ? r.body : null)),
      mustGet(`/v1/savings?from=${date.slice(0, 4)}-01&to=${month}&parent=${p}`),
    ])
    if (seq !== loadSeq) return
    state.data = { coverage, timeline, savings, date, province }
    $('status').textContent = ''
    renderDashboard()
    document.documentElement.dataset.state = 'ready'
    if (!performance.getEntriesByName('kyso:ready').length) performance.mark('kyso:ready')
  } catch (err) {
    if (seq !== loadSeq) return
    const sentence = err.problem ? problemSentence(err.problem.code) : null
    $('status').textContent = t('loadError', { detail: sentence ?? err.message })
    document.documentElement.dataset.state = 'error'
  }
}

function showEnded() {
  writeUrl()
  updateLinks()
  renderProvinces()
  $('status').textContent = ''
  renderDashboard()
  document.documentElement.dataset.state = 'ready'
}

/** Shows another province (a successor link, or the select). */
export function pickProvince(code) {
  state.province = code
  state.provinceChosen = true
  state.followed = null
  state.units = new Map()
  loadDashboard()
}

function updateLinks() {
  const year = Number(state.date.slice(0, 4))
  const ok = year >= 2000 && year <= 2100 && !state.ended
  for (const [id, format] of [['link-report-html', 'html'], ['link-report-csv', 'csv']]) {
    const a = $(id)
    a.hidden = !ok
    a.href = `/v1/reports/ministry?year=${year}&parent=${encodeURIComponent(state.province)}&format=${format}`
  }
}

const provinceName = () => state.data?.coverage?.parent?.name ?? state.provinces.find((p) => p.code === state.province)?.name ?? state.province

export function renderDashboard() {
  renderEnded(pickProvince)
  const d = state.data
  $('figures').hidden = !d
  $('date').value = fmtDay(state.date)
  if (!d) {
    $('heading').textContent = t('heading', { province: state.ended?.name ?? provinceName(), date: fmtDay(state.date) })
    renderBanners()
    return
  }
  $('heading').textContent = t('heading', { province: provinceName(), date: fmtDay(d.date) })
  renderKpis(d)
  renderDistricts(d.coverage)
  renderTypes(d.coverage)
  renderTimeline(d.timeline)
  renderUncovered(d.coverage)
  renderExpiring(d.coverage)
  renderSavings(d.savings)
  renderBanners()
}
