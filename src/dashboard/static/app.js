// The Kyso dashboard. Everything it shows comes from the public API (fetch); everything it writes goes
// through the API with the registrar token the user typed in, kept in sessionStorage and never in the URL.
import { LOCALES, STRINGS, PROBLEMS, WARNINGS } from './i18n.js'
import { lineChart } from './chart.js'

const TOKEN_KEY = 'kyso.registrarToken'
const LANG_KEY = 'kyso.lang'
const DEFAULT_PROVINCE = '60'
const DAY_MS = 86_400_000
const VN_OFFSET_MS = 7 * 3_600_000

const $ = (id) => document.getElementById(id)

const state = {
  lang: readLang(),
  province: DEFAULT_PROVINCE,
  date: todayVn(),
  provinces: [],
  units: new Map(), // code → unit, for the province shown
  data: null, // { coverage, timeline, savings, date, province }
  demonstration: new Map(), // `${year}:${province}` → boolean
  verdict: null,
  activity: null,
  token: sessionGet(TOKEN_KEY),
  tokenMessage: null,
}
let loadSeq = 0

// ---------------------------------------------------------------------------------------------- text

function readLang() {
  try { return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi' } catch { return 'vi' }
}
function sessionGet(key) {
  try { return sessionStorage.getItem(key) } catch { return null }
}
function sessionSet(key, value) {
  try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value) } catch { /* storage off: kept in memory only */ }
}

function t(key, params = {}) {
  const template = STRINGS[state.lang][key] ?? STRINGS.vi[key] ?? key
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`))
}

/** Like t, but the values may be DOM nodes (e.g. a unit name in bold). */
function tNodes(key, params = {}) {
  const template = STRINGS[state.lang][key] ?? STRINGS.vi[key] ?? key
  const frag = document.createDocumentFragment()
  template.split(/(\{\w+\})/).forEach((part) => {
    const m = /^\{(\w+)\}$/.exec(part)
    if (!m) { if (part) frag.append(part); return }
    const v = params[m[1]]
    frag.append(v instanceof Node ? v : String(v ?? part))
  })
  return frag
}

const problemSentence = (code) => PROBLEMS[state.lang][code] ?? PROBLEMS.vi[code] ?? null
const warningSentence = (code) => WARNINGS[state.lang][code] ?? WARNINGS.vi[code] ?? null

// ---------------------------------------------------------------------------------------- formatting

const locale = () => LOCALES[state.lang]
const fmtInt = (n) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(n)
const fmtPct = (p) => `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(p)}%`
const fmtDay = (day) => { const [y, m, d] = day.split('-'); return `${d}/${m}/${y}` }
const fmtMonth = (month) => { const [y, m] = month.split('-'); return `${m}/${y}` }
/** The day (Vietnam time) of a timestamp. */
const dayOf = (iso) => new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString().slice(0, 10)
const fmtTimestampDay = (iso) => fmtDay(dayOf(iso))
const fmtBillion = (vnd) => new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(vnd / 1e9)

function todayVn() {
  return new Date(Date.now() + VN_OFFSET_MS).toISOString().slice(0, 10)
}
function isDay(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}
/** '31/12/2017' (also 31-12-2017, 31.12.2017, 2017-12-31) → '2017-12-31', or null. */
function parseDay(text) {
  const s = text.trim()
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s)
  const iso = m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : (/^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null)
  return iso && isDay(iso) ? iso : null
}
/** '12/2017' (also 12-2017, 2017-12) → '2017-12', or null. */
function parseMonth(text) {
  const s = text.trim()
  let m = /^(\d{1,2})[/.-](\d{4})$/.exec(s)
  if (m) { const mm = m[1].padStart(2, '0'); return /^(0[1-9]|1[0-2])$/.test(mm) ? `${m[2]}-${mm}` : null }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(s)
  return m ? s : null
}
function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const i = y * 12 + (m - 1) + n
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`
}
function monthLabel(month) {
  const m = Number(month.slice(5, 7))
  if (state.lang === 'vi') return t('monthShort', { m })
  const name = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, m - 1, 1)))
  return t('monthShort', { name })
}

// ------------------------------------------------------------------------------------------------ DOM

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'class') el.className = v
    else if (k === 'text') el.textContent = v
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (k === 'style') Object.assign(el.style, v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c))
  return el
}
const fill = (el, ...children) => { el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)); return el }

// ------------------------------------------------------------------------------------------------ API

