// Checking signed documents: PDFs (or attached CMS, .p7m) chosen or dropped, each sent alone to POST /v1/documents,
// at most IN_FLIGHT at a time, each verdict shown as its answer arrives: counted or not (for which unit and month)
// and, per signature, valid or not, who signed, the unit of the certificate, when and on what evidence, what it covers.
import { $, state } from './state.js'
import { h, fill, onDrop, onFilesChosen, technical } from './dom.js'
import { api, ensureUnits, unitWithDistrict } from './api.js'
import { fmtInt, fmtMonth, fmtTimestamp } from './format.js'
import { documentProblemSentence, documentWarningSentence, t, tNodes } from './text.js'

/** The API's body limit by default (BODY_LIMIT, 1 MiB): a larger file would only be refused with 413. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024
/** Documents verified at once: each one takes a worker thread of the server. */
const IN_FLIGHT = 2

/** The Content-Type a file is sent with, or null for a file of another kind (not sent). */
function typeOf(file) {
  if (/\.pdf$/i.test(file.name) || file.type === 'application/pdf') return 'application/pdf'
  if (/\.p7m$/i.test(file.name) || file.type === 'application/pkcs7-mime') return 'application/pkcs7-mime'
  return null
}

// Each choice or drop starts a new run; answers of an earlier run are no longer shown.
let run = 0
const nodes = new WeakMap() // row → its <li>, replaced when the row changes

/** Files chosen or dropped: each checked on its own; those of another kind or too large are not sent. */
export async function checkDocuments(files) {
  if (!files.length) return
  const mine = ++run
  if (!state.token) {
    state.documents = { needToken: true }
    renderDocuments()
    $('token').focus()
    return
  }
  const rows = files.map((file) => {
    const type = typeOf(file)
    const local = !type ? 'docWrongType' : file.size > MAX_DOCUMENT_BYTES ? 'docTooLarge' : null
    return { file: file.name, phase: local ? 'local' : 'waiting', local, type, blob: local ? null : file }
  })
  state.documents = { rows, sending: true }
  renderDocuments()
  const queue = rows.filter((row) => !row.local)
  const worker = async () => {
    for (let row = queue.shift(); row && mine === run; row = queue.shift()) {
      row.phase = 'checking'
      renderRow(row)
      const r = await api('/v1/documents', { method: 'POST', body: row.blob, type: row.type, auth: true })
      row.blob = null
      if (r.ok) await unitsOf(r.body)
      Object.assign(row, { phase: 'done', status: r.status, body: r.body })
      if (mine !== run) return
      renderRow(row)
      renderSummary()
    }
  }
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, queue.length) }, worker))
  if (mine !== run) return
  state.documents.sending = false
  renderSummary()
}

/** The names of the units an answer names (and of their districts), also outside the province shown. */
async function unitsOf(body) {
  const codes = [body.unitCode, ...(body.signatures ?? []).map((s) => s.unitCode)].filter(Boolean)
  await ensureUnits(codes)
  await ensureUnits(codes.map((c) => state.units.get(c)?.parentCode).filter(Boolean))
}

const counted = (row) => row.phase === 'done' && row.status === 200 && row.body.counted
const notCounted = (row) => row.phase === 'done' && row.status === 200 && !row.body.counted
const failed = (row) => row.phase === 'local' || (row.phase === 'done' && row.status !== 200)

function renderSummary() {
  const d = state.documents
  const el = $('doc-summary')
  if (!d?.rows || !el) return
  const n = fmtInt(d.rows.length)
  el.className = d.sending ? 'sending' : 'batch-summary'
  el.textContent = d.sending
    ? t('docsProgress', { done: fmtInt(d.rows.filter((r) => r.phase === 'done' || r.phase === 'local').length), n })
    : t('docsSummary', { n, counted: fmtInt(d.rows.filter(counted).length), notCounted: fmtInt(d.rows.filter(notCounted).length), failed: fmtInt(d.rows.filter(failed).length) })
}

function renderRow(row) {
  const old = nodes.get(row)
  const li = rowNode(row)
  nodes.set(row, li)
  if (old?.isConnected) old.replaceWith(li)
}

export function renderDocuments() {
  const d = state.documents
  const box = $('doc-verdicts')
  if (!d) { fill(box); return }
  if (d.needToken) { fill(box, h('div', { class: 'note bad' }, h('p', {}, t('needToken')))); return }
  fill(box, h('p', { id: 'doc-summary' }), h('ol', { id: 'doc-results', class: 'doc-results' }, d.rows.map((row) => {
    const li = rowNode(row)
    nodes.set(row, li)
    return li
  })))
  renderSummary()
}

const icon = (ok) => h('span', { class: 'icon', 'aria-hidden': 'true' }, ok ? '✓ ' : '✗ ')

