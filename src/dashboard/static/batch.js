// Many certificate files at once (a multiple choice, or a dropped folder): sent as JSON batches of at most
// BATCH_ITEMS to POST /v1/certificates/batch, one after the other; one verdict per file, with the unit matched.
import { $, state } from './state.js'
import { h, fill } from './dom.js'
import { api } from './api.js'
import { fmtInt } from './format.js'
import { problemSentence, t, warningSentence } from './text.js'
import { problemSentences } from './verdict.js'

const BATCH_ITEMS = 100
const BATCH_BYTES = 3_000_000
const MAX_FILE_BYTES = 1_000_000

function base64(bytes) {
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

/** A file as a batch item, or the reason it is not sent (too large; a private key, which never leaves the machine). */
async function itemOf(file, kind) {
  if (file.size > MAX_FILE_BYTES) return { local: 'tooLarge' }
  const bytes = new Uint8Array(await file.arrayBuffer())
  const text = new TextDecoder('utf-8').decode(bytes)
  if (/-----BEGIN [A-Z0-9 #]+-----/.test(text)) {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) return { local: 'private_key_material' }
    return { item: { certificate: text, kind }, size: text.length }
  }
  const certificate = base64(bytes)
  return { item: { certificate, kind }, size: certificate.length }
}

/** Sends the files; true when at least one certificate was recorded. */
export async function sendMany(files, kind, skipped) {
  const rows = files.map((f) => ({ file: f.webkitRelativePath || f.name, status: null }))
  state.batch = { rows, skipped, sent: 0, sending: true }
  renderBatch()
  const pending = []
  for (let i = 0; i < files.length; i++) {
    const r = await itemOf(files[i], kind)
    if (r.local) { rows[i].status = 'local'; rows[i].code = r.local; continue }
    pending.push({ row: rows[i], ...r })
  }
  for (let start = 0; start < pending.length;) {
    const chunk = []
    let bytes = 0
    while (start < pending.length && chunk.length < BATCH_ITEMS && (chunk.length === 0 || bytes + pending[start].size <= BATCH_BYTES)) {
      bytes += pending[start].size
      chunk.push(pending[start++])
    }
    const r = await api(`/v1/certificates/batch?kind=${encodeURIComponent(kind)}`,
      { method: 'POST', body: JSON.stringify({ items: chunk.map((p) => p.item) }), type: 'application/json', auth: true })
    if (r.ok) {
      for (const res of r.body.results) Object.assign(chunk[res.index].row, res)
    } else {
      for (const p of chunk) Object.assign(p.row, { status: r.status || 'network', code: r.body?.code, detail: r.body?.detail, problems: r.body?.problems, whole: true })
    }
    state.batch.sent += chunk.length
    renderBatch()
  }
  state.batch.sending = false
  renderBatch()
  return rows.some((row) => row.status === 201)
}

function rowVerdict(row) {
  if (row.status === null) return { cls: 'wait', icon: '…', text: t('batchWaiting') }
  if (row.status === 201) {
    return { cls: 'good', icon: '✓', text: t('batchRecorded'), extra: row.warnings?.map((w) => warningSentence(w.code) ?? w.message) }
  }
  if (row.status === 409) return { cls: 'info', icon: 'ℹ', text: t('batchDuplicate') }
  if (row.status === 'local') return { cls: 'bad', icon: '✗', text: t('batchNotSent'), extra: [row.code === 'tooLarge' ? t('fileTooLarge') : problemSentence(row.code)] }
  const sentences = problemSentences(row)
  const candidates = (row.problems ?? []).flatMap((p) => p.candidates ?? [])
  if (candidates.length) sentences.push(t('batchCandidates', { names: candidates.map((c) => `${c.name} (${c.code})`).join(', ') }))
  const refused = row.status === 400 || row.status === 422 || row.status === 403
  return { cls: 'bad', icon: '✗', text: refused ? t('batchRefused') : t('verdictError', { reason: problemSentence(row.code) ?? `HTTP ${row.status}` }), extra: sentences }
}

export function renderBatch() {
  const b = state.batch
  if (!b) return
  const box = $('verdict')
  const count = (pred) => b.rows.filter(pred).length
  const ok = count((r) => r.status === 201)
  const dup = count((r) => r.status === 409)
  const bad = count((r) => r.status !== null && r.status !== 201 && r.status !== 409)
  fill(box,
    b.sending
      ? h('p', { class: 'sending', id: 'batch-progress' }, t('batchSending', { done: fmtInt(b.sent), n: fmtInt(b.rows.length) }))
      : h('p', { class: 'batch-summary', id: 'batch-summary' }, t('batchSummary', { n: fmtInt(b.rows.length), ok: fmtInt(ok), dup: fmtInt(dup), bad: fmtInt(bad) })),
    b.skipped ? h('p', { class: 'sub' }, t('batchSkipped', { n: fmtInt(b.skipped) })) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'batch-results', id: 'batch-results' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('f_file')), h('th', { scope: 'col' }, t('colVerdict')), h('th', { scope: 'col' }, t('colUnit')))),
      h('tbody', {}, b.rows.map((row) => {
        const v = rowVerdict(row)
        return h('tr', { class: `row-${v.cls}`, 'data-status': String(row.status ?? '') },
          h('th', { scope: 'row', class: 'mono' }, row.file),
          h('td', {}, h('span', { class: 'icon', 'aria-hidden': 'true' }, `${v.icon} `), v.text,
            v.extra?.length ? h('ul', { class: 'reasons' }, v.extra.filter(Boolean).map((s) => h('li', {}, s))) : null),
          h('td', {}, row.unitCode ? [h('strong', { class: 'unit-name' }, row.unitName ?? row.unitCode), h('span', { class: 'code' }, ` · ${row.unitCode}`)] : ''))
      })))))
}