/** One request to the API. Never throws: network failures answer status 0 with code `network`. */
async function api(path, { method = 'GET', body, type, auth = false } = {}) {
  const headers = { accept: 'application/json' }
  if (auth && state.token) headers.authorization = `Bearer ${state.token}`
  if (type) headers['content-type'] = type
  let res
  try {
    res = await fetch(path, { method, headers, body, credentials: 'omit' })
  } catch (err) {
    return { ok: false, status: 0, body: { code: 'network', detail: String(err && err.message ? err.message : err) } }
  }
  const ct = res.headers.get('content-type') ?? ''
  let data = null
  if (ct.includes('json')) data = await res.json().catch(() => null)
  else await res.text().catch(() => '')
  if (!res.ok && (!data || typeof data.code !== 'string')) data = { code: res.status >= 500 ? 'internal' : 'bad_request', detail: `HTTP ${res.status}` }
  return { ok: res.ok, status: res.status, body: data }
}

async function mustGet(path) {
  const r = await api(path)
  if (!r.ok) throw Object.assign(new Error(r.body?.detail ?? `HTTP ${r.status}`), { problem: r.body })
  return r.body
}

// ------------------------------------------------------------------------------------- static texts

function applyStaticTexts() {
  document.documentElement.lang = state.lang
  document.title = t('pageTitle')
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria))
  const lang = $('lang')
  lang.textContent = t('langButton')
  lang.setAttribute('lang', state.lang === 'vi' ? 'en' : 'vi')
  lang.setAttribute('aria-label', t('langButtonLabel'))
}

// ----------------------------------------------------------------------------------------- loading

function readUrl() {
  const q = new URLSearchParams(location.search)
  const date = q.get('date')
  if (date && isDay(date)) state.date = date
  const province = q.get('province')
  if (province && /^\d{1,10}$/.test(province)) state.province = province
}

function writeUrl() {
  const q = new URLSearchParams(location.search)
  q.set('date', state.date)
  if (state.province === DEFAULT_PROVINCE) q.delete('province'); else q.set('province', state.province)
  q.delete('token') // never in the address
  history.replaceState(null, '', `${location.pathname}?${q}`)
}

