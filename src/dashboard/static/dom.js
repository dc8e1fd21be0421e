// Building the page: elements, and the bars the coverage cards share.
import { fmtInt, fmtPct } from './format.js'
import { t } from './text.js'

export function h(tag, attrs = {}, ...children) {
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
export const fill = (el, ...children) => { el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)); return el }

const level = (percent) => (percent >= 100 ? 'full' : percent >= 50 ? 'mid' : 'low')

export function meter(percent, label) {
  return h('div', { class: 'track', 'aria-hidden': label ? null : 'true', role: label ? 'img' : null, 'aria-label': label },
    h('div', { class: `fill ${level(percent)}`, style: { width: `${Math.max(0, Math.min(100, percent))}%` } }))
}

export function barRow(name, covered, total, percent) {
  return h('li', { class: 'bar' },
    h('div', { class: 'bar-head' },
      h('span', { class: 'bar-name' }, name),
      h('span', { class: 'bar-value' }, `${fmtInt(covered)}/${fmtInt(total)}`, h('span', { class: 'bar-pct' }, fmtPct(percent)))),
    meter(percent),
    h('span', { class: 'sr-only' }, t('districtRow', { covered: fmtInt(covered), total: fmtInt(total), percent: fmtPct(percent) })))
}

/** The API's own words, for whoever needs them (folded away). */
export function technical(body) {
  if (!body) return null
  const lines = [body.detail, ...(body.problems ?? []).map((p) => `${p.code}: ${p.message}`)].filter(Boolean)
  if (!lines.length) return null
  return h('details', { class: 'technical' }, h('summary', {}, t('technical')), h('ul', { lang: 'en' }, lines.map((l) => h('li', {}, l))))
}

/** Files chosen in a file input go to `take`; the input is emptied, so that the same file can be chosen again. */
export function onFilesChosen(input, take) {
  input.addEventListener('change', () => { const files = [...input.files]; input.value = ''; take(files) })
}

/** A drop zone, marked while something is dragged over it: what is dropped goes to `take` (its DataTransfer). */
export function onDrop(zone, take) {
  for (const type of ['dragenter', 'dragover']) zone.addEventListener(type, (e) => { e.preventDefault(); zone.classList.add('over') })
  for (const type of ['dragleave', 'dragend']) zone.addEventListener(type, () => zone.classList.remove('over'))
  zone.addEventListener('drop', (e) => {
    e.preventDefault()
    zone.classList.remove('over')
    take(e.dataTransfer)
  })
}
