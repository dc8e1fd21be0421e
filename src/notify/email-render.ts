/** The e-mail for one event: a Vietnamese text with an English line, as plain text and as HTML. */

export type EventPayload = { type: string; timestamp: string; data: Record<string, unknown> }
export type RenderedEmail = { subject: string; text: string; html: string }

type Unit = { code: string; name: string }
type Expiring = { unitCode: string; unitName: string; certificateId: string; notAfter: string }

// Made on first use: loading the locale's data costs every process that starts 15 ms, mail or not.
let vnDateFormat: Intl.DateTimeFormat | null = null
const vnDate = (iso: unknown) => {
  vnDateFormat ??= new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' })
  return vnDateFormat.format(new Date(String(iso)))
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Lines of Vietnamese, then one English line. */
function content(event: EventPayload): { subject: string; lines: string[]; english: string } {
  const d = event.data
  switch (event.type) {
    case 'certificate.expiring':
      return {
        subject: `[Kyso] Chứng thư số của ${String(d.unitName)} hết hạn sau ${String(d.daysLeft)} ngày`,
        lines: [
          `Chứng thư số của ${String(d.unitName)} (mã ${String(d.unitCode)}) hết hạn ngày ${vnDate(d.notAfter)}, còn ${String(d.daysLeft)} ngày.`,
          'Đề nghị liên hệ Ban Cơ yếu Chính phủ để gia hạn hoặc cấp mới trước ngày hết hạn.',
          `Mã chứng thư: ${String(d.certificateId)}`,
        ],
        english: `English: the certificate of ${String(d.unitCode)} expires on ${String(d.notAfter).slice(0, 10)} (${String(d.daysLeft)} days left).`,
      }
    case 'coverage.unit_uncovered':
      return {
        subject: `[Kyso] ${String(d.unitName)} không còn chứng thư số hợp lệ`,
        lines: [`${String(d.unitName)} (mã ${String(d.unitCode)}) không còn chứng thư số tổ chức hợp lệ từ ${vnDate(d.since)}.`],
        english: `English: unit ${String(d.unitCode)} has no valid organisation certificate since ${String(d.since).slice(0, 10)}.`,
      }
    case 'coverage.complete':
      return {
        subject: '[Kyso] 100% đơn vị đã có chứng thư số',
        lines: [`Tất cả ${String(d.total)} đơn vị cấp xã trong phạm vi theo dõi đều có chứng thư số hợp lệ.`],
        english: `English: all ${String(d.total)} commune-level units in scope are covered (100%).`,
      }
    case 'digest': {
      const expiring = (d.expiring as Expiring[]) ?? []
      const uncovered = (d.uncovered as Unit[]) ?? []
      return {
        subject: `[Kyso] Tổng hợp ${d.every === 'week' ? 'tuần' : 'ngày'} ${vnDate(event.timestamp)}: ${String(d.covered)}/${String(d.total)} đơn vị có chứng thư số`,
        lines: [
          `Có chứng thư số hợp lệ: ${String(d.covered)}/${String(d.total)} đơn vị cấp xã.`,
          `Sắp hết hạn trong 90 ngày: ${expiring.length}.`,
          ...expiring.map((e) => `- ${e.unitName} (${e.unitCode}): hết hạn ${vnDate(e.notAfter)}`),
          `Chưa có chứng thư số: ${uncovered.length}.`,
          ...uncovered.map((u) => `- ${u.name} (${u.code})`),
        ],
        english: `English: ${String(d.covered)} of ${String(d.total)} units covered; ${expiring.length} certificates expire within 90 days; ${uncovered.length} units uncovered.`,
      }
    }
    default:
      return {
        subject: '[Kyso] Thư thử nghiệm',
        lines: ['Đây là thư thử nghiệm từ Kyso: kênh thông báo hoạt động.'],
        english: 'English: this is a test message from Kyso; the notification channel works.',
      }
  }
}

export function renderEmail(event: EventPayload): RenderedEmail {
  const { subject, lines, english } = content(event)
  const text = [...lines, '', english, '', '-- Kyso'].join('\n')
  const items = lines.map((l) => (l.startsWith('- ') ? `<li>${escapeHtml(l.slice(2))}</li>` : `<p>${escapeHtml(l)}</p>`))
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`
    + items.join('').replace(/(<li>.*?<\/li>)+/g, (m) => `<ul>${m}</ul>`)
    + `<p lang="en"><em>${escapeHtml(english)}</em></p><p>— Kyso</p></body></html>`
  return { subject, text, html }
}
