// Coverage by district (three-level structure) and by type of commune-level unit (always; the only
// breakdown where the structure of the day has no districts, from 2025-07-01).
import { $ } from './state.js'
import { fill, barRow } from './dom.js'
import { typeName } from './text.js'

export const TYPE_ORDER = ['xa', 'phuong', 'thi_tran', 'dac_khu']
export const byTypeOrder = (a, b) => (TYPE_ORDER.indexOf(a) >>> 0) - (TYPE_ORDER.indexOf(b) >>> 0)

/** True where the structure of the day has no districts: communes directly under their province. */
export const isTwoLevel = (coverage) => coverage.byDistrict.length === 0 && coverage.total > 0

export function renderDistricts(coverage) {
  const section = $('districts').closest('section')
  section.hidden = isTwoLevel(coverage) || Boolean(coverage.byProvince)
  fill($('districts'), coverage.byDistrict.map((d) => barRow(d.name, d.covered, d.total, d.percent)))
}

export function renderTypes(coverage) {
  const types = Object.keys(coverage.byType).sort(byTypeOrder)
  // thị trấn and đặc khu appear only where the day's structure has them.
  const shown = types.filter((k) => coverage.byType[k].total > 0 || k === 'xa' || k === 'phuong')
  fill($('types'), shown.map((k) => {
    const { total, covered } = coverage.byType[k]
    const percent = total ? Math.floor((10000 * covered) / total) / 100 : 0
    return barRow(typeName(k), covered, total, percent)
  }))
  $('types').closest('section').classList.toggle('main-breakdown', isTwoLevel(coverage))
}
