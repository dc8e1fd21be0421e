import { Type, type TSchema } from 'typebox'
import type { FastifyRequest } from 'fastify'
import type { App, RouteDeps } from '../http/types.ts'
import { DER_TYPES, JSON_TYPES, PEM_TYPES, PKCS7_TYPES, CRL_TYPES, mediaType } from '../http/content-types.ts'
import { Cursor, Limit, StringEnum, UnitCode, errors } from '../http/schemas.ts'
import { HttpProblem, malformed } from '../http/problem.ts'
import { actorOf } from '../auth/hook.ts'
import { toPem, type Certificate } from '../pki/index.ts'
import { STATUSES } from './status.ts'
import {
  DEVICES, KINDS, MAX_BATCH_ITEMS, getCertificate, getCertificateDer, listCertificates, readItem, registerBatch,
  registerCertificate, type Device, type ItemInput,
} from './service.ts'
import { revokeCertificate } from './revocation.ts'
import { importCrl } from './crl-service.ts'
import type { Kind } from './match.ts'
import { caSchemas } from './trust-routes.ts'
import { LIMITS } from './limits.ts'
import { closeChainPool } from './chain-pool.ts'
import { chargeItems } from '../http/write-cost.ts'

const secured = { security: [{ bearerAuth: [] }] }

const Problem = Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true })

const CertificateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fingerprintSha256: Type.String({ description: 'SHA-256 of the DER, lowercase hex' }),
  serialNumber: Type.String({ description: 'Lowercase hex' }),
  subject: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
    description: 'Decoded subject attributes (CN, O, OU, L, ST, C, …), NFC; an array where an attribute repeats',
  }),
  subjectDn: Type.String({ description: 'RFC 4514 string' }),
  issuerDn: Type.String({ description: 'RFC 4514 string' }),
  device: Type.Union([StringEnum(DEVICES), Type.Null()], { description: 'Where the key lives: token, sim, remote (signing server) or other' }),
  notBefore: Type.String({ format: 'date-time' }),
  notAfter: Type.String({ format: 'date-time' }),
  unitCode: Type.String({ description: 'GSO code of the commune-level unit' }),
  kind: StringEnum(KINDS),
  status: StringEnum(STATUSES, { description: 'At the moment of the request: revoked from revokedAt on, else not_yet_valid / valid / expired by [notBefore, notAfter)' }),
  keyAlgorithm: Type.String({ description: 'RSA or EC' }),
  keySize: Type.Integer(),
  signatureAlgorithm: Type.String(),
  matchedBy: StringEnum(['explicit', 'subject'] as const, { description: 'explicit: unitCode was given; subject: found from the subject' }),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: 'Accepted, but said: e.g. weak_signature_algorithm for SHA-1' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revocationReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'Certificate', description: 'A recorded certificate of a People\'s Committee (or of a person working for one).' })

const CertificateUpload = Type.Object({
  certificate: Type.String({ minLength: 1, maxLength: 500_000, description: 'PEM (leaf first, optionally followed by its chain CA certificates) or base64 DER' }),
  unitCode: Type.Optional(UnitCode('The commune-level unit; without it the unit is found from the subject')),
  kind: Type.Optional(StringEnum(KINDS, { description: 'Default organization' })),
  device: Type.Optional(Type.Union([StringEnum(DEVICES), Type.Null()])),
}, { $id: 'CertificateUpload', additionalProperties: false })

const BatchResult = Type.Object({
  index: Type.Integer({ description: 'JSON: position in items. PEM/PKCS#7: position of the certificate in the upload, CA certificates counted (they serve as chain and get no result).' }),
  status: Type.Integer({ description: '201 recorded, 400 malformed, 403 out of scope, 409 duplicate, 422 refused' }),
  id: Type.Optional(Type.String()),
  unitCode: Type.Optional(Type.String({ description: '201: the commune-level unit the certificate was recorded for' })),
  unitName: Type.Optional(Type.String({ description: '201: that unit\'s name on the certificate\'s notBefore' })),
  matchedBy: Type.Optional(StringEnum(['explicit', 'subject'] as const, { description: '201: how the unit was found' })),
  warnings: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: '201: accepted, but said (e.g. former_unit_named)' })),
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Problem)),
  existingId: Type.Optional(Type.String()),
}, { $id: 'BatchResult' })

export const certificateSchemas: TSchema[] = [CertificateSchema, CertificateUpload, BatchResult, ...caSchemas]

