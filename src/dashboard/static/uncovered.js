// The commune-level units without a valid organisation certificate on the day: grouped by district where the
// day's structure has districts, by type of unit where it has none.
import { $ } from './state.js'
import { h, fill } from './dom.js'
import { fmtInt } from './format.js'
import { t, typeName } from './text.js'
import { unitName } from './api.js'
import { byTypeOrder, isTwoLevel } from './breakdown.js'

export function renderUncovered(coverage) {
  const list = coverage.uncovered
  $('h-uncovered').textContent = t('secUncovered', { n: fmtInt(list.length) })
  const box = $('uncovered')
  if (!list.length) {
    fill(box, h('p', { class: `empty ${coverage.total ? 'good' : ''}` }, coverage.total ? t('allCovered', { total: fmtInt(coverage.total) }) : t('noUnits')))
    return
  }
  const byType = isTwoLevel(coverage)
  const groups = new Map()
  for (const u of list) {
    const key = byType ? u.type : (u.parentCode ?? '')
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(u)
  }
  const districtOrder = coverage.byDistrict.map((d) => d.code)
  const keys = [...groups.keys()].sort(byType ? byTypeOrder : (a, b) => (districtOrder.indexOf(a) >>> 0) - (districtOrder.indexOf(b) >>> 0))
  const title = (key) => (byType ? typeName(key) : coverage.byDistrict.find((d) => d.code === key)?.name ?? unitName(key))
  fill(box, h('div', { class: `uncovered-groups ${byType ? 'by-type' : 'by-district'}` }, keys.map((key) => {
    const units = groups.get(key)
    return h('div', { class: 'group' },
      h('h3', {}, title(key), h('span', { class: 'count' }, ` (${fmtInt(units.length)})`)),
      h('ul', { class: 'names' }, units.map((u) => h('li', {}, u.name))))
  })))
}
