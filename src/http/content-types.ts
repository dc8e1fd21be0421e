import type { FastifyInstance } from 'fastify'
import { HttpProblem } from './problem.ts'

export const PEM_TYPES = ['application/x-pem-file', 'text/plain']
export const DER_TYPES = ['application/pkix-cert', 'application/x-x509-ca-cert', 'application/octet-stream']
export const PKCS7_TYPES = ['application/pkcs7-mime', 'application/x-pkcs7-certificates', 'application/pkcs7-signature']
export const CRL_TYPES = ['application/pkix-crl', 'application/x-pkcs7-crl']
export const CSV_TYPES = ['text/csv']
export const JSON_TYPES = ['application/json']

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types this route accepts as its body; others get 415. */
    accepts?: string[]
  }
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase()
}

/**
 * Raw uploads: PEM arrives as text, everything binary (DER, PKCS#7, CRL) and CSV as a Buffer,
 * so that CSV can be checked for valid UTF-8 instead of being decoded with replacement characters.
 */
export function registerContentTypes(app: FastifyInstance): void {
  app.addContentTypeParser(PEM_TYPES, { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.addContentTypeParser([...DER_TYPES, ...PKCS7_TYPES, ...CRL_TYPES, ...CSV_TYPES], { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body))

  app.addHook('preValidation', async (request) => {
    const accepts = request.routeOptions.config?.accepts
    if (!accepts || request.body === undefined) return
    const type = mediaType(request.headers['content-type'])
    if (!accepts.includes(type)) {
      throw new HttpProblem(415, 'unsupported_media_type', `Content-Type ${JSON.stringify(type)} is not accepted here; send one of ${accepts.join(', ')}.`)
    }
  })
}

/** The body as bytes, whatever parser read it. */
export function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  return Buffer.alloc(0)
}
