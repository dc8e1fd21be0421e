import { Type, type TSchema } from 'typebox'
import type { FastifyRequest } from 'fastify'
import type { App, RouteDeps } from '../http/types.ts'
import { bodyBytes, mediaType } from '../http/content-types.ts'
import { Cursor, Limit, MonthString, UnitCode, errors } from '../http/schemas.ts'
import { Malformed, Unprocessable } from '../lib/errors.ts'
import { codesIn } from '../lib/problem-codes.ts'
import { actorOf } from '../auth/hook.ts'
import { PkiInputError } from '../pki/errors.ts'
import { MAX_PDF_SIGNATURES, TooManySignatures } from '../pki/pdf/signatures.ts'
import { MAX_SIGNERS } from '../pki/cms/signed-data.ts'
import { closeVerifyPool, type VerifyTask } from './verify-pool.ts'
import { boundaryOf, parseMultipart } from './multipart.ts'
import { listDocuments, submitDocument } from './service.ts'

const PDF_TYPES = ['application/pdf']
const MULTIPART_TYPES = ['multipart/form-data']
const DOCUMENT_TYPES = [...PDF_TYPES, 'application/pkcs7-mime', ...MULTIPART_TYPES, 'application/octet-stream']

const Problem = Type.Object({ code: Type.String(), message: Type.String() })

const SignatureSchema = Type.Object({
  ok: Type.Boolean({ description: 'Signature, signed attributes, digest, chain to a registered trust anchor and revocation all check out at the time of signing' }),
  signer: Type.Union([Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])), Type.Null()], { description: 'Subject of the signer\'s certificate (CN, O, L, ST, …)' }),
  certificateId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The recorded certificate that signed, if it is recorded' }),
  unitCode: Type.Union([Type.String(), Type.Null()], { description: 'The commune of that recorded certificate' }),
  signingTime: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'The time the chain was checked at: the timestamp\'s, else the claimed signing time' }),
  timeSource: Type.Union([Type.Literal('timestamp'), Type.Literal('signingTime'), Type.Literal('none')], { description: 'timestamp: a verified RFC 3161 signature timestamp; signingTime: the signer\'s claim (CMS signingTime, or the PDF /M); none: no time, checked at the time of the request' }),
  coversWholeDocument: Type.Boolean({ description: 'PDF: the byte ranges cover the whole file but the signature itself; false when the file was changed (incremental update) after this signature' }),
  problems: Type.Array(Problem, { description: `Why ok is false: ${codesIn('document').join(', ')}, or another code of the signer's chain (expired, path_length_exceeded, …)` }),
  warnings: Type.Array(Problem, { description: `Accepted, but said: ${codesIn('document warning').join(', ')}` }),
}, { $id: 'DocumentSignature' })

const DocumentAnswerSchema = Type.Object({
  sha256: Type.String({ description: 'SHA-256 of the document (the PDF; the content of an attached CMS; the document sent with a detached one), lowercase hex' }),
  counted: Type.Boolean({ description: 'The document counts as verified activity of a commune (now or by an earlier upload of it)' }),
  unitCode: Type.Union([Type.String(), Type.Null()]),
  month: Type.Union([Type.String({ description: 'YYYY-MM, month of signing in Vietnam time' }), Type.Null()]),
  signatures: Type.Array(Type.Ref('DocumentSignature')),
}, { $id: 'DocumentVerification' })

const DocumentRecordSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  sha256: Type.String(),
  kind: Type.String({ description: 'pdf, attached or detached' }),
  size: Type.Integer({ description: 'Bytes of the document' }),
  pageCount: Type.Union([Type.Integer(), Type.Null()]),
  unitCode: Type.String(),
  month: Type.String(),
  certificateId: Type.String({ format: 'uuid' }),
  signingTime: Type.String({ format: 'date-time' }),
  timeSource: Type.String(),
  signatures: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'What was found about each signature: signer, certificate, unit, time, coverage, algorithm, problem codes' }),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'CountedDocument' })

export const documentSchemas: TSchema[] = [SignatureSchema, DocumentAnswerSchema, DocumentRecordSchema]

const isPdfBytes = (b: Buffer) => b.subarray(0, 1024).includes('%PDF-')

