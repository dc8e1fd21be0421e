/**
 * Text PostgreSQL cannot store and no legitimate name, reason or code holds: a NUL character or an unpaired
 * UTF-16 surrogate. Requests are checked for it (src/http/strict-input.ts), and so are the names read from
 * certificates.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why a text is refused, or null when it is fine. */
export function textFault(text: string): string | null {
  if (text.includes('\u0000')) return 'holds a NUL character'
  if (LONE_SURROGATE.test(text)) return 'holds an unpaired UTF-16 surrogate (not valid Unicode text)'
  return null
}
