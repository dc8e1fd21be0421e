import { Malformed } from '../lib/errors.ts'

export type Part = { name: string; filename: string | null; contentType: string | null; data: Buffer }

const MAX_PARTS = 8
const MAX_HEADER_BYTES = 8192

/** The boundary parameter of a multipart/form-data Content-Type (RFC 7578, RFC 2046 5.1.1). */
export function boundaryOf(contentType: string | undefined): string {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '')
  const b = m?.[1] ?? m?.[2]
  if (!b) throw new Malformed('The multipart body has no boundary in its Content-Type.')
  return b
}

/**
 * Splits a multipart/form-data body that is already in memory (bounded by the body limit) into
 * its parts. Only what form uploads use: Content-Disposition with a name and optional filename,
 * an optional Content-Type; at most eight parts.
 */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1')
  let pos = body.indexOf(delimiter)
  if (pos < 0) throw new Malformed('The multipart body does not contain its boundary.')
  const parts: Part[] = []
  for (;;) {
    pos += delimiter.length
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw new Malformed('The multipart body is malformed after a boundary.')
    pos += 2
    const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1')
    if (headerEnd < 0 || headerEnd - pos > MAX_HEADER_BYTES) throw new Malformed('A part of the multipart body has no end of headers.')
    const headers = body.subarray(pos, headerEnd).toString('utf8').split('\r\n')
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]), headerEnd + 4)
    if (next < 0) throw new Malformed('The multipart body ends before its closing boundary.')
    let name: string | null = null
    let filename: string | null = null
    let contentType: string | null = null
    for (const h of headers) {
      const [key, ...rest] = h.split(':')
      const value = rest.join(':').trim()
      if (/^content-disposition$/i.test(key.trim())) {
        name = /(?:^|;)\s*name="([^"]*)"/i.exec(value)?.[1] ?? null
        filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? null
      } else if (/^content-type$/i.test(key.trim())) {
        contentType = value.toLowerCase()
      }
    }
    if (name === null) throw new Malformed('A part of the multipart body has no name.')
    if (parts.length >= MAX_PARTS) throw new Malformed(`The multipart body has more than ${MAX_PARTS} parts.`)
    parts.push({ name, filename, contentType, data: body.subarray(headerEnd + 4, next) })
    pos = next + 2
  }
}
