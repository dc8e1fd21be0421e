// Documents signed and the savings estimate, with the model's assumptions; per district where the months had
// districts, per type of unit where they had none (each month counts under the structure of its own end).
import { $ } from './state.js'
import { h, fill } from './dom.js'
import { fmtBillion, fmtInt, fmtMonth } from './format.js'
import { has, t, typeName } from './text.js'

function breakdown(s) {
  const rows = s.byDistrict.length ? s.byDistrict : s.byType.map((r) => ({ ...r, name: typeName(r.code) }))
  const byType = !s.byDistrict.length
  const twoLevelMonths = (s.byMonth ?? []).filter((m) => m.structure === 'provinces').length
  const mixed = s.byDistrict.length > 0 && twoLevelMonths > 0
  return h('div', {},
    h('h3', {}, t(byType ? 'savingsByType' : 'savingsByDistrict')),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { id: 'savings-breakdown' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t(byType ? 'colTypeName' : 'colDistrictName')), h('th', { scope: 'col', class: 'num' }, t('colDocs')), h('th', { scope: 'col', class: 'num' }, t('colSavings')))),
          h('tbody', {}, rows.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.name), h('td', { class: 'num' }, fmtInt(d.documentsSigned)), h('td', { class: 'num' }, fmtInt(d.estimatedSavingsVnd)))))))
      : h('p', { class: 'empty' }, t('noActivity')),
    mixed ? h('p', { class: 'sub' }, t('savingsMixed', { n: fmtInt(twoLevelMonths) })) : null)
}

export function renderSavings(s) {
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
        h('th', { scope: 'row' }, has(`param_${p.name}`) ? t(`param_${p.name}`) : p.name),
        h('td', { class: 'num' }, t('dong', { n: fmtInt(p.valueVnd) })),
        h('td', {}, t(`source_${p.source}`), p.overridden ? ` ${t('overridden')}` : '')))))),
    h('details', { class: 'notes' },
      h('summary', {}, t('notes')),
      h('dl', { lang: 'en' },
        params.flatMap((p) => [h('dt', {}, p.name), h('dd', {}, p.note)]),
        h('dt', {}, a.reference.name), h('dd', {}, a.reference.note),
        h('dt', {}, 'formula'), h('dd', {}, h('code', {}, a.formula)))),
  )
  fill($('savings'), h('div', { class: 'savings-grid' }, left, breakdown(s)))
}
