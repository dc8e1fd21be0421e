import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { JSON_TYPES } from '../http/content-types.ts'
import { StringEnum, UnitCode, errors } from '../http/schemas.ts'
import { actorOf } from './hook.ts'
import { BadRequest } from '../lib/errors.ts'
import { ROLES } from './actor.ts'
import { createToken, listTokens, revokeToken } from './tokens.ts'

const RoleSchema = StringEnum(ROLES)

export default async function authRoutes(app: App, { db }: RouteDeps) {
  app.post('/v1/tokens', {
    config: { access: 'admin', accepts: JSON_TYPES },
    schema: {
      tags: ['tokens'],
      summary: 'Create a token (the secret is shown once)',
      description: 'Roles: admin (everything), registrar (writes certificates, revocations and signing activity; `scope` limits it to the listed units and everything under them), viewer (reads everything). The secret is returned once and stored only as a SHA-256 hash.',
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }),
        role: RoleSchema,
        scope: Type.Optional(Type.Union([Type.Array(UnitCode(), { minItems: 1, maxItems: 1000 }), Type.Null()], {
          description: 'Unit codes the token may write for (with everything under them). A registrar must be given one: a list, or `null` for everywhere, said explicitly. An empty list is refused.',
        })),
      }, { additionalProperties: false }),
      response: {
        201: Type.Object({ id: Type.String({ format: 'uuid' }), token: Type.String({ description: 'The secret: send it as "Authorization: Bearer <token>". Shown only now.' }) }),
        ...errors(400, 401, 403, 415, 422, 429, 503),
      },
    },
  }, async (request, reply) => {
    if (request.body.role === 'registrar' && request.body.scope === undefined) {
      throw new BadRequest('A registrar token needs a scope: the unit codes it may write for, or "scope": null to allow it everywhere.')
    }
    const created = await createToken(db, actorOf(request), request.body)
    return reply.code(201).send(created)
  })

  app.get('/v1/tokens', {
    config: { access: 'admin' },
    schema: {
      tags: ['tokens'],
      summary: 'List tokens (never their secrets)',
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Type.String(), name: Type.String(), role: RoleSchema,
            scope: Type.Union([Type.Array(Type.String()), Type.Null()]),
            createdAt: Type.String({ format: 'date-time' }),
            revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
          })),
        }),
        ...errors(401, 403, 503),
      },
    },
  }, async () => ({ items: await listTokens(db) }))

  app.delete('/v1/tokens/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['tokens'],
      summary: 'Revoke a token',
      params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      response: { 204: Type.Null({ description: 'Revoked' }), ...errors(400, 401, 403, 404, 429, 503) },
    },
  }, async (request, reply) => {
    await revokeToken(db, actorOf(request), request.params.id)
    return reply.code(204).send(null)
  })
}