async function loadProvinces() {
  const r = await api('/v1/units?level=province')
  if (!r.ok) return
  state.provinces = r.body.items.map((u) => ({ code: u.code, name: u.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'))
  renderProvinces()
}

async function loadUnits(province) {
  const r = await api(`/v1/units?parent=${encodeURIComponent(province)}`)
  if (!r.ok || province !== state.province) return
  state.units = new Map(r.body.items.map((u) => [u.code, u]))
  renderUnitSelect()
  if (state.data) renderDashboard()
}

async function loadDashboard() {
  const seq = ++loadSeq
  const { date, province } = state
  const month = date.slice(0, 7)
  const year = date.slice(0, 4)
  document.documentElement.dataset.state = 'loading'
  $('status').textContent = t('loading')
  writeUrl()
  updateLinks()
  const p = encodeURIComponent(province)
  try {
    const [coverage, timeline, savings] = await Promise.all([
      mustGet(`/v1/coverage?asOf=${date}&parent=${p}`),
      mustGet(`/v1/coverage/timeline?from=${addMonths(month, -11)}&to=${month}&parent=${p}`),
      mustGet(`/v1/savings?from=${year}-01&to=${month}&parent=${p}`),
    ])
    if (seq !== loadSeq) return
    state.data = { coverage, timeline, savings, date, province }
    $('status').textContent = ''
    renderDashboard()
    document.documentElement.dataset.state = 'ready'
    if (!performance.getEntriesByName('kyso:ready').length) performance.mark('kyso:ready')
    loadDemonstrationFlag(Number(year), province)
  } catch (err) {
    if (seq !== loadSeq) return
    const sentence = err.problem ? problemSentence(err.problem.code) : null
    $('status').textContent = t('loadError', { detail: sentence ?? err.message })
    document.documentElement.dataset.state = 'error'
  }
}

/** The ministry report says whether the database holds the demonstration data; asked once per year and province. */
async function loadDemonstrationFlag(year, province) {
  if (year < 2000 || year > 2100) return renderDemoBanner()
  const key = `${year}:${province}`
  if (!state.demonstration.has(key)) {
    const r = await api(`/v1/reports/ministry?year=${year}&parent=${encodeURIComponent(province)}`)
    state.demonstration.set(key, Boolean(r.ok && r.body.demonstration))
  }
  renderDemoBanner()
}

function updateLinks() {
  const year = Number(state.date.slice(0, 4))
  const ok = year >= 2000 && year <= 2100
  for (const [id, format] of [['link-report-html', 'html'], ['link-report-csv', 'csv']]) {
    const a = $(id)
    a.hidden = !ok
    a.href = `/v1/reports/ministry?year=${year}&parent=${encodeURIComponent(state.province)}&format=${format}`
  }
}

// ------------------------------------------------------------------------------------- rendering

function renderProvinces() {
  const select = $('province')
  const list = state.provinces.length ? state.provinces : [{ code: state.province, name: state.province }]
  if (!list.some((p) => p.code === state.province)) list.push({ code: state.province, name: state.province })
  fill(select, list.map((p) => h('option', { value: p.code, selected: p.code === state.province }, p.name)))
}

function provinceName() {
  return state.data?.coverage?.parent?.name ?? state.provinces.find((p) => p.code === state.province)?.name ?? state.province
}

function renderDemoBanner() {
  const key = `${state.date.slice(0, 4)}:${state.province}`
  $('demo-banner').hidden = !state.demonstration.get(key)
}

function renderDashboard() {
  const d = state.data
  if (!d) return
  $('date').value = fmtDay(d.date)
  $('heading').textContent = t('heading', { province: provinceName(), date: fmtDay(d.date) })
  renderKpis(d)
  renderDistricts(d.coverage)
  renderTypes(d.coverage)
  renderTimeline(d.timeline)
  renderUncovered(d.coverage)
  renderExpiring(d.coverage)
  renderSavings(d.savings)
  renderDemoBanner()
}

const level = (percent) => (percent >= 100 ? 'full' : percent >= 50 ? 'mid' : 'low')

function meter(percent, label) {
  return h('div', { class: 'track', 'aria-hidden': label ? null : 'true', role: label ? 'img' : null, 'aria-label': label },
    h('div', { class: `fill ${level(percent)}`, style: { width: `${Math.max(0, Math.min(100, percent))}%` } }))
}

function renderKpis({ coverage, savings }) {
  const expiring = coverage.expiringWithin90Days.length
  fill($('kpis'),
    h('article', { class: 'kpi kpi-main' },
      h('h2', { class: 'kpi-label' }, t('kpiCoverage')),
      h('p', { class: 'kpi-value', id: 'kpi-percent' }, fmtPct(coverage.percent)),
      meter(coverage.percent),
      h('p', { class: 'kpi-sub', id: 'kpi-count' }, tNodes('kpiCoverageSub', {
        covered: h('strong', {}, fmtInt(coverage.covered)), total: h('strong', {}, fmtInt(coverage.total)),
      }))),
    h('article', { class: 'kpi' },
      h('h2', { class: 'kpi-label' }, t('kpiDocs')),
      h('p', { class: 'kpi-value', id: 'kpi-docs' }, fmtInt(savings.documentsSigned)),
      h('p', { class: 'kpi-sub' }, t('kpiDocsSub', { from: fmtMonth(savings.from), to: fmtMonth(savings.to) }))),
    h('article', { class: 'kpi' },
      h('h2', { class: 'kpi-label' }, t('kpiSavings')),
      h('p', { class: 'kpi-value', id: 'kpi-savings' }, fmtBillion(savings.estimatedSavingsVnd), h('span', { class: 'kpi-unit' }, t('billionUnit'))),
      h('p', { class: 'kpi-sub' }, t('dong', { n: fmtInt(savings.estimatedSavingsVnd) }), ' · ', t('kpiSavingsSub', { cost: fmtInt(savings.costPerDocumentVnd) }))),
    h('article', { class: `kpi ${expiring ? 'kpi-warn' : ''}` },
      h('h2', { class: 'kpi-label' }, t('kpiExpiring')),
      h('p', { class: 'kpi-value', id: 'kpi-expiring' }, fmtInt(expiring)),
      h('p', { class: 'kpi-sub' }, t('kpiExpiringSub'))),
  )
}

function barRow(name, covered, total, percent) {
  return h('li', { class: 'bar' },
    h('div', { class: 'bar-head' },
      h('span', { class: 'bar-name' }, name),
      h('span', { class: 'bar-value' }, `${fmtInt(covered)}/${fmtInt(total)}`, h('span', { class: 'bar-pct' }, fmtPct(percent)))),
    meter(percent),
    h('span', { class: 'sr-only' }, t('districtRow', { covered: fmtInt(covered), total: fmtInt(total), percent: fmtPct(percent) })))
}

function renderDistricts(coverage) {
  fill($('districts'), coverage.byDistrict.map((d) => barRow(d.name, d.covered, d.total, d.percent)))
}

function renderTypes(coverage) {
  const order = ['xa', 'phuong', 'thi_tran', 'dac_khu']
  const types = Object.keys(coverage.byType).sort((a, b) => (order.indexOf(a) + 99) % 99 - (order.indexOf(b) + 99) % 99)
  fill($('types'), types.filter((k) => coverage.byType[k].total > 0 || k !== 'dac_khu').map((k) => {
    const { total, covered } = coverage.byType[k]
    const percent = total ? Math.floor((10000 * covered) / total) / 100 : 0
    return barRow(STRINGS[state.lang][`type_${k}`] ? t(`type_${k}`) : k, covered, total, percent)
  }))
}

function renderTimeline(timeline) {
  const pts = timeline.points
  const last = pts[pts.length - 1]
  const reachedText = timeline.reached100At ? t('reached', { month: fmtMonth(timeline.reached100At) }) : t('notReached')
  $('timeline-sub').textContent = t('timelineRange', { from: fmtMonth(timeline.from), to: fmtMonth(timeline.to) })
  const chart = lineChart({
    points: pts.map((p, i) => ({
      label: monthLabel(p.month),
      sublabel: i === 0 || p.month.endsWith('-01') ? p.month.slice(0, 4) : null,
      value: p.percent,
      tip: `${fmtMonth(p.month)}: ${fmtInt(p.covered)}/${fmtInt(p.total)} (${fmtPct(p.percent)})`,
    })),
    mark: timeline.reached100At ? pts.findIndex((p) => p.month === timeline.reached100At) : -1,
    markLabel: timeline.reached100At ? `${t('reachedMark')} · ${fmtMonth(timeline.reached100At)}` : '',
    label: last ? t('chartLabel', { from: fmtMonth(timeline.from), to: fmtMonth(timeline.to), covered: fmtInt(last.covered), total: fmtInt(last.total), percent: fmtPct(last.percent), reached: reachedText }) : '',
    yLabel: (v) => fmtPct(v),
  })
  fill($('timeline'),
    chart,
    h('p', { class: `reached ${timeline.reached100At ? 'yes' : ''}`, id: 'reached' }, reachedText),
    h('details', { class: 'chart-table' },
      h('summary', {}, t('chartTable')),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colMonth')), h('th', { scope: 'col', class: 'num' }, t('colCovered')), h('th', { scope: 'col', class: 'num' }, t('colPercent')))),
        h('tbody', {}, pts.map((p) => h('tr', {}, h('th', { scope: 'row' }, fmtMonth(p.month)), h('td', { class: 'num' }, `${fmtInt(p.covered)}/${fmtInt(p.total)}`), h('td', { class: 'num' }, fmtPct(p.percent)))))))
  )
}

function unitName(code) {
  return state.units.get(code)?.name ?? code
}

function renderUncovered(coverage) {
  const list = coverage.uncovered
  $('h-uncovered').textContent = t('secUncovered', { n: fmtInt(list.length) })
  const box = $('uncovered')
  if (!list.length) {
    fill(box, h('p', { class: `empty ${coverage.total ? 'good' : ''}` }, coverage.total ? t('allCovered', { total: fmtInt(coverage.total) }) : t('noUnits')))
    return
  }
  const groups = new Map()
  for (const u of list) {
    const key = u.parentCode ?? ''
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(u)
  }
  const districtOrder = coverage.byDistrict.map((d) => d.code)
  const keys = [...groups.keys()].sort((a, b) => (districtOrder.indexOf(a) >>> 0) - (districtOrder.indexOf(b) >>> 0))
  fill(box, h('div', { class: 'uncovered-groups' }, keys.map((key) => {
    const units = groups.get(key)
    const name = coverage.byDistrict.find((d) => d.code === key)?.name ?? unitName(key)
    return h('div', { class: 'group' },
      h('h3', {}, name, h('span', { class: 'count' }, ` (${fmtInt(units.length)})`)),
      h('ul', { class: 'names' }, units.map((u) => h('li', {}, u.name))))
  })))
}

function renderExpiring(coverage) {
  const list = coverage.expiringWithin90Days
  $('h-expiring').textContent = t('secExpiring', { n: fmtInt(list.length) })
  const box = $('expiring')
  if (!list.length) {
    fill(box, h('p', { class: 'empty' }, t('noneExpiring')))
    return
  }
  const end = Date.parse(`${coverage.asOf}T23:59:59.999+07:00`)
  fill(box, h('div', { class: 'table-wrap' }, h('table', { class: 'expiring' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('colUnit')), h('th', { scope: 'col' }, t('colDistrict')),
      h('th', { scope: 'col' }, t('colExpires')), h('th', { scope: 'col', class: 'num' }, t('colDaysLeft')))),
    h('tbody', {}, list.map((e) => {
      const unit = state.units.get(e.unitCode)
      const left = Math.max(0, Math.ceil((Date.parse(e.notAfter) - end) / DAY_MS))
      return h('tr', { 'data-certificate': e.certificateId },
        h('th', { scope: 'row' }, unit?.name ?? e.unitCode),
        h('td', {}, unit?.parentCode ? unitName(unit.parentCode) : ''),
        h('td', {}, fmtTimestampDay(e.notAfter)),
        h('td', { class: `num ${left <= 30 ? 'soon' : ''}` }, t('daysLeft', { n: fmtInt(left) })))
    })))))
}

