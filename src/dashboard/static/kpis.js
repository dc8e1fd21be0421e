// The coverage cards at the top, and the banners that say what the figures are: historical structure,
// demonstration data, a province that has ended.
import { $, state } from './state.js'
import { h, fill, meter } from './dom.js'
import { fmtBillion, fmtDay, fmtInt, fmtMonth, fmtPct, todayVn } from './format.js'
import { t, tNodes } from './text.js'

export function renderKpis({ coverage, savings }) {
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

/** Figures of a past day are on the units in force that day: said so, with the structure (districts or not). */
export function renderBanners() {
  const d = state.data
  $('demo-banner').hidden = !d?.savings?.demonstration
  const past = d && d.date < todayVn()
  const banner = $('history-banner')
  banner.hidden = !past
  if (past) {
    const twoLevel = d.coverage.byDistrict.length === 0 && d.coverage.total > 0
    banner.textContent = t('historyBanner', { date: fmtDay(d.date), structure: t(twoLevel ? 'structureTwo' : 'structureThree') })
  }
  const followed = $('followed')
  followed.hidden = !state.followed
  if (state.followed) fill(followed, t('followedNote', { from: state.followed.from.name, to: state.followed.to.name, date: fmtDay(state.followed.validTo) }))
}

/** The province chosen has no version on the date: when it ended, and links to what it became. */
export function renderEnded(onPick) {
  const e = state.ended
  const box = $('ended')
  box.hidden = !e
  if (!e) { fill(box); return }
  const provinces = e.successors.filter((s) => state.provinces.some((p) => p.code === s.code))
  const others = e.successors.filter((s) => !provinces.includes(s))
  const link = (s) => h('a', {
    href: `?date=${state.date}&province=${encodeURIComponent(s.code)}`, class: 'successor', 'data-code': s.code,
    onclick: (ev) => { ev.preventDefault(); onPick(s.code) },
  }, s.name)
  const lines = [h('p', { class: 'ended-title' }, e.validTo
    ? t('endedOn', { name: e.name, date: fmtDay(e.validTo) })
    : t('notYet', { name: e.name, date: fmtDay(state.date) }))]
  if (provinces.length) lines.push(h('p', {}, t('successorsAre'), ' ', provinces.flatMap((s, i) => (i ? [', ', link(s)] : [link(s)]))))
  else if (others.length) lines.push(h('p', {}, t('successorsAre'), ' ', others.slice(0, 20).map((s) => s.name).join(', '), others.length > 20 ? ` (+${others.length - 20})` : ''))
  else if (e.validTo) lines.push(h('p', {}, t('noSuccessor')))
  fill(box, lines)
}