const UploadQuery = Type.Object({
  unitCode: Type.Optional(UnitCode('For raw bodies: the commune-level unit; without it the unit is found from the subject')),
  kind: Type.Optional(StringEnum(KINDS, { description: 'For raw bodies; default organization' })),
  device: Type.Optional(StringEnum(DEVICES, { description: 'For raw bodies' })),
}, { additionalProperties: false })

const raw = (description: string) => ({ schema: Type.Unsafe<unknown>({ description }) })
const pemBody = raw('PEM: the certificate, optionally followed by the CA certificates of its chain')
const derBody = raw('DER: one certificate')

const CERTIFICATE_TYPES = [...PEM_TYPES, ...DER_TYPES, ...JSON_TYPES]
const BATCH_TYPES = [...PEM_TYPES, ...PKCS7_TYPES, ...JSON_TYPES]
const CRL_UPLOAD_TYPES = [...PEM_TYPES, ...CRL_TYPES, ...DER_TYPES]
const PEM_ACCEPT = 'application/x-pem-file'
const DER_ACCEPT = 'application/pkix-cert'

function isJson(request: FastifyRequest): boolean {
  return JSON_TYPES.includes(mediaType(request.headers['content-type']))
}

/** Finds a private key anywhere in a JSON body, so that it is refused before anything else looks at it. */
function holdsPrivateKey(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)
  if (depth > 5 || value === null || typeof value !== 'object') return false
  return Object.values(value as Record<string, unknown>).some((v) => holdsPrivateKey(v, depth + 1))
}

async function refusePrivateKeyInJson(request: FastifyRequest): Promise<void> {
  if (isJson(request) && holdsPrivateKey(request.body)) {
    throw new HttpProblem(422, 'private_key_material', 'The upload contains a private key. A private key must never leave its token or signing server; nothing was stored or logged. Send the certificate alone.')
  }
}

type RawBody = Buffer | string | undefined

/** Splits a PEM batch into its armoured blocks (text between blocks is ignored, as PEM allows). */
function pemBlocks(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 #]+)-----[\s\S]*?(?:-----END \1-----|$)/g)].map((m) => m[0])
}

/** The items of a raw batch (PEM or PKCS#7): each non-CA certificate; CA certificates become shared chain. */
function rawBatchItems(body: RawBody, options: Omit<ItemInput, 'certs'>): { items: (ItemInput & { index: number })[]; chain: Certificate[] } {
  if (body === undefined || body.length === 0) throw malformed('The body is empty; send certificates.')
  let pieces: (Certificate[] | HttpProblem)[]
  if (typeof body === 'string') {
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(body)) {
      throw new HttpProblem(422, 'private_key_material', 'The upload contains a private key. A private key must never leave its token or signing server; nothing was stored or logged.')
    }
    // Counted before anything is decoded: the cap bounds the parsing too.
    const begins = body.split('-----BEGIN ').length - 1
    if (begins > LIMITS.uploadCertificates) throw tooMany(`${begins} PEM blocks`)
    const blocks = pemBlocks(body)
    if (!blocks.length) throw malformed('The body holds no PEM block; send PEM certificates (-----BEGIN CERTIFICATE-----).')
    pieces = blocks.map((b) => readItem(b))
  } else {
    const all = readItem(body)
    if (all instanceof HttpProblem) throw all
    pieces = [all]
  }
  const items: (ItemInput & { index: number })[] = []
  const chain: Certificate[] = []
  let index = 0
  for (const piece of pieces) {
    if (piece instanceof HttpProblem) {
      if (piece.code === 'private_key_material') throw piece
      items.push({ index: index++, certs: piece, ...options })
      continue
    }
    for (const cert of piece) {
      if (cert.basicConstraints?.cA) chain.push(cert)
      else items.push({ index, certs: [cert], ...options })
      index++
    }
  }
  const total = items.length + chain.length
  if (total > LIMITS.uploadCertificates) throw tooMany(`${total} certificates`)
  if (items.length > LIMITS.batchItems) throw tooMany(`${items.length} items`)
  if (chain.length > LIMITS.uploadCaCertificates) throw tooMany(`${chain.length} CA certificates`)
  return { items, chain }
}

function tooMany(what: string): HttpProblem {
  return new HttpProblem(413, 'payload_too_large', `The upload holds ${what}. One batch is read up to ${LIMITS.batchItems} items, ${LIMITS.uploadCaCertificates} CA certificates and ${LIMITS.uploadCertificates} certificates in all; send it in smaller batches. Nothing was stored.`)
}