function renderSavings(s) {
  const a = s.assumptions
  const params = a.parameters
  const figure = (label, value, sub, id) => h('div', { class: 'figure' }, h('p', { class: 'figure-label' }, label), h('p', { class: 'figure-value', id }, value), sub ? h('p', { class: 'figure-sub' }, sub) : null)
  const left = h('div', {},
    h('p', { class: 'sub' }, t('kpiDocsSub', { from: fmtMonth(s.from), to: fmtMonth(s.to) })),
    h('div', { class: 'figures' },
      figure(t('docsSigned'), fmtInt(s.documentsSigned), null, 'savings-docs'),
      figure(t('costPerDoc'), t('dong', { n: fmtInt(s.costPerDocumentVnd) }), null),
      figure(t('savingsTotal'), t('dong', { n: fmtInt(s.estimatedSavingsVnd) }), t('billion', { n: fmtBillion(s.estimatedSavingsVnd) }), 'savings-total')),
    h('p', { class: 'formula' }, a.costPerDocumentFrom === 'request' ? t('formulaRequest') : t('formulaComponents')),
    h('h3', {}, t('assumptions')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'assumptions' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colParam')), h('th', { scope: 'col', class: 'num' }, t('colValue')), h('th', { scope: 'col' }, t('colSource')))),
      h('tbody', {}, params.map((p) => h('tr', { class: p.name === 'costPerDocumentVnd' ? 'total' : null },
        h('th', { scope: 'row' }, STRINGS[state.lang][`param_${p.name}`] ? t(`param_${p.name}`) : p.name),
        h('td', { class: 'num' }, t('dong', { n: fmtInt(p.valueVnd) })),
        h('td', {}, t(`source_${p.source}`), p.overridden ? ` ${t('overridden')}` : '')))))),
    h('details', { class: 'notes' },
      h('summary', {}, t('notes')),
      h('dl', { lang: 'en' },
        params.flatMap((p) => [h('dt', {}, p.name), h('dd', {}, p.note)]),
        h('dt', {}, a.reference.name), h('dd', {}, a.reference.note),
        h('dt', {}, 'formula'), h('dd', {}, h('code', {}, a.formula)))),
  )
  const right = h('div', {},
    h('h3', {}, t('savingsByDistrict')),
    s.byDistrict.length
      ? h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('colDistrictName')), h('th', { scope: 'col', class: 'num' }, t('colDocs')), h('th', { scope: 'col', class: 'num' }, t('colSavings')))),
        h('tbody', {}, s.byDistrict.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.name), h('td', { class: 'num' }, fmtInt(d.documentsSigned)), h('td', { class: 'num' }, fmtInt(d.estimatedSavingsVnd)))))))
      : h('p', { class: 'empty' }, t('noActivity')))
  fill($('savings'), h('div', { class: 'savings-grid' }, left, right))
}

