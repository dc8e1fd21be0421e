// Certificates that expire within 90 days after the day. One that names a former unit (recorded before a
// merger, a rename or a change of province) says so: its renewal must be requested under the unit's new name.
import { $, state } from './state.js'
import { h, fill } from './dom.js'
import { DAY_MS, fmtInt, fmtTimestampDay } from './format.js'
import { t } from './text.js'
import { unitName } from './api.js'

export function renderExpiring(coverage) {
  const list = coverage.expiringWithin90Days
  $('h-expiring').textContent = t('secExpiring', { n: fmtInt(list.length) })
  const box = $('expiring')
  if (!list.length) {
    fill(box, h('p', { class: 'empty' }, t('noneExpiring')))
    return
  }
  const end = Date.parse(`${coverage.asOf}T23:59:59.999+07:00`)
  const renamed = list.filter((e) => e.recordedFor).length
  fill(box,
    renamed ? h('p', { class: 'note info renew-note' }, t('renewUnderNewName', { n: fmtInt(renamed) })) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'expiring' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('colUnit')), h('th', { scope: 'col' }, t('colDistrict')),
        h('th', { scope: 'col' }, t('colExpires')), h('th', { scope: 'col', class: 'num' }, t('colDaysLeft')))),
      h('tbody', {}, list.map((e) => {
        const unit = state.units.get(e.unitCode)
        const left = Math.max(0, Math.ceil((Date.parse(e.notAfter) - end) / DAY_MS))
        return h('tr', { class: e.recordedFor ? 'former' : null, 'data-certificate': e.certificateId },
          h('th', { scope: 'row' }, unit?.name ?? e.unitCode,
            e.recordedFor ? h('span', { class: 'recorded-for' }, t('recordedFor', { name: e.recordedFor.name, code: e.recordedFor.code })) : null),
          h('td', {}, unit?.parentCode ? unitName(unit.parentCode) : ''),
          h('td', {}, fmtTimestampDay(e.notAfter)),
          h('td', { class: `num ${left <= 30 ? 'soon' : ''}` }, t('daysLeft', { n: fmtInt(left) })))
      })))))
}
