// Coverage at the end of each month: the line chart, the month 100% was reached, and the table behind it.
// Each month end is on the units in force that day (the API resolves them), so a reform shows as a jump.
import { $ } from './state.js'
import { h, fill } from './dom.js'
import { fmtInt, fmtMonth, fmtPct, monthLabel } from './format.js'
import { t } from './text.js'
import { lineChart } from './chart.js'

export function renderTimeline(timeline) {
  if (!timeline) {
    $('timeline-sub').textContent = ''
    fill($('timeline'), h('p', { class: 'empty', id: 'reached' }, t('timelineMissing')))
    return
  }
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
        h('tbody', {}, pts.map((p) => h('tr', {}, h('th', { scope: 'row' }, fmtMonth(p.month)), h('td', { class: 'num' }, `${fmtInt(p.covered)}/${fmtInt(p.total)}`), h('td', { class: 'num' }, fmtPct(p.percent))))))),
  )
}
