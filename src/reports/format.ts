/** Numbers the Vietnamese way: `.` groups thousands, `,` marks decimals (1.836 tỷ đồng, 1,5 tỷ, 87,4%). */

const BILLION = 1_000_000_000

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')
}

/** 1512345678 → `1.512.345.678`; -1200 → `-1.200`. */
export function formatInteger(n: number): string {
  const sign = n < 0 ? '-' : ''
  return sign + groupThousands(String(Math.trunc(Math.abs(n))))
}

/** A decimal with at most `decimals` places, trailing zeros dropped: 1.50 → `1,5`; 1836 → `1.836`. */
export function formatDecimal(n: number, decimals: number, mode: 'round' | 'floor' = 'round'): string {
  const factor = 10 ** decimals
  const scaled = mode === 'floor' ? Math.floor(n * factor + 1e-9) : Math.round(n * factor)
  const sign = scaled < 0 ? '-' : ''
  const abs = Math.abs(scaled)
  const whole = Math.floor(abs / factor)
  const frac = decimals > 0 ? String(abs % factor).padStart(decimals, '0').replace(/0+$/, '') : ''
  return `${sign}${groupThousands(String(whole))}${frac ? `,${frac}` : ''}`
}

/**
 * An amount in tỷ (billions) of đồng: 1_836_000_000_000 → `1.836 tỷ`, 1_512_345_000 → `1,51 tỷ`.
 * Two decimals under 100 tỷ, none above. `floor` gives the "over …" figure of a headline (1,5 tỷ for 1,58).
 */
export function formatTy(vnd: number, options: { decimals?: number; mode?: 'round' | 'floor' } = {}): string {
  const ty = vnd / BILLION
  const decimals = options.decimals ?? (Math.abs(ty) >= 100 ? 0 : 2)
  return `${formatDecimal(ty, decimals, options.mode)} tỷ`
}

/** Đồng amounts for a table: in full below one tỷ (`750.000 đồng`), in tỷ above (`1,51 tỷ đồng`). */
export function formatVnd(vnd: number): string {
  return Math.abs(vnd) >= BILLION ? `${formatTy(vnd)} đồng` : `${formatInteger(vnd)} đồng`
}

/** Percent: `100%`, `87,4%`, `33,33%`. */
export function formatPercent(percent: number): string {
  return `${formatDecimal(percent, 2)}%`
}

/** A value a report prints: text, a number, or nothing (null, undefined: empty). */
export type Cell = string | number | boolean | null | undefined

/** HTML text and attribute escaping. */
export function escapeHtml(value: Cell): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Leading =,+,-,@ are neutralised against formula injection. */
export function csvField(value: Cell): string {
  let s = value === null || value === undefined ? '' : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