/** The document as the verifier takes it, from whichever body form was sent. */
function documentOf(request: FastifyRequest): VerifyTask['document'] {
  const type = mediaType(request.headers['content-type'])
  const body = bodyBytes(request.body)
  if (body.length === 0) throw new Malformed('The body is empty; send a signed document.')
  if (MULTIPART_TYPES.includes(type)) {
    const parts = parseMultipart(body, boundaryOf(request.headers['content-type']))
    const doc = parts.filter((p) => p.name === 'document')
    const sig = parts.filter((p) => p.name === 'signature')
    if (doc.length !== 1 || sig.length !== 1) throw new Malformed('A multipart upload needs exactly one field "document" and one field "signature" (a detached CMS, DER or PEM).')
    if (doc[0].data.length === 0 || sig[0].data.length === 0) throw new Malformed('The document or the signature is empty.')
    return { kind: 'detached', document: doc[0].data, signature: sig[0].data }
  }
  if (PDF_TYPES.includes(type) || (type === 'application/octet-stream' && isPdfBytes(body))) return { kind: 'pdf', bytes: body }
  return { kind: 'attached', bytes: body }
}

export default async function documentRoutes(app: App, { db }: RouteDeps) {
  app.addContentTypeParser([...PDF_TYPES, ...MULTIPART_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  app.addHook('onClose', async () => { await closeVerifyPool() })

  app.post('/v1/documents', {
    config: { access: 'registrar', accepts: DOCUMENT_TYPES },
    schema: {
      tags: ['documents'],
      summary: 'Verify the signatures of a signed document, and count it as verified activity',
      description: `Registrar or admin. Body: a signed PDF (\`application/pdf\`), an attached CMS (\`application/pkcs7-mime\`, a .p7m, DER or PEM), or \`multipart/form-data\` with the fields \`document\` and \`signature\` (a detached .p7s, DER or PEM). \`application/octet-stream\` is read as a PDF when it starts like one, else as an attached CMS.

Every signature is checked (for a PDF: every signature dictionary, those of earlier revisions included; subfilters adbe.pkcs7.detached and ETSI.CAdES.detached): the digest over the signed bytes, the signed attributes (content type, message digest, signing time, ESS signing certificate), the signature with RSA PKCS#1 v1.5, RSASSA-PSS or ECDSA, an RFC 3161 signature timestamp when present (against its own chain to a registered trust anchor, with the timeStamping purpose), and the signer's chain to a registered trust anchor and revocation (recorded revocations, imported CRLs) at the time of signing: the timestamp's time, else the claimed signing time, else the time of the request.

A document verified with a recorded organisation certificate of a commune (within a registrar's scope) counts once, by SHA-256, as verified activity of that commune in the month of signing (Vietnam time); a copy whose signed bytes are the same (re-padded or re-wrapped) counts no more. The document is never stored or logged: only its hashes, size, page count and the facts above.

Bounds: the body limit (BODY_LIMIT, 413 above it), at most ${MAX_PDF_SIGNATURES} signatures per PDF and ${MAX_SIGNERS} signers per CMS (422 \`too_many_signatures\`); verification runs in a pool of worker threads (503 \`unavailable\` when too many documents wait). A body that is not a signed document: 400 \`malformed\`.`,
      security: [{ bearerAuth: [] }],
      consumes: DOCUMENT_TYPES,
      body: Type.Unsafe<Buffer>({ description: 'The signed document' }),
      response: { 200: Type.Ref('DocumentVerification'), ...errors(400, 401, 403, 413, 415, 422, 429, 503) },
    },
  }, async (request) => {
    const document = documentOf(request)
    try {
      return await submitDocument(db, actorOf(request), document)
    } catch (e) {
      if (e instanceof TooManySignatures) throw new Unprocessable(e.message, undefined, 'too_many_signatures')
      if (e instanceof PkiInputError) throw new Malformed(e.message.startsWith('The ') ? e.message : `The document cannot be read: ${e.message}`)
      throw e
    }
  })

  app.get('/v1/documents', {
    config: { access: 'viewer' },
    schema: {
      tags: ['documents'],
      summary: 'Documents counted as verified activity',
      description: 'Viewer, registrar or admin. Newest first. `unitCode` may name a commune, or a district or province to list the documents of the communes under it; `month` (YYYY-MM) is the month of signing.',
      security: [{ bearerAuth: [] }],
      querystring: Type.Object({
        unitCode: Type.Optional(UnitCode()),
        month: Type.Optional(MonthString('Month of signing')),
        limit: Limit(500, 50),
        cursor: Cursor,
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('CountedDocument')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errors(400, 401, 403, 503) },
    },
  }, async (request) => {
    const q = request.query
    return listDocuments(db, { unitCode: q.unitCode, month: q.month, limit: q.limit ?? 50, cursor: q.cursor })
  })
}
