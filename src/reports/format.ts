/** Numbers the Vietnamese way: `.` groups thousands, `,` marks decimals (1.836 tỷ đồng, 1,5 tỷ, 87,4%). */

import { exactBigInt, type ExactInteger } from '../lib/exact-integer.ts'

const BILLION = 1_000_000_000n

/** An integer to print: exact as given (a number is truncated towards zero, as it always was). */
export type Printable = ExactInteger | bigint

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')
}

/** The integer a printable value stands for. */
export function bigintOf(n: Printable): bigint {
  return typeof n === 'number' ? BigInt(Math.trunc(n)) : exactBigInt(n)
}

/** 1512345678 → `1.512.345.678`; -1200 → `-1.200`; "184467440737095516150" → `184.467.440.737.095.516.150`. */
export function formatInteger(n: Printable): string {
  const v = bigintOf(n)
  return (v < 0n ? '-' : '') + groupThousands(String(v < 0n ? -v : v))
}

/** A whole number of 10^-decimals units, trailing zeros dropped: (151, 2) → `1,51`; (150, 2) → `1,5`. */
function formatScaled(scaled: bigint, decimals: number): string {
  const factor = 10n ** BigInt(decimals)
  const sign = scaled < 0n ? '-' : ''
  const abs = scaled < 0n ? -scaled : scaled
  const frac = decimals > 0 ? String(abs % factor).padStart(decimals, '0').replace(/0+$/, '') : ''
  return `${sign}${groupThousands(String(abs / factor))}${frac ? `,${frac}` : ''}`
}

/** A decimal with at most `decimals` places, trailing zeros dropped: 1.50 → `1,5`; 1836 → `1.836`. */
export function formatDecimal(n: number, decimals: number, mode: 'round' | 'floor' = 'round'): string {
  const factor = 10 ** decimals
  const scaled = mode === 'floor' ? Math.floor(n * factor + 1e-9) : Math.round(n * factor)
  return formatScaled(BigInt(scaled), decimals)
}

/** numerator / denominator (denominator > 0) rounded down, or to the nearest with halves up, as Math.floor and Math.round do. */
function divide(numerator: bigint, denominator: bigint, mode: 'round' | 'floor'): bigint {
  const n = mode === 'round' ? 2n * numerator + denominator : numerator
  const d = mode === 'round' ? 2n * denominator : denominator
  const q = n / d
  return n % d !== 0n && n < 0n ? q - 1n : q
}

/**
 * An amount in tỷ (billions) of đồng: 1_836_000_000_000 → `1.836 tỷ`, 1_512_345_000 → `1,51 tỷ`.
 * Two decimals under 100 tỷ, none above. `floor` gives the "over …" figure of a headline (1,5 tỷ for 1,58).
 * Divided exactly, so that an amount of any size keeps its digits.
 */
export function formatTy(vnd: Printable, options: { decimals?: number; mode?: 'round' | 'floor' } = {}): string {
  const v = bigintOf(vnd)
  const decimals = options.decimals ?? ((v < 0n ? -v : v) >= 100n * BILLION ? 0 : 2)
  return `${formatScaled(divide(v * 10n ** BigInt(decimals), BILLION, options.mode ?? 'round'), decimals)} tỷ`
}

/** Đồng amounts for a table: in full below one tỷ (`750.000 đồng`), in tỷ above (`1,51 tỷ đồng`). */
export function formatVnd(vnd: Printable): string {
  const v = bigintOf(vnd)
  return (v < 0n ? -v : v) >= BILLION ? `${formatTy(v)} đồng` : `${formatInteger(v)} đồng`
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
