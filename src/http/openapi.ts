import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { completeOperations, securityFor, type OpenApiDocument } from './openapi-operations.ts'
import { IDEMPOTENCY_HEADER, WRITES } from './idempotency.ts'

/** Authenticated writes take an Idempotency-Key. */
function keyedWrite(route: { method: string | string[]; config?: { access?: string } }): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  const access = route.config?.access
  return methods.some((m) => WRITES.has(m)) && access !== 'open' && access !== 'public'
}

const DESCRIPTION = `Kyso records the digital-signature certificates that the Government CA issues to the People's Committees of communes, wards and towns, and reports how far signing has reached: coverage on any date, documents signed, the estimated savings, and the report to the Ministry.

Authentication: \`Authorization: Bearer <token>\`. Roles: admin, registrar (optionally limited to a set of units), viewer. Public reads (units, coverage, savings, reports) need no token unless PUBLIC_REPORTS=false.

Errors are RFC 9457 problem details (application/problem+json) with a stable \`code\`. Dates (YYYY-MM-DD) are days in Vietnam time (UTC+07:00); an asOf date means the end of that day.`

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Kyso', description: DESCRIPTION, version: '1.0.0', license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' } },
      tags: [
        { name: 'health', description: 'Readiness' },
        { name: 'units', description: 'Administrative units (GSO codes), dated' },
        { name: 'trust', description: 'Trust anchors and intermediate CAs' },
        { name: 'certificates', description: 'Certificates issued to People\'s Committees: registration, listing, revocation, CRLs' },
        { name: 'coverage', description: 'Which share of communes hold a valid certificate on a date' },
        { name: 'activity', description: 'Documents signed per unit and month, and the savings estimate' },
        { name: 'documents', description: 'Signed documents: their signatures verified, counted as verified activity' },
        { name: 'reports', description: 'The report to the Ministry' },
        { name: 'tokens', description: 'Access tokens' },
        { name: 'audit', description: 'The audit log of every write' },
      ],
      servers: [{ url: '/', description: 'The server that serves this document (Swagger UI at /documentation)' }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    // Every route gets its security requirement from its access level and an operationId from its method
    // and path, unless it declares them (src/http/openapi-operations.ts).
    transform: ({ schema, url, route }) => ({
      schema: schema && {
        ...schema,
        security: schema.security ?? securityFor(route.config?.access),
        ...(keyedWrite(route) && !schema.headers ? { headers: IDEMPOTENCY_HEADER } : {}),
      },
      url,
    }),
    transformObject: (documents) => completeOperations(('openapiObject' in documents ? documents.openapiObject : documents.swaggerObject) as OpenApiDocument),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  })
  await app.register(swaggerUi, { routePrefix: '/documentation', staticCSP: true, uiConfig: { docExpansion: 'list', deepLinking: true } })
}
