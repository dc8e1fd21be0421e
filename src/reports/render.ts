import { formatDayVn, formatMonthVn } from '../lib/dates.ts'
import { bigintOf, csvField, escapeHtml, formatInteger, formatPercent, formatTy, type Cell, type Printable } from './format.ts'
import type { MinistryReport } from './service.ts'

export const CSV_COLUMNS = [
  'row', 'code', 'name', 'type', 'parent_code', 'total', 'covered', 'percent', 'documents_signed', 'estimated_savings_vnd', 'as_of', 'reached_100_at', 'note',
] as const

/**
 * The report as one CSV table, UTF-8 with a byte-order mark so that spreadsheet programs keep the
 * Vietnamese text. `row` tells the rows apart: `total` (the parent; as_of, reached_100_at and note filled),
 * `province`, `district` or `type` (one per group of the report, see groupBy), `uncovered` (one per
 * commune-level unit without a certificate).
 * Numbers are plain (percent with a dot and two decimals) so that the file parses everywhere.
 */
export function reportCsv(report: MinistryReport): string {
  const lines: Cell[][] = [[...CSV_COLUMNS]]
  lines.push([
    'total', report.parent.code ?? '', report.parent.name, '', '', report.coverage.total, report.coverage.covered,
    report.coverage.percent.toFixed(2), report.documentsSigned, report.estimatedSavingsVnd, report.asOf, report.reached100At ?? '',
    report.demonstration ? 'DỮ LIỆU MINH HỌA / demonstration data' : '',
  ])
  for (const d of report.groups) {
    lines.push([report.groupBy, d.code, groupName(report, d), '', report.parent.code ?? '', d.total, d.covered, d.percent.toFixed(2), d.documentsSigned, d.estimatedSavingsVnd, '', '', ''])
  }
  for (const u of report.uncovered) {
    lines.push(['uncovered', u.code, u.name, u.type, u.parentCode ?? '', '', '', '', '', '', '', '', ''])
  }
  return '\uFEFF' + lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n'
}

const TYPE_LABELS: Record<string, string> = { xa: 'Xã', phuong: 'Phường', thi_tran: 'Thị trấn', dac_khu: 'Đặc khu' }

const GROUP_HEADINGS = { province: 'Tỉnh, thành phố', district: 'Đơn vị cấp huyện', type: 'Loại đơn vị cấp xã' } as const

function groupName(report: MinistryReport, group: { code: string; name: string }): string {
  return report.groupBy === 'type' ? TYPE_LABELS[group.code] ?? group.name : group.name
}

/** Which administrative structure the year's months were counted on, in words. */
export function structureNote(report: MinistryReport): string {
  const three = report.months.filter((m) => m.structure === 'districts').map((m) => m.month)
  const two = report.months.filter((m) => m.structure === 'provinces').map((m) => m.month)
  const span = (list: string[]) => list.length === 1 ? `tháng ${formatMonthVn(list[0])}` : `tháng ${formatMonthVn(list[0])}–${formatMonthVn(list[list.length - 1])}`
  const parts: string[] = []
  if (three.length) parts.push(`${span(three)}: theo địa giới ba cấp (tỉnh, huyện, xã) trước ngày 01/7/2025`)
  if (two.length) parts.push(`${span(two)}: theo địa giới hai cấp (tỉnh, xã) từ ngày 01/7/2025`)
  return parts.length ? `Số liệu mỗi tháng tính theo đơn vị hành chính tại cuối tháng đó — ${parts.join('; ')}.` : ''
}

/** "hơn 1,5 tỷ đồng" when the amount is above its one-decimal floor, else "1,5 tỷ đồng". */
export function headlineSavings(vnd: Printable): string {
  const floor = formatTy(vnd, { decimals: 1, mode: 'floor' })
  const step = 100_000_000n
  const v = bigintOf(vnd)
  return ((v % step) + step) % step > 0n ? `hơn ${floor} đồng` : `${floor} đồng`
}

