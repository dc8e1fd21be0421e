// The verdict on one uploaded file, in plain words: recorded (for which unit, how it was found), already
// recorded, or refused with one sentence per problem and, for an ambiguous or unknown unit, a way to choose it.
import { $, state } from './state.js'
import { h, fill, technical } from './dom.js'
import { unitWithDistrict } from './api.js'
import { fmtTimestampDay } from './format.js'
import { problemSentence, t, tNodes, warningSentence } from './text.js'

export function cnOf(dn) {
  const m = /(?:^|,)\s*CN=((?:\\.|[^,])*)/.exec(dn ?? '')
  return m ? m[1].replace(/\\(.)/g, '$1') : dn
}

/** One sentence per problem (with the verifier's reason where it gives one), each said once. */
export function problemSentences(body) {
  const problems = body?.problems ?? []
  const sentences = problems.length
    ? problems.map((p) => {
        const base = problemSentence(p.code) ?? p.message
        const reason = p.reason ? problemSentence(p.reason) : null
        return reason ? `${base} ${reason}` : base
      })
    : [problemSentence(body?.code) ?? body?.detail ?? '']
  return [...new Set(sentences)]
}

export function renderVerdict(resend) {
  const v = state.verdict
  const box = $('verdict')
  if (!v) { if (!state.batch) fill(box); return }
  if (v.needToken) { fill(box, h('div', { class: 'note bad' }, h('p', {}, t('needToken')))); return }
  const blocks = v.items.map((it, i) => {
    const title = v.items.length > 1 ? h('p', { class: 'item-title' }, t('bundleItem', { n: i + 1 })) : null
    return h('div', { class: 'item' }, title, verdictItem(it, resend))
  })
  if (v.batch && v.items.length === 0) blocks.push(h('div', { class: 'note bad' }, h('p', {}, t('bundleEmpty'))))
  fill(box, h('p', { class: 'verdict-file' }, `${t('f_file')}: `, h('span', { class: 'mono' }, v.file)), blocks)
}

function verdictItem({ status, body, existing }, resend) {
  if (status === 201) {
    const rec = body
    const u = state.units.get(rec.unitCode)
    const parent = u?.parentCode ? state.units.get(u.parentCode) : null
    const unit = h('strong', { class: 'unit-name' }, u?.name ?? rec.unitCode)
    return h('div', { class: 'note good', role: 'group' },
      h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓ '),
        tNodes('verdictAccepted', { unit: parent && parent.level !== 'province' ? tNodes('verdictAcceptedIn', { unit, district: parent.name }) : unit })),
      rec.matchedBy ? h('p', {}, t(`matched_${rec.matchedBy}`)) : null,
      rec.subjectDn
        ? h('dl', { class: 'facts' },
            h('dt', {}, t('f_subject')), h('dd', {}, cnOf(rec.subjectDn)),
            h('dt', {}, t('f_issuer')), h('dd', {}, cnOf(rec.issuerDn)),
            h('dt', {}, t('f_validity')), h('dd', {}, t('validity', { from: fmtTimestampDay(rec.notBefore), to: fmtTimestampDay(rec.notAfter) })),
            h('dt', {}, t('f_status')), h('dd', {}, t(`status_${rec.status}`)),
            h('dt', {}, t('f_key')), h('dd', {}, `${rec.keyAlgorithm} ${rec.keySize} · ${rec.signatureAlgorithm}`))
        : null,
      rec.warnings?.length
        ? h('div', { class: 'warnings' }, h('p', {}, h('strong', {}, `${t('warnings')}:`)),
            h('ul', {}, rec.warnings.map((w) => h('li', {}, warningSentence(w.code) ?? w.message))))
        : null)
  }
  if (status === 409) {
    return h('div', { class: 'note info' },
      h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, 'ℹ '), t('verdictDuplicate')),
      existing ? h('p', {}, h('strong', { class: 'unit-name' }, unitWithDistrict(existing.unitCode)), ` · ${t('validity', { from: fmtTimestampDay(existing.notBefore), to: fmtTimestampDay(existing.notAfter) })}`) : null,
      technical(body))
  }
  const problems = body?.problems ?? []
  const refused = status === 400 || status === 422
  const unitProblems = problems.filter((p) => p.code === 'unit_ambiguous' || p.code === 'unit_not_found')
  const onlyUnit = problems.length > 0 && unitProblems.length === problems.length
  return h('div', { class: 'note bad' },
    h('p', { class: 'verdict-title' }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗ '),
      refused ? t('verdictRefused') : t('verdictError', { reason: problemSentence(body?.code) ?? `HTTP ${status}` })),
    refused || problems.length ? h('ul', { class: 'reasons' }, problemSentences(body).map((s) => h('li', {}, s))) : null,
    onlyUnit ? unitChooser(unitProblems[0], resend) : null,
    technical(body))
}

let chooserSeq = 0
function unitChooser(problem, resend) {
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
      if (chosen) resend(chosen.value)
    })
    return form
  }
  // Not found from the subject: any commune of the province shown may be chosen.
  const select = h('select', { id })
  fill(select, [...state.units.values()].filter((u) => u.level === 'commune' && u.inProvince).sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    .map((u) => h('option', { value: u.code }, unitWithDistrict(u.code))))
  const form = h('form', { class: 'chooser' },
    h('label', { for: id }, t('notFoundPrompt')), select,
    h('button', { type: 'submit', class: 'btn primary' }, t('resend')))
  form.addEventListener('submit', (e) => { e.preventDefault(); if (select.value) resend(select.value) })
  return form
}