// -------------------------------------------------------------------------------------- registrar

function renderTokenState() {
  const el = $('token-state')
  el.className = `token-state ${state.tokenMessage === 'tokenInvalid' || state.tokenMessage === 'tokenEmpty' ? 'bad' : state.token ? 'good' : ''}`
  el.textContent = state.tokenMessage ? t(state.tokenMessage) : state.token ? t('tokenSaved') : t('tokenNone')
  $('token-forget').hidden = !state.token
  document.getElementById('registrar').classList.toggle('has-token', Boolean(state.token))
}

async function saveToken(event) {
  event.preventDefault()
  const input = $('token')
  const value = input.value.trim()
  if (!value) { state.tokenMessage = 'tokenEmpty'; renderTokenState(); input.focus(); return }
  const previous = state.token
  state.token = value
  const r = await api('/v1/certificates?limit=1', { auth: true })
  if (r.status === 401) {
    state.token = previous
    state.tokenMessage = 'tokenInvalid'
    renderTokenState()
    input.focus()
    return
  }
  sessionSet(TOKEN_KEY, value)
  input.value = ''
  state.tokenMessage = null
  renderTokenState()
}

function forgetToken() {
  state.token = null
  state.tokenMessage = null
  sessionSet(TOKEN_KEY, null)
  renderTokenState()
  $('token').focus()
}