function rowNode(row) {
  const head = h('p', { class: 'verdict-file' }, `${t('f_file')}: `, h('span', { class: 'mono doc-name' }, row.file))
  const attrs = { class: 'doc', 'data-file': row.file, 'data-phase': row.phase }
  if (row.phase === 'waiting' || row.phase === 'checking') {
    return h('li', attrs, head, h('p', { class: 'sending' }, t(row.phase === 'waiting' ? 'docWaiting' : 'docChecking')))
  }
  if (row.phase === 'local') {
    return h('li', attrs, head, h('div', { class: 'note bad' },
      h('p', { class: 'verdict-title' }, icon(false), t('docNotSent')), h('p', {}, t(row.local))))
  }
  const { status, body } = row
  attrs['data-status'] = String(status)
  if (status !== 200) {
    const reason = body?.code === 'malformed' ? t('docMalformed') : documentProblemSentence(body?.code) ?? `HTTP ${status}`
    return h('li', attrs, head, h('div', { class: 'note bad' },
      h('p', { class: 'verdict-title' }, icon(false), t('docFailed', { reason })),
      body?.detail ? h('p', { class: 'detail', lang: 'en' }, body.detail) : null))
  }
  attrs['data-counted'] = String(body.counted)
  const unit = body.unitCode ? h('strong', { class: 'unit-name' }, unitWithDistrict(body.unitCode)) : null
  return h('li', attrs, head,
    h('div', { class: `note ${body.counted ? 'good' : 'bad'}` },
      h('p', { class: 'verdict-title doc-counted' }, icon(body.counted),
        body.counted ? tNodes('docCounted', { unit, month: body.month ? fmtMonth(body.month) : '' }) : t('docNotCounted')),
      !body.counted && body.signatures.some((s) => s.ok) ? h('p', {}, t('docNotCountedHint')) : null,
      h('p', { class: 'sub' }, 'SHA-256: ', h('span', { class: 'mono' }, body.sha256))),
    h('ol', { class: 'signatures' }, body.signatures.map(signatureNode)))
}

const first = (v) => (Array.isArray(v) ? v.join(', ') : v)

function signatureNode(sig, i) {
  const signer = sig.signer ?? {}
  const cn = first(signer.CN)
  const org = first(signer.O)
  const when = sig.signingTime
    ? t('timeAt', { time: fmtTimestamp(sig.signingTime), source: t(`time_${sig.timeSource}`) })
    : t('time_none')
  const problems = sig.problems ?? []
  const warnings = sig.warnings ?? []
  return h('li', { class: `note sig ${sig.ok ? 'good' : 'bad'}`, 'data-ok': String(sig.ok), 'data-time-source': sig.timeSource, 'data-covers': String(sig.coversWholeDocument) },
    h('p', { class: 'verdict-title' }, icon(sig.ok), `${t('docSignature', { n: i + 1 })}: `, h('span', { class: 'sig-verdict' }, t(sig.ok ? 'sigOk' : 'sigBad'))),
    h('dl', { class: 'facts' },
      h('dt', {}, t('f_signer')), h('dd', { class: 'sig-signer' }, cn ?? t('sigUnknown')),
      org ? [h('dt', {}, t('f_org')), h('dd', { class: 'sig-org' }, org)] : null,
      h('dt', {}, t('f_unitMatched')), h('dd', { class: 'sig-unit' },
        sig.unitCode ? [h('strong', { class: 'unit-name' }, unitWithDistrict(sig.unitCode)), h('span', { class: 'code' }, ` · ${sig.unitCode}`)] : t('sigNoUnit')),
      h('dt', {}, t('f_signingTime')), h('dd', { class: 'sig-time' }, when),
      h('dt', {}, t('f_coverage')), h('dd', { class: 'sig-covers' }, t(sig.coversWholeDocument ? 'coversWhole' : 'coversPart'))),
    problems.length ? codeList('f_problems', 'sig-problems', problems, documentProblemSentence) : null,
    warnings.length ? codeList('warnings', 'sig-warnings', warnings, documentWarningSentence) : null,
    technical({ problems: [...problems, ...warnings] }))
}

/** Problems or warnings: the code, and the sentence for it, else the API's own message. */
function codeList(title, cls, list, sentence) {
  return h('div', { class: cls }, h('p', {}, h('strong', {}, `${t(title)}:`)),
    h('ul', { class: 'reasons' }, list.map((p) => h('li', { 'data-code': p.code }, h('code', {}, p.code), ' ', sentence(p.code) ?? p.message))))
}

/** The file input and the drop zone of the documents. */
export function bindDocuments() {
  onFilesChosen($('doc-file'), checkDocuments)
  onDrop($('doc-drop'), (transfer) => checkDocuments([...(transfer?.files ?? [])]))
}
