/** Registering, listing, reading and revoking certificates. */
import { Type, type TSchema } from 'typebox'
import type { FastifyRequest } from 'fastify'
import type { App, RouteDeps } from '../http/types.ts'
import { DER_TYPES, JSON_TYPES, PEM_TYPES, PKCS7_TYPES, mediaType } from '../http/content-types.ts'
import { Cursor, Limit, StringEnum, UnitCode, errors, rawBody } from '../http/schemas.ts'
import { chargeItems } from '../http/write-cost.ts'
import { actorOf } from '../auth/hook.ts'
import { toPem } from '../pki/index.ts'
import { holdsPrivateKey, privateKeyRefusal } from '../upload/private-key.ts'
import type { Upload } from '../upload/read.ts'
import { jsonBatchItems, rawBatchItems, type JsonBatch } from './batch-upload.ts'
import { LIMITS } from './limits.ts'
import { closeUploadPool } from './upload-pool.ts'
import { getCertificate, getCertificateDer, listCertificates } from './query.ts'
import { KINDS, type Device } from './record.ts'
import { revokeCertificate } from './revocation.ts'
import { UploadQuery } from './schemas.ts'
import { registerBatch, registerCertificate, type ItemOptions } from './register.ts'
import { STATUSES } from './status.ts'
import type { Kind } from './subject-mentions.ts'

const pemBody = rawBody('PEM: the certificate, optionally followed by the CA certificates of its chain')
const derBody = rawBody('DER: one certificate')

const CERTIFICATE_TYPES = [...PEM_TYPES, ...DER_TYPES, ...JSON_TYPES]
const BATCH_TYPES = [...PEM_TYPES, ...PKCS7_TYPES, ...JSON_TYPES]
const PEM_ACCEPT = 'application/x-pem-file'
const DER_ACCEPT = 'application/pkix-cert'

function isJson(request: FastifyRequest): boolean {
  return JSON_TYPES.includes(mediaType(request.headers['content-type']))
}

/** A private key anywhere in a JSON body is refused before anything else looks at it. */
async function refusePrivateKeyInJson(request: FastifyRequest): Promise<void> {
  if (isJson(request) && holdsPrivateKey(request.body)) throw privateKeyRefusal()
}

export default async function certificateRoutes(app: App, { db, config }: RouteDeps) {
  app.addHook('onClose', async () => { await closeUploadPool() })
  app.post('/v1/certificates', {
    config: { access: 'registrar', accepts: CERTIFICATE_TYPES },
    preValidation: refusePrivateKeyInJson,
    schema: {
      tags: ['certificates'],
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
    let body: Upload
    let options: ItemOptions
    if (isJson(request)) {
      const json = request.body as { certificate: string; unitCode?: string; kind?: Kind; device?: Device | null }
      body = json.certificate
      options = { unitCode: json.unitCode ?? query.unitCode, kind: json.kind ?? query.kind, device: json.device ?? query.device ?? null }
    } else {
      body = request.body as Upload
      options = { unitCode: query.unitCode, kind: query.kind, device: query.device ?? null }
    }
    const record = await registerCertificate(db, actorOf(request), body, options)
    return reply.code(201).header('location', `/v1/certificates/${record.id}`).send(record)
  })

  app.post('/v1/certificates/batch', {
    config: { access: 'registrar', accepts: BATCH_TYPES },
    schema: {
      tags: ['certificates'],
      summary: 'Register many certificates; each item stands alone',
      description: `Body: PEM with many certificates (\`application/x-pem-file\`), a PKCS#7 bundle (\`application/pkcs7-mime\`, \`application/x-pkcs7-certificates\`, .p7b), or JSON \`{items: [{certificate, unitCode?, kind?, device?}]}\` (at most ${LIMITS.batchItems} items). In PEM and PKCS#7 uploads the CA certificates (basicConstraints cA) serve as chain material for every item and are not items themselves; query parameters unitCode, kind and device apply to every item. Each item is checked as a single upload would be and answers its own status (201, 400, 403, 409, 422) with id, or code, detail and problems, or existingId. A private key anywhere in a PEM upload refuses the whole request (422 private_key_material).\n\nBounds per request: at most ${LIMITS.batchItems} items, ${LIMITS.uploadCaCertificates} CA certificates and ${LIMITS.uploadCertificates} certificates in all, in every format (413 \`payload_too_large\` above, nothing stored); path building over the whole request spends at most ${LIMITS.requestSignatureChecks} signature checks and ${LIMITS.requestPathExpansions} candidate expansions, and the items left when they are spent answer 422 (problem code \`untrusted_issuer\` with reason \`budget_exceeded\`). A batch costs its item count against ${LIMITS.itemsPerWriteUnit} × RATE_LIMIT_WRITES_PER_MINUTE certificate items a minute per token (429 with Retry-After above).`,
      querystring: UploadQuery,
      body: {
        content: {
          'application/json': {
            schema: Type.Object({ items: Type.Array(Type.Ref('CertificateUpload'), { minItems: 1, description: `At most ${LIMITS.batchItems} (413 above)` }) }, { additionalProperties: false }),
          },
          'application/x-pem-file': rawBody('PEM: many certificates'),
          'text/plain': rawBody('PEM: many certificates'),
          'application/pkcs7-mime': rawBody('PKCS#7 certificate bundle (DER)'),
          'application/x-pkcs7-certificates': rawBody('PKCS#7 certificate bundle (DER)'),
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
    const { items, chain } = isJson(request) ? await jsonBatchItems(request.body as JsonBatch, defaults) : await rawBatchItems(request.body as Upload, defaults)
    chargeItems(request, items.length, config.rateLimitWritesPerMinute * LIMITS.itemsPerWriteUnit)
    return { results: await registerBatch(db, actorOf(request), items, chain) }
  })

  app.get('/v1/certificates', {
    config: { access: 'viewer' },
    schema: {
      tags: ['certificates'],
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
      tags: ['certificates'],
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
      tags: ['certificates'],
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
}
