import { PkiInputError, malformed } from '../errors.ts'

export type PdfSignature = {
  /** Offsets as the signature dictionary states them: [start, length, start, length]. */
  byteRange: [number, number, number, number]
  /** The /Contents string decoded from hex: a DER CMS, usually followed by zero padding. */
  contents: Buffer
  subFilter: string | null
  /** /M, the time the signing software claims (not signed itself). */
  claimedTime: Date | null
  /** The bytes the signature covers: both ranges, concatenated. */
  signedBytes: Buffer
  /** The ranges start at byte 0 and end at the end of the file, leaving out only /Contents. */
  coversWholeDocument: boolean
}

/** Most signatures read from one PDF (a People's Committee document carries two: head and committee). */
export const MAX_PDF_SIGNATURES = 16

export class TooManySignatures extends PkiInputError {}

const BYTE_RANGE = /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/
const HEX = /^<[0-9A-Fa-f\s]*>$/

export function isPdf(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 1024).toString('latin1')
  return head.includes('%PDF-')
}

/** PDF date D:YYYYMMDDHHmmSSOHH'mm' (fields after the year optional); null when it cannot be read. */
export function pdfDate(text: string): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?$/.exec(text.trim())
  if (!m) return null
  const [y, mo, d, h, mi, s] = [m[1], m[2] ?? '01', m[3] ?? '01', m[4] ?? '00', m[5] ?? '00', m[6] ?? '00'].map(Number)
  let t = Date.UTC(y, mo - 1, d, h, mi, s)
  if (m[8]) t -= (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10] ?? 0)) * 60_000
  const date = new Date(t)
  return Number.isNaN(t) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 ? null : date
}

/** The text of the object around `at`, with the /Contents string [from, to) left out. Works on the buffer: files are large. */
function dictionaryAround(pdf: Buffer, at: number, from: number, to: number): string {
  const lo = Math.max(0, pdf.lastIndexOf('obj', at, 'latin1'), at - 65_536)
  const afterContents = to > at && to - at < 16 * 1024 * 1024 ? to : at
  let hi = pdf.indexOf('endobj', afterContents, 'latin1')
  if (hi < 0 || hi - afterContents > 65_536) hi = Math.min(pdf.length, afterContents + 65_536)
  if (from >= lo && to <= hi) return pdf.toString('latin1', lo, from) + pdf.toString('latin1', to, hi)
  return pdf.toString('latin1', lo, hi)
}

/**
 * Every signature dictionary of a PDF, in file order, found by its /ByteRange: incremental
 * updates keep earlier revisions in the file, so the signatures of all of them are found.
 * The gap between the two ranges must be exactly the hex string /Contents, or the
 * signature would leave unsigned bytes that are not the signature itself.
 */
export function findPdfSignatures(pdf: Buffer): PdfSignature[] {
  const seen = new Set<string>()
  const out: PdfSignature[] = []
  for (let at = pdf.indexOf('/ByteRange', 0, 'latin1'); at >= 0; at = pdf.indexOf('/ByteRange', at + 10, 'latin1')) {
    const m = BYTE_RANGE.exec(pdf.toString('latin1', at, Math.min(pdf.length, at + 128)))
    if (!m) continue
    const r = [m[1], m[2], m[3], m[4]].map(Number) as PdfSignature['byteRange']
    const key = r.join(' ')
    if (seen.has(key)) continue
    seen.add(key)
    if (out.length >= MAX_PDF_SIGNATURES) throw new TooManySignatures('malformed', `The PDF has more than ${MAX_PDF_SIGNATURES} signatures; at most ${MAX_PDF_SIGNATURES} are checked per file.`)
    const [a, b, c, d] = r
    if (a !== 0 || b <= 0 || c <= b + 1 || c + d > pdf.length) throw malformed(`A signature of the PDF has a byte range (${key}) that does not fit the file.`)
    const hex = pdf.toString('latin1', b, c)
    if (!HEX.test(hex)) throw malformed(`A signature of the PDF has a byte range (${key}) whose gap is not its /Contents string.`)
    const contents = Buffer.from(hex.slice(1, -1).replace(/\s+/g, ''), 'hex')
    const dict = dictionaryAround(pdf, at, b, c)
    const subFilter = /\/SubFilter\s*\/([^\s/<>[\]()]+)/.exec(dict)?.[1] ?? null
    const when = /\/M\s*\((D:[^)]{0,40})\)/.exec(dict)?.[1]
    out.push({
      byteRange: r,
      contents,
      subFilter,
      claimedTime: when ? pdfDate(when) : null,
      signedBytes: Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]),
      coversWholeDocument: c + d === pdf.length,
    })
  }
  return out
}
