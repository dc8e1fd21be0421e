const OBJECT = /(\d{1,10})\s+(\d{1,5})\s+obj\b/g
const PAGE = /\/Type\s*\/Page(?![A-Za-z])/

/**
 * Pages of a PDF: objects whose dictionary says /Type /Page, counted once per object number
 * (the latest revision wins, as incremental updates redefine objects). Null when none is found
 * in plain objects (pages inside compressed object streams are not read).
 */
export function pdfPageCount(pdf: Buffer): number | null {
  const text = pdf.toString('latin1')
  const pages = new Map<string, boolean>()
  OBJECT.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = OBJECT.exec(text)) !== null) {
    const end = text.indexOf('endobj', OBJECT.lastIndex)
    const stream = text.indexOf('stream', OBJECT.lastIndex)
    const stop = Math.min(end < 0 ? text.length : end, stream < 0 ? text.length : stream, OBJECT.lastIndex + 4096)
    pages.set(`${m[1]} ${m[2]}`, PAGE.test(text.slice(OBJECT.lastIndex, stop)))
  }
  let n = 0
  for (const isPage of pages.values()) if (isPage) n++
  return n === 0 ? null : n
}