function renderUnitSelect() {
  const select = $('act-unit')
  const previous = select.value
  const units = [...state.units.values()]
  const communes = units.filter((u) => u.level === 'commune')
  const districts = units.filter((u) => u.level === 'district').sort((a, b) => a.code.localeCompare(b.code))
  const groups = districts.map((d) => h('optgroup', { label: d.name },
    communes.filter((c) => c.parentCode === d.code).sort((a, b) => a.name.localeCompare(b.name, 'vi')).map((c) => h('option', { value: c.code }, c.name))))
  const direct = communes.filter((c) => !districts.some((d) => d.code === c.parentCode)).map((c) => h('option', { value: c.code }, c.name))
  fill(select, groups, direct)
  if (previous) select.value = previous
}

// What the user dropped, so that a refusal for an ambiguous unit can be sent again with the unit chosen.
let lastUpload = null

function isPkcs7Der(bytes) {
  // SEQUENCE … OID 1.2.840.113549.1.7.2 (signedData) near the start.
  const oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
  if (bytes[0] !== 0x30) return false
  for (let i = 1; i < Math.min(bytes.length - oid.length, 12); i++) if (oid.every((b, j) => bytes[i + j] === b)) return true
  return false
}

/** How a file is sent: PEM as text, DER as a certificate, PKCS#7 (.p7b) as a bundle to the batch route. */
function uploadPlan(name, bytes) {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, Math.min(bytes.length, 65536)))
  if (/-----BEGIN [A-Z0-9 #]+-----/.test(head)) return { url: '/v1/certificates', type: 'application/x-pem-file', batch: false }
  if (/\.(p7b|p7c|p7s)$/i.test(name) || isPkcs7Der(bytes)) return { url: '/v1/certificates/batch', type: 'application/pkcs7-mime', batch: true }
  return { url: '/v1/certificates', type: 'application/pkix-cert', batch: false }
}

async function handleFile(file) {
  if (!file) return
  const bytes = new Uint8Array(await file.arrayBuffer())
  lastUpload = { name: file.name, bytes, plan: uploadPlan(file.name, bytes), kind: $('kind').value }
  await sendUpload()
}

async function sendUpload(unitCode) {
  if (!lastUpload) return
  if (!state.token) {
    state.verdict = { file: lastUpload.name, needToken: true }
    renderVerdict()
    $('token').focus()
    return
  }
  const { name, bytes, plan, kind } = lastUpload
  fill($('verdict'), h('p', { class: 'sending' }, t('sending', { file: name })))
  const q = new URLSearchParams({ kind })
  if (unitCode) q.set('unitCode', unitCode)
  const r = await api(`${plan.url}?${q}`, { method: 'POST', body: bytes, type: plan.type, auth: true })
  let items
  if (plan.batch && r.ok) {
    items = await Promise.all(r.body.results.map(async (res) => {
      if (res.status === 201) {
        const rec = await api(`/v1/certificates/${encodeURIComponent(res.id)}`, { auth: true })
        return { status: 201, body: rec.ok ? rec.body : { id: res.id } }
      }
      return { status: res.status, body: res }
    }))
  } else {
    items = [{ status: r.status, body: r.body }]
  }
  // Names of the units concerned, also outside the province shown.
  const codes = new Set()
  for (const it of items) {
    if (it.status === 201 && it.body.unitCode) codes.add(it.body.unitCode)
    for (const p of it.body?.problems ?? []) for (const c of p.candidates ?? []) { codes.add(c.code); if (c.parentCode) codes.add(c.parentCode) }
  }
  for (const it of items) if (it.status === 409 && it.body.existingId) {
    const rec = await api(`/v1/certificates/${encodeURIComponent(it.body.existingId)}`, { auth: true })
    if (rec.ok) { it.existing = rec.body; codes.add(rec.body.unitCode) }
  }
  await ensureUnits([...codes])
  for (const code of [...codes]) { const u = state.units.get(code); if (u?.parentCode) codes.add(u.parentCode) }
  await ensureUnits([...codes])
  state.verdict = { file: name, items, batch: plan.batch, unitCode }
  renderVerdict()
  if (items.some((it) => it.status === 201)) loadDashboard()
}

async function ensureUnits(codes) {
  const missing = codes.filter((c) => c && !state.units.has(c))
  await Promise.all(missing.map(async (code) => {
    const r = await api(`/v1/units/${encodeURIComponent(code)}`)
    if (r.ok) state.units.set(code, r.body)
  }))
}

function unitWithDistrict(code) {
  const u = state.units.get(code)
  if (!u) return code
  const parent = u.parentCode ? state.units.get(u.parentCode) : null
  return parent && parent.level !== 'province' ? `${u.name} (${parent.name})` : u.name
}

function cnOf(dn) {
  const m = /(?:^|,)\s*CN=((?:\\.|[^,])*)/.exec(dn ?? '')
  return m ? m[1].replace(/\\(.)/g, '$1') : dn
}

function renderVerdict() {
  const v = state.verdict
  const box = $('verdict')
  if (!v) { fill(box); return }
  if (v.needToken) { fill(box, h('div', { class: 'note bad' }, h('p', {}, t('needToken')))); return }
  const blocks = v.items.map((it, i) => {
    const title = v.items.length > 1 ? h('p', { class: 'item-title' }, t('bundleItem', { n: i + 1 })) : null
    return h('div', { class: 'item' }, title, verdictItem(it))
  })
  if (v.batch && v.items.length === 0) blocks.push(h('div', { class: 'note bad' }, h('p', {}, t('bundleEmpty'))))
  fill(box, h('p', { class: 'verdict-file' }, `${t('f_file')}: `, h('span', { class: 'mono' }, v.file)), blocks)
}

function verdictItem({ status, body, existing }) {
  if (status === 201) {
    const rec = body
    const u = state.units.get(rec.unitCode)
    const parent = u?.parentCode ? state.units.get(u.parentCode) : null
    const unit = h('strong', { class: 'unit-name' }, u?.name ?? rec.unitCode)
    return h('div', { class: 'note good', role: 'group' },
      h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓ '),
        tNodes('verdictAccepted', { unit: parent && parent.level !== 'province' ? tNodes('verdictAcceptedIn', { unit, district: parent.name }) : unit })),
      rec.matchedBy ? h('p', {}, t(`matched_${rec.matchedBy}`)) : null,
      rec.subjectDn ? h('dl', { class: 'facts' },
        h('dt', {}, t('f_subject')), h('dd', {}, cnOf(rec.subjectDn)),
        h('dt', {}, t('f_issuer')), h('dd', {}, cnOf(rec.issuerDn)),
        h('dt', {}, t('f_validity')), h('dd', {}, t('validity', { from: fmtTimestampDay(rec.notBefore), to: fmtTimestampDay(rec.notAfter) })),
        h('dt', {}, t('f_status')), h('dd', {}, t(`status_${rec.status}`)),
        h('dt', {}, t('f_key')), h('dd', {}, `${rec.keyAlgorithm} ${rec.keySize} · ${rec.signatureAlgorithm}`)) : null,
      rec.warnings?.length ? h('div', { class: 'warnings' }, h('p', {}, h('strong', {}, `${t('warnings')}:`)),
        h('ul', {}, rec.warnings.map((w) => h('li', {}, warningSentence(w.code) ?? w.message)))) : null)
  }
  if (status === 409) {
    return h('div', { class: 'note info' },
      h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, 'ℹ '), t('verdictDuplicate')),
      existing ? h('p', {}, h('strong', { class: 'unit-name' }, unitWithDistrict(existing.unitCode)), ` · ${t('validity', { from: fmtTimestampDay(existing.notBefore), to: fmtTimestampDay(existing.notAfter) })}`) : null,
      technical(body))
  }
  const problems = body?.problems ?? []
  const refused = status === 400 || status === 422
  const sentences = problems.length
    ? problems.map((p) => {
      const base = problemSentence(p.code) ?? p.message
      const reason = p.reason ? problemSentence(p.reason) : null
      return reason ? `${base} ${reason}` : base
    })
    : [problemSentence(body?.code) ?? body?.detail ?? '']
  const unitProblems = problems.filter((p) => p.code === 'unit_ambiguous' || p.code === 'unit_not_found')
  const onlyUnit = problems.length > 0 && unitProblems.length === problems.length
  return h('div', { class: 'note bad' },
    h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗ '),
      refused ? t('verdictRefused') : t('verdictError', { reason: problemSentence(body?.code) ?? `HTTP ${status}` })),
    refused || problems.length ? h('ul', { class: 'reasons' }, [...new Set(sentences)].map((s) => h('li', {}, s))) : null,
    onlyUnit ? unitChooser(unitProblems[0]) : null,
    technical(body))
}

