import { Type, type TSchema } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { CRL_TYPES, DER_TYPES, PEM_TYPES } from '../http/content-types.ts'
import { errors, rawBody } from '../http/schemas.ts'
import { actorOf } from '../auth/hook.ts'
import type { Upload } from '../upload/read.ts'
import { importCrl } from './service.ts'

const CRL_UPLOAD_TYPES = [...PEM_TYPES, ...CRL_TYPES, ...DER_TYPES]

export default async function crlRoutes(app: App, { db }: RouteDeps) {
  app.post('/v1/crls', {
    config: { access: 'registrar', accepts: CRL_UPLOAD_TYPES },
    schema: {
      tags: ['certificates'],
      summary: 'Import a certificate revocation list',
      description: 'Body: a CRL as PEM (`application/x-pem-file`, X509 CRL block) or DER (`application/pkix-crl`). It must be signed by a trust anchor or registered intermediate whose subject is the CRL issuer: else 422 `untrusted_issuer`, or 422 `bad_signature` when the signature does not verify. Its entries are kept, so that a certificate on it is refused (revoked) if registered later; recorded certificates on it are revoked from their revocation date (an earlier date replaces a later one). `entries` counts the list\'s entries, `matched` the recorded certificates on it, `revoked` those this import revoked or moved earlier. Only certificates in the caller\'s scope are revoked: the others on the list are counted in `outOfScope` and listed (the first 100) in `outOfScopeCertificates`, for a registrar of their province to import the same list; the entries are kept either way, so that none of them can be registered later.',
      body: {
        content: {
          'application/x-pem-file': rawBody('PEM (X509 CRL)'),
          'text/plain': rawBody('PEM (X509 CRL)'),
          'application/pkix-crl': rawBody('DER'),
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
  }, async (request) => importCrl(db, actorOf(request), request.body as Upload))
}
