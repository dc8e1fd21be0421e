// Uploading certificate files: one file as before (its own verdict, and a unit to choose when the subject is
// ambiguous); many files, chosen together or as a dropped folder, go to the batch route (see batch.js).
import { $, state } from './state.js'
import { h, fill } from './dom.js'
import { api, ensureUnits } from './api.js'
import { t } from './text.js'
import { renderVerdict } from './verdict.js'
import { sendMany, renderBatch } from './batch.js'

/** Certificate files by name, when a folder is walked (other files in it are left out and counted). */
export const CERT_FILE = /\.(pem|crt|cer|der|p7b|p7c|p7s)$/i
const MAX_FILES = 5000
const MAX_DEPTH = 8

// What the user sent last, so that a refusal for an ambiguous unit can be sent again with the unit chosen.
let lastUpload = null
let reload = () => {}
export function onRecorded(fn) { reload = fn }

function isPkcs7Der(bytes) {
  // SEQUENCE … OID 1.2.840.113549.1.7.2 (signedData) near the start.
  const oid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]
  if (bytes[0] !== 0x30) return false
  for (let i = 1; i < Math.min(bytes.length - oid.length, 12); i++) if (oid.every((b, j) => bytes[i + j] === b)) return true
  return false
}

/** How a single file is sent: PEM as text, DER as a certificate, PKCS#7 (.p7b) as a bundle to the batch route. */
function uploadPlan(name, bytes) {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, Math.min(bytes.length, 65536)))
  if (/-----BEGIN [A-Z0-9 #]+-----/.test(head)) return { url: '/v1/certificates', type: 'application/x-pem-file', batch: false }
  if (/\.(p7b|p7c|p7s)$/i.test(name) || isPkcs7Der(bytes)) return { url: '/v1/certificates/batch', type: 'application/pkcs7-mime', batch: true }
  return { url: '/v1/certificates', type: 'application/pkix-cert', batch: false }
}

/** Files chosen or dropped: one goes alone, several as batches. `skipped` counts files of a folder left out. */
export async function handleFiles(files, skipped = 0) {
  if (!files.length && !skipped) return
  if (files.length === 1 && !skipped) return handleFile(files[0])
  state.verdict = null
  lastUpload = null
  if (!state.token) { state.verdict = { file: files.map((f) => f.name).join(', '), needToken: true }; renderVerdict(); $('token').focus(); return }
  const done = await sendMany(files, $('kind').value, skipped)
  if (done) reload()
}

async function handleFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer())
  state.batch = null
  lastUpload = { name: file.name, bytes, plan: uploadPlan(file.name, bytes), kind: $('kind').value }
  await sendUpload()
}

export async function sendUpload(unitCode) {
  if (!lastUpload) return
  if (!state.token) {
    state.verdict = { file: lastUpload.name, needToken: true }
    renderVerdict(sendUpload)
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
        return { status: 201, body: rec.ok ? rec.body : { id: res.id, unitCode: res.unitCode } }
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
  renderVerdict(sendUpload)
  if (items.some((it) => it.status === 201)) reload()
}

/** The files of a drop: a dropped folder is walked (its certificate files, to a bounded depth and count). */
export async function droppedFiles(dataTransfer) {
  // Entries must be taken during the drop event itself; they are walked afterwards.
  const entries = [...(dataTransfer?.items ?? [])].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.()).filter(Boolean)
  if (!entries.some((e) => e.isDirectory)) return { files: [...(dataTransfer?.files ?? [])], skipped: 0 }
  const out = { files: [], skipped: 0 }
  const fileOf = (entry) => new Promise((resolve) => entry.file(resolve, () => resolve(null)))
  const readAll = async (dir) => {
    const reader = dir.createReader()
    const all = []
    for (;;) {
      const batch = await new Promise((resolve) => reader.readEntries(resolve, () => resolve([])))
      if (!batch.length) return all
      all.push(...batch)
    }
  }
  const walk = async (entry, depth) => {
    if (out.files.length >= MAX_FILES) { out.skipped++; return }
    if (entry.isFile) {
      if (!CERT_FILE.test(entry.name)) { out.skipped++; return }
      const file = await fileOf(entry)
      if (file) out.files.push(file); else out.skipped++
      return
    }
    if (entry.isDirectory && depth < MAX_DEPTH) for (const child of await readAll(entry)) await walk(child, depth + 1)
  }
  for (const entry of entries) await walk(entry, 0)
  return out
}

export function rerenderUpload() {
  renderVerdict(sendUpload)
  renderBatch()
}