export default async function certificateRoutes(app: App, { db, config }: RouteDeps) {
  app.addHook('onClose', async () => { await closeChainPool() })
  app.post('/v1/certificates', {
    config: { access: 'registrar', accepts: CERTIFICATE_TYPES },
    preValidation: refusePrivateKeyInJson,
    schema: {
      tags: ['certificates'], ...secured,
      summary: 'Register a certificate',
      description: [
        'Body: PEM (`application/x-pem-file` or `text/plain`: the certificate, optionally followed by the CA certificates of its chain), DER (`application/pkix-cert`), or JSON `{certificate, unitCode?, kind?, device?}` where `certificate` is PEM or base64 DER. Query parameters `unitCode`, `kind`, `device` serve the raw bodies.',
        'The chain is built from the trust anchors, the registered intermediates and the CA certificates sent along, and checked at the leaf\'s notBefore. Without `unitCode` the commune-level unit is found from the subject (CN, O, OU, L, ST; for kind `individual` not from CN), names compared regardless of case, diacritics, tone-mark placement and Unicode form, the unit-type word and a leading `Ủy ban nhân dân`/`UBND` ignored, a district or province named in the subject telling same-named communes apart; only units that existed on the day of notBefore count. An explicit `unitCode` must name a commune-level unit.',
        `At most ${1 + LIMITS.uploadCaCertificates} certificates in one upload (the certificate and the CA certificates of its chain; 413 \`payload_too_large\` above).`,
        'Refusals store nothing: 400 `malformed` (not a certificate: random bytes, CSR, CRL, empty), 422 `private_key_material`, 422 `unprocessable` with `problems` (codes untrusted_issuer — with the verifier\'s detailed `reason` when the chain fails for another cause such as an expired CA or path length —, bad_signature, ca_certificate, key_usage, weak_key, weak_signature_algorithm (MD5, MD2), unsupported_algorithm, unit_not_found, unit_ambiguous (with `candidates`), revoked (on an imported CRL)), 403 `forbidden` (the unit is outside the registrar\'s scope), 409 `duplicate` with `existingId`. A SHA-1 signature is accepted with the warning weak_signature_algorithm; an expired but properly issued certificate is accepted with status expired.',
      ].join('\n\n'),
      querystring: UploadQuery,
      body: {
        content: {
          'application/json': { schema: Type.Ref('CertificateUpload') },
          'application/x-pem-file': pemBody,
          'text/plain': pemBody,
          'application/pkix-cert': derBody,
        },
      } as unknown as TSchema,
      response: { 201: Type.Ref('Certificate'), ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503) },
    },
  }, async (request, reply) => {
    const query = request.query
    let body: RawBody
    let options: Omit<ItemInput, 'certs'>
    if (isJson(request)) {
      const json = request.body as { certificate: string; unitCode?: string; kind?: Kind; device?: Device | null }
      body = json.certificate
      options = { unitCode: json.unitCode ?? query.unitCode, kind: json.kind ?? query.kind, device: json.device ?? query.device ?? null }
    } else {
      body = request.body as RawBody
      options = { unitCode: query.unitCode, kind: query.kind, device: query.device ?? null }
    }
    const record = await registerCertificate(db, actorOf(request), body, options)
    return reply.code(201).header('location', `/v1/certificates/${record.id}`).send(record)
  })

  app.post('/v1/certificates/batch', {
    config: { access: 'registrar', accepts: BATCH_TYPES },
    schema: {
      tags: ['certificates'], ...secured,
      summary: 'Register many certificates; each item stands alone',
      description: `Body: PEM with many certificates (\`application/x-pem-file\`), a PKCS#7 bundle (\`application/pkcs7-mime\`, \`application/x-pkcs7-certificates\`, .p7b), or JSON \`{items: [{certificate, unitCode?, kind?, device?}]}\` (at most ${MAX_BATCH_ITEMS} items). In PEM and PKCS#7 uploads the CA certificates (basicConstraints cA) serve as chain material for every item and are not items themselves; query parameters unitCode, kind and device apply to every item. Each item is checked as a single upload would be and answers its own status (201, 400, 403, 409, 422) with id, or code, detail and problems, or existingId. A private key anywhere in a PEM upload refuses the whole request (422 private_key_material).\n\nBounds per request: at most ${LIMITS.batchItems} items, ${LIMITS.uploadCaCertificates} CA certificates and ${LIMITS.uploadCertificates} certificates in all, in every format (413 \`payload_too_large\` above, nothing stored); path building over the whole request spends at most ${LIMITS.requestSignatureChecks} signature checks and ${LIMITS.requestPathExpansions} candidate expansions, and the items left when they are spent answer 422 (problem code \`untrusted_issuer\` with reason \`budget_exceeded\`). A batch costs its item count against ${LIMITS.itemsPerWriteUnit} × RATE_LIMIT_WRITES_PER_MINUTE certificate items a minute per token (429 with Retry-After above).`,
      querystring: UploadQuery,
      body: {
        content: {
          'application/json': {
            schema: Type.Object({ items: Type.Array(Type.Ref('CertificateUpload'), { minItems: 1, description: `At most ${MAX_BATCH_ITEMS} (413 above)` }) }, { additionalProperties: false }),
          },
          'application/x-pem-file': raw('PEM: many certificates'),
          'text/plain': raw('PEM: many certificates'),
          'application/pkcs7-mime': raw('PKCS#7 certificate bundle (DER)'),
          'application/x-pkcs7-certificates': raw('PKCS#7 certificate bundle (DER)'),
        },
      } as unknown as TSchema,
      response: {
        200: Type.Object({ results: Type.Array(Type.Ref('BatchResult')) }),
        ...errors(400, 401, 403, 413, 415, 422, 429, 503),
      },
    },
  }, async (request) => {
    const query = request.query
    const defaults = { unitCode: query.unitCode, kind: query.kind, device: query.device ?? null }
    if (isJson(request)) {
      const json = request.body as { items: { certificate: string; unitCode?: string; kind?: Kind; device?: Device | null }[] }
      if (json.items.length > LIMITS.batchItems) throw tooMany(`${json.items.length} items`)
      const items = json.items.map((item, index) => ({
        index,
        certs: readItem(item.certificate),
        unitCode: item.unitCode ?? defaults.unitCode,
        kind: item.kind ?? defaults.kind,
        device: item.device ?? defaults.device,
      }))
      const certificates = items.reduce((n, i) => n + (Array.isArray(i.certs) ? i.certs.length : 1), 0)
      if (certificates > LIMITS.uploadCertificates) throw tooMany(`${certificates} certificates`)
      chargeItems(request, items.length, config.rateLimitWritesPerMinute * LIMITS.itemsPerWriteUnit)
      return { results: await registerBatch(db, actorOf(request), items) }
    }
    const { items, chain } = rawBatchItems(request.body as RawBody, defaults)
    chargeItems(request, items.length, config.rateLimitWritesPerMinute * LIMITS.itemsPerWriteUnit)
    return { results: await registerBatch(db, actorOf(request), items, chain) }
  })

  app.get('/v1/certificates', {
    config: { access: 'viewer' },
    schema: {
      tags: ['certificates'], ...secured,
      summary: 'List certificates, newest first',
      description: '`unitCode` selects the unit and every unit under it (a district or province code works); `status` is computed for the moment of the request; `expiringBefore` (a day, meaning its start in Vietnam time, or a timestamp) keeps certificates whose notAfter is earlier; `q` searches the subject regardless of case and diacritics. Pages follow `nextCursor`.',
      querystring: Type.Object({
        unitCode: Type.Optional(UnitCode('Only certificates of this unit or of units under it')),
        kind: Type.Optional(StringEnum(KINDS)),
        status: Type.Optional(StringEnum(STATUSES)),
        expiringBefore: Type.Optional(Type.String({ maxLength: 40, description: 'YYYY-MM-DD or an ISO 8601 timestamp' })),
        q: Type.Optional(Type.String({ maxLength: 200, description: 'Part of the subject' })),
        limit: Limit(500, 50),
        cursor: Cursor,
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Ref('Certificate')), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        ...errors(400, 401, 403, 429, 503),
      },
    },
  }, async (request) => {
    const { limit = 50, ...rest } = request.query
    return listCertificates(db, { ...rest, limit })
  })

  app.get('/v1/certificates/:id', {
    config: { access: 'viewer' },
    schema: {
      tags: ['certificates'], ...secured,
      summary: 'One certificate (JSON, or PEM with Accept: application/x-pem-file)',
      description: 'JSON by default; `Accept: application/x-pem-file` gives the certificate as PEM, `Accept: application/pkix-cert` as DER. An unknown id (or one that is not a UUID) answers 404.',
      params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
      response: {
        200: {
          description: 'The certificate',
          content: {
            'application/json': { schema: Type.Ref('Certificate') },
            [PEM_ACCEPT]: { schema: Type.String({ description: 'PEM' }) },
            [DER_ACCEPT]: { schema: Type.Unsafe<unknown>({ description: 'DER' }) },
          },
        },
        ...errors(401, 403, 404, 429, 503),
      },
    },
  }, async (request, reply) => {
    const accept = (request.headers.accept ?? '').toLowerCase()
    if (accept.includes(PEM_ACCEPT)) return reply.type(PEM_ACCEPT).send(toPem(await getCertificateDer(db, request.params.id)))
    if (accept.includes(DER_ACCEPT)) return reply.type(DER_ACCEPT).send(await getCertificateDer(db, request.params.id))
    return reply.type('application/json; charset=utf-8').send(await getCertificate(db, request.params.id))
  })

  app.post('/v1/certificates/:id/revocation', {
    config: { access: 'registrar', accepts: JSON_TYPES },
    schema: {
      tags: ['certificates'], ...secured,
      summary: 'Revoke a recorded certificate',
      description: 'Status is `revoked` from `revokedAt` on (default: now). `revokedAt` is a full ISO 8601 timestamp with its offset, or a day YYYY-MM-DD meaning its start in Vietnam time; it must lie between the certificate\'s notBefore and now (else 422 with problem code `revocation_date`: a planned revocation is not one yet). The unit must be in the caller\'s scope (else 403). A certificate already revoked answers 409 `duplicate` with `existingId` (its own id) and is not changed, unless the caller is an admin: an admin\'s request replaces the revocation date and reason (a correction, audited as `certificate.revocation_corrected` with the values it replaced). An imported CRL can still move a revocation date earlier.',
      params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
      body: Type.Object({
        revokedAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 timestamp or YYYY-MM-DD' })),
        reason: Type.Optional(Type.String({ maxLength: 200, description: 'e.g. keyCompromise, cessationOfOperation, superseded, or plain words' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref('Certificate'), ...errors(400, 401, 403, 404, 409, 415, 422, 429, 503) },
    },
  }, async (request) => revokeCertificate(db, actorOf(request), request.params.id, request.body ?? {}))

  app.post('/v1/crls', {
    config: { access: 'registrar', accepts: CRL_UPLOAD_TYPES },
    schema: {
      tags: ['certificates'], ...secured,
      summary: 'Import a certificate revocation list',
      description: 'Body: a CRL as PEM (`application/x-pem-file`, X509 CRL block) or DER (`application/pkix-crl`). It must be signed by a trust anchor or registered intermediate whose subject is the CRL issuer: else 422 `untrusted_issuer`, or 422 `bad_signature` when the signature does not verify. Its entries are kept, so that a certificate on it is refused (revoked) if registered later; recorded certificates on it are revoked from their revocation date (an earlier date replaces a later one). `entries` counts the list\'s entries, `matched` the recorded certificates on it, `revoked` those this import revoked or moved earlier. Only certificates in the caller\'s scope are revoked: the others on the list are counted in `outOfScope` and listed (the first 100) in `outOfScopeCertificates`, for a registrar of their province to import the same list; the entries are kept either way, so that none of them can be registered later.',
      body: {
        content: {
          'application/x-pem-file': raw('PEM (X509 CRL)'),
          'text/plain': raw('PEM (X509 CRL)'),
          'application/pkix-crl': raw('DER'),
        },
      } as unknown as TSchema,
      response: {
        200: Type.Object({
          id: Type.String(),
          issuerDn: Type.String(),
          thisUpdate: Type.String({ format: 'date-time' }),
          nextUpdate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          entries: Type.Integer(),
          matched: Type.Integer(),
          revoked: Type.Integer(),
          outOfScope: Type.Integer({ description: 'Recorded certificates on the list outside the caller\'s scope: not revoked by this import' }),
          outOfScopeCertificates: Type.Array(Type.Object({ id: Type.String(), unitCode: Type.String(), serialNumber: Type.String() }), { description: 'The first 100 of them' }),
        }),
        ...errors(400, 401, 403, 413, 415, 422, 429, 503),
      },
    },
  }, async (request) => importCrl(db, actorOf(request), request.body as RawBody))
}
