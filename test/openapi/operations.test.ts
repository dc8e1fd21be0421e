/**
 * Operation names and security requirements in the OpenAPI document are derived from the routes: every
 * operation has a unique camelCase operationId, and what its `security` says about tokens is what the app
 * does with a request that sends none.
 */
import t from 'tap'
import { generateOpenApi } from '../../src/cli/openapi.ts'
import { completeOperations, operationIdFor, type OpenApiDocument } from '../../src/http/openapi-operations.ts'
import { testApp } from '../helpers/app.ts'

type Operation = { operationId?: string; security?: Array<Record<string, string[]>> }

async function operations() {
  const doc = JSON.parse(await generateOpenApi()) as { paths: Record<string, Record<string, Operation>> }
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })))
}

t.test('operationIds are derived from the method and the path', async (t) => {
  t.equal(operationIdFor('get', '/v1/coverage', false), 'getCoverage')
  t.equal(operationIdFor('get', '/v1/coverage/timeline', false), 'getCoverageTimeline')
  t.equal(operationIdFor('get', '/v1/certificates', true), 'listCertificates')
  t.equal(operationIdFor('get', '/v1/certificates/{id}', false), 'getCertificate')
  t.equal(operationIdFor('post', '/v1/certificates', false), 'createCertificate')
  t.equal(operationIdFor('post', '/v1/certificates/{id}/revocation', false), 'createCertificateRevocation')
  t.equal(operationIdFor('post', '/v1/trust-anchors', false), 'createTrustAnchor')
  t.equal(operationIdFor('post', '/v1/units/import', false), 'importUnits')
  t.equal(operationIdFor('delete', '/v1/tokens/{id}', false), 'deleteToken')
  t.equal(operationIdFor('put', '/v1/activity/{unitCode}/{month}', false), 'putActivity')
  t.equal(operationIdFor('get', '/v1/registries/{id}', false), 'getRegistry')
  t.equal(operationIdFor('get', '/health', false), 'getHealth')
})

t.test('completing a document keeps declared ids, makes clashing ones unique and drops contentMediaType', async (t) => {
  const doc: OpenApiDocument = {
    paths: {
      '/v1/units/{code}': { get: { responses: {} } },
      '/v1/units/{id}': { get: { responses: {} }, delete: { operationId: 'removeUnit', responses: {} } },
      '/v1/units/import': { post: { requestBody: { content: { 'text/csv': { schema: { contentMediaType: 'text/csv', description: 'CSV' } } } }, responses: {} } },
    },
  }
  completeOperations(doc)
  t.equal(doc.paths!['/v1/units/{code}'].get.operationId, 'getUnit')
  t.equal(doc.paths!['/v1/units/{id}'].get.operationId, 'getUnit2')
  t.equal(doc.paths!['/v1/units/{id}'].delete.operationId, 'removeUnit')
  t.same(doc.paths!['/v1/units/import'].post.requestBody, { content: { 'text/csv': { schema: { type: 'string', description: 'CSV' } } } })
})

t.test('every operation of the document has a unique camelCase operationId and a security requirement', async (t) => {
  const ops = await operations()
  t.ok(ops.length >= 20)
  const ids = ops.map(({ op }) => op.operationId)
  for (const { path, method, op } of ops) {
    t.match(op.operationId, /^[a-z][a-zA-Z0-9]*$/, `${method} ${path}: ${op.operationId}`)
    t.ok(Array.isArray(op.security), `${method} ${path} says whether it needs a token`)
  }
  t.equal(new Set(ids).size, ids.length, 'no two operations share an id')
  t.ok(ids.includes('getCoverage') && ids.includes('getSavings') && ids.includes('listCertificates'))
})

t.test('an operation that the document says needs no token answers a request without one; the others answer 401', async (t) => {
  const { app } = await testApp(t)
  let open = 0
  for (const { path, method, op } of await operations()) {
    const url = path.replace(/\{[^}]+\}/g, '1')
    const res = await app.inject({ method: method.toUpperCase() as 'GET', url })
    const optional = op.security!.length === 0 || op.security!.some((requirement) => Object.keys(requirement).length === 0)
    if (optional) {
      open++
      t.not(res.statusCode, 401, `${method} ${url} without a token: ${res.statusCode}`)
    } else {
      t.equal(res.statusCode, 401, `${method} ${url} without a token`)
    }
  }
  t.ok(open >= 7, 'the health check and the public reads need no token')
})