const STYLE = `
  @page { size: A4; margin: 18mm 15mm; }
  * { box-sizing: border-box; }
  body { font-family: "Times New Roman", Times, serif; font-size: 12pt; color: #000; background: #fff; margin: 0 auto; max-width: 190mm; padding: 12mm 0; line-height: 1.35; }
  header { text-align: center; margin-bottom: 1.2em; }
  h1 { font-size: 15pt; text-transform: uppercase; margin: 0.3em 0; }
  h2 { font-size: 13pt; margin: 1.4em 0 0.5em; border-bottom: 1px solid #000; }
  .sub { font-style: italic; }
  .demo { border: 2px solid #a00; color: #a00; padding: 0.5em; margin: 1em 0; text-align: center; font-weight: bold; }
  .headline { display: flex; gap: 1em; margin: 1em 0; }
  .headline div { flex: 1; border: 1px solid #000; padding: 0.6em; text-align: center; }
  .headline strong { display: block; font-size: 20pt; }
  table { width: 100%; border-collapse: collapse; margin: 0.5em 0; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; }
  th { background: #eee; }
  td.n { text-align: right; white-space: nowrap; }
  tfoot td { font-weight: bold; }
  .note { font-size: 10pt; }
  footer { margin-top: 2em; font-size: 10pt; }
  @media print { body { padding: 0; } .headline div, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`

