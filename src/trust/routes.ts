import { Type, type TSchema } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { DER_TYPES, PEM_TYPES } from '../http/content-types.ts'
import { StringEnum, errors } from '../http/schemas.ts'
import { actorOf } from '../auth/hook.ts'
import { addCaCertificate, listCaCertificates } from './service.ts'

const CaCertificateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  role: StringEnum(['anchor', 'intermediate'] as const),
  fingerprintSha256: Type.String({ description: 'SHA-256 of the DER, lowercase hex' }),
  subjectDn: Type.String(),
  issuerDn: Type.String(),
  notBefore: Type.String({ format: 'date-time' }),
  notAfter: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'CaCertificate', description: 'A trust anchor or a registered intermediate CA' })

export const trustSchemas: TSchema[] = [CaCertificateSchema]

const caBody = {
  content: {
    'application/x-pem-file': { schema: Type.Unsafe<unknown>({ description: 'One CA certificate, PEM' }) },
    'text/plain': { schema: Type.Unsafe<unknown>({ description: 'One CA certificate, PEM' }) },
    'application/pkix-cert': { schema: Type.Unsafe<unknown>({ description: 'One CA certificate, DER' }) },
  },
} as unknown as TSchema

const list = Type.Object({ items: Type.Array(Type.Ref('CaCertificate')) })

/** The two kinds of CA Kyso trusts: each is added and listed at its own path. */
const ROLES = [
  {
    role: 'anchor',
    path: '/v1/trust-anchors',
    addSummary: 'Add a trust anchor',
    addDescription: 'Body: one CA certificate, PEM (`application/x-pem-file`, `text/plain`) or DER (`application/pkix-cert`). Usually a root such as the Government CA\'s `RootCA chuyên dùng Chính phủ G2`. A certificate that is not a CA (basicConstraints cA false or absent) → 422 `not_a_ca`; one already registered (as anchor or intermediate) → 409 `duplicate` with `existingId`.',
    listSummary: 'List the trust anchors',
  },
  {
    role: 'intermediate',
    path: '/v1/intermediates',
    addSummary: 'Register an intermediate CA',
    addDescription: 'Body: one CA certificate, PEM or DER. It must chain to a trust anchor (through intermediates already registered, if need be), checked as RFC 5280 path validation at its own notBefore; else 422 with `problems` of code `untrusted_issuer` (the verifier\'s detailed cause in `reason`). Not a CA → 422 `not_a_ca`; already registered → 409 `duplicate`.',
    listSummary: 'List the registered intermediate CAs',
  },
] as const

export default async function trustRoutes(app: App, { db }: RouteDeps) {
  for (const { role, path, addSummary, addDescription, listSummary } of ROLES) {
    app.post(path, {
      config: { access: 'admin', accepts: [...PEM_TYPES, ...DER_TYPES] },
      schema: {
        tags: ['trust'],
        summary: addSummary,
        description: addDescription,
        body: caBody,
        response: { 201: Type.Ref('CaCertificate'), ...errors(400, 401, 403, 409, 413, 415, 422, 429, 503) },
      },
    }, async (request, reply) => reply.code(201).send(await addCaCertificate(db, actorOf(request), role, request.body as Buffer | string | undefined)))

    app.get(path, {
      config: { access: 'viewer' },
      schema: {
        tags: ['trust'],
        summary: listSummary,
        response: { 200: list, ...errors(401, 403, 429, 503) },
      },
    }, async () => ({ items: await listCaCertificates(db, role) }))
  }
}