function technical(body) {
  if (!body) return null
  const lines = [body.detail, ...(body.problems ?? []).map((p) => `${p.code}: ${p.message}`)].filter(Boolean)
  if (!lines.length) return null
  return h('details', { class: 'technical' }, h('summary', {}, t('technical')), h('ul', { lang: 'en' }, lines.map((l) => h('li', {}, l))))
}

let chooserSeq = 0
function unitChooser(problem) {
  const id = `choose-${++chooserSeq}`
  if (problem.code === 'unit_ambiguous' && problem.candidates?.length) {
    const form = h('form', { class: 'chooser' },
      h('fieldset', {},
        h('legend', {}, t('ambiguousPrompt')),
        problem.candidates.map((c, i) => h('div', { class: 'choice' },
          h('input', { type: 'radio', name: id, id: `${id}-${i}`, value: c.code, checked: i === 0 }),
          h('label', { for: `${id}-${i}` }, unitWithDistrict(c.code) === c.code ? c.name : unitWithDistrict(c.code), h('span', { class: 'code' }, ` · ${c.code}`))))),
      h('button', { type: 'submit', class: 'btn primary' }, t('resend')))
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const chosen = form.querySelector('input:checked')
      if (chosen) sendUpload(chosen.value)
    })
    return form
  }
  // Not found from the subject: any commune of the province shown may be chosen.
  const select = h('select', { id })
  fill(select, [...state.units.values()].filter((u) => u.level === 'commune').sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    .map((u) => h('option', { value: u.code }, unitWithDistrict(u.code))))
  const form = h('form', { class: 'chooser' },
    h('label', { for: id }, t('notFoundPrompt')), select,
    h('button', { type: 'submit', class: 'btn primary' }, t('resend')))
  form.addEventListener('submit', (e) => { e.preventDefault(); if (select.value) sendUpload(select.value) })
  return form
}