/** A printable page in Vietnamese, self-contained (no external assets); every value is escaped. */
export function reportHtml(report: MinistryReport): string {
  const e = escapeHtml
  const cov = report.coverage
  const rows = report.groups.map((d) => `
      <tr><td>${e(report.groupBy === 'type' ? '' : d.code)}</td><td>${e(groupName(report, d))}</td><td class="n">${formatInteger(d.total)}</td><td class="n">${formatInteger(d.covered)}</td>
        <td class="n">${formatPercent(d.percent)}</td><td class="n">${formatInteger(d.documentsSigned)}</td><td class="n">${formatInteger(d.estimatedSavingsVnd)}</td></tr>`).join('')
  const types = Object.entries(cov.byType).map(([type, c]) =>
    `<li>${e(TYPE_LABELS[type] ?? type)}: ${formatInteger(c.covered)}/${formatInteger(c.total)}</li>`).join('')
  const uncovered = report.uncovered.length
    ? `<table><thead><tr><th>Mã</th><th>Tên đơn vị</th><th>Loại</th><th>Thuộc</th></tr></thead><tbody>${report.uncovered.map((u) =>
      `<tr><td>${e(u.code)}</td><td>${e(u.name)}</td><td>${e(TYPE_LABELS[u.type] ?? u.type)}</td><td>${e(report.groups.find((d) => d.code === u.parentCode)?.name ?? u.parentCode ?? '')}</td></tr>`).join('')}</tbody></table>`
    : '<p>Không có: tất cả đơn vị hành chính cấp xã đều đã có chứng thư số còn hiệu lực.</p>'
  const params = report.assumptions.parameters.map((p) => `
      <tr><td>${e(PARAMETER_LABELS[p.name] ?? p.name)}</td><td class="n">${formatInteger(p.valueVnd)}</td>
        <td>${p.overridden ? 'Theo yêu cầu' : p.source === 'sourced' ? 'Có nguồn' : 'Giả định'}</td><td class="note">${e(p.note)}</td></tr>`).join('')
  const reached = report.reached100At
    ? `<div><strong>${e(formatMonthVn(report.reached100At))}</strong>đạt 100% (cuối tháng)</div>`
    : '<div><strong>—</strong>chưa đạt 100% trong năm</div>'

  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <div>${e(report.parent.name)}</div>
  <h1>Báo cáo triển khai chữ ký số cho Ủy ban nhân dân cấp xã năm ${e(report.year)}</h1>
  <div class="sub">Số liệu chứng thư số tính đến hết ngày ${e(formatDayVn(report.asOf))}; văn bản ký số năm ${e(report.year)}</div>
  ${report.asOf < '2025-07-01' ? `<div class="sub">Báo cáo theo địa giới hành chính tại ngày ${e(formatDayVn(report.asOf))}, trước khi sắp xếp đơn vị hành chính ngày 01/7/2025.</div>` : ''}
</header>
${report.demonstration ? '<div class="demo">DỮ LIỆU MINH HỌA — các chứng thư số do CA minh họa của Kyso cấp, không phải chứng thư số thật; số liệu từng đơn vị chỉ mang tính minh họa.</div>' : ''}
<section class="headline">
  <div><strong>${formatPercent(cov.percent)}</strong>UBND cấp xã có chứng thư số tổ chức (${formatInteger(cov.covered)}/${formatInteger(cov.total)})</div>
  <div><strong>${e(headlineSavings(report.estimatedSavingsVnd))}</strong>tiết kiệm ước tính năm ${e(report.year)}</div>
  ${reached}
</section>

<h2>1. Chứng thư số của UBND cấp xã</h2>
<p>Tính đến hết ngày ${e(formatDayVn(report.asOf))}, ${formatInteger(cov.covered)} trên ${formatInteger(cov.total)} đơn vị hành chính cấp xã (${formatPercent(cov.percent)}) có chứng thư số tổ chức còn hiệu lực, chưa bị thu hồi.</p>
<ul>${types}</ul>
<table>
  <thead><tr><th>Mã</th><th>${GROUP_HEADINGS[report.groupBy]}</th><th>Số đơn vị cấp xã</th><th>Đã có chứng thư số</th><th>Tỷ lệ</th><th>Văn bản đã ký số</th><th>Tiết kiệm ước tính (đồng)</th></tr></thead>
  <tbody>${rows}
  </tbody>
  <tfoot><tr><td></td><td>Tổng cộng</td><td class="n">${formatInteger(cov.total)}</td><td class="n">${formatInteger(cov.covered)}</td><td class="n">${formatPercent(cov.percent)}</td>
    <td class="n">${formatInteger(report.documentsSigned)}</td><td class="n">${formatInteger(report.estimatedSavingsVnd)}</td></tr></tfoot>
</table>

<h2>2. Đơn vị chưa có chứng thư số</h2>
${uncovered}

<h2>3. Văn bản ký số và chi phí tiết kiệm ước tính</h2>
<p>Năm ${e(report.year)}: ${formatInteger(report.documentsSigned)} văn bản được ký số và gửi điện tử. Với ${formatInteger(report.costPerDocumentVnd)} đồng tiết kiệm cho mỗi văn bản, chi phí tiết kiệm ước tính là <strong>${formatInteger(report.estimatedSavingsVnd)} đồng</strong> (${e(formatTy(report.estimatedSavingsVnd))} đồng).</p>
${verifiedParagraph(report)}
<p class="note">${e(structureNote(report))}</p>
<p class="note">Công thức: tiết kiệm = số văn bản × (giấy, in ấn + bưu phí + thời gian cán bộ). ${e(report.assumptions.reference.note)}</p>
<table>
  <thead><tr><th>Thông số</th><th>Đồng/văn bản</th><th>Nguồn</th><th>Ghi chú</th></tr></thead>
  <tbody>${params}
  </tbody>
</table>

<footer>Lập bởi Kyso lúc ${e(report.generatedAt)} từ hồ sơ chứng thư số và số liệu văn bản ký số đã ghi nhận.</footer>
</body>
</html>
`
}

const PARAMETER_LABELS: Record<string, string> = {
  paperVnd: 'Giấy, in ấn, mực in',
  postageVnd: 'Bưu phí, chuyển phát',
  staffTimeVnd: 'Thời gian của cán bộ',
  costPerDocumentVnd: 'Tổng cộng mỗi văn bản',
}

/** Declared and verified documents side by side, and which one the estimate used. */
function verifiedParagraph(report: MinistryReport): string {
  const basis = report.basis === 'verified' ? 'số văn bản đã kiểm tra chữ ký số' : 'số văn bản do đơn vị khai báo'
  return `<p>Văn bản có chữ ký số đã được Kyso kiểm tra: <strong>${formatInteger(report.documentsVerified)}</strong>, từ ${formatInteger(report.communesWithVerifiedDocuments)} đơn vị cấp xã (khai báo: ${formatInteger(report.documentsSigned)}). Ước tính tiết kiệm dựa trên ${basis}.</p>`
}