async function saveActivity(event) {
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
  if (r.ok) loadDashboard()
}

function renderActivity() {
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

// ----------------------------------------------------------------------------------------- events

function setDate(day) {
  state.date = day
  $('date-error').textContent = ''
  $('date').removeAttribute('aria-invalid')
  $('date').value = fmtDay(day)
  if (!$('act-month').value) $('act-month').value = fmtMonth(day.slice(0, 7))
  loadDashboard()
}

function bind() {
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault()
    const day = parseDay($('date').value)
    if (!day) {
      $('date').setAttribute('aria-invalid', 'true')
      $('date-error').textContent = t('dateInvalid')
      $('date').focus()
      return
    }
    setDate(day)
  })
  for (const chip of document.querySelectorAll('.chip[data-date]')) {
    chip.addEventListener('click', () => setDate(chip.dataset.date === 'today' ? todayVn() : chip.dataset.date))
  }
  $('province').addEventListener('change', (e) => {
    state.province = e.target.value
    state.units = new Map()
    loadUnits(state.province)
    loadDashboard()
  })
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi'
    try { localStorage.setItem(LANG_KEY, state.lang) } catch { /* no storage: this page only */ }
    applyStaticTexts()
    renderDashboard()
    renderTokenState()
    renderVerdict()
    renderActivity()
    if ($('date-error').textContent) $('date-error').textContent = t('dateInvalid')
  })
  $('token-form').addEventListener('submit', saveToken)
  $('token-forget').addEventListener('click', forgetToken)
  $('activity-form').addEventListener('submit', saveActivity)

  const file = $('file')
  file.addEventListener('change', () => { handleFile(file.files[0]); file.value = '' })
  const drop = $('drop')
  for (const type of ['dragenter', 'dragover']) drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over') })
  for (const type of ['dragleave', 'dragend']) drop.addEventListener(type, () => drop.classList.remove('over'))
  drop.addEventListener('drop', (e) => {
    e.preventDefault()
    drop.classList.remove('over')
    handleFile(e.dataTransfer?.files?.[0])
  })
  // A file dropped outside the drop zone must not navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault())
  window.addEventListener('drop', (e) => e.preventDefault())
  window.addEventListener('beforeprint', () => {
    $('printed').textContent = t('printedAt', { time: new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()) })
  })
}

function start() {
  readUrl()
  applyStaticTexts()
  renderProvinces()
  renderTokenState()
  $('date').value = fmtDay(state.date)
  $('act-month').value = fmtMonth(state.date.slice(0, 7))
  bind()
  loadProvinces()
  loadUnits(state.province)
  loadDashboard()
}

start()
