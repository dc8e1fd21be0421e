import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { Cursor, errors } from '../http/schemas.ts'
import { listAudit } from './list.ts'

export default async function auditRoutes(app: App, { db }: RouteDeps) {
  app.get('/v1/audit', {
    config: { access: 'admin' },
    schema: {
      tags: ['audit'],
      summary: 'The audit log: every write, newest first',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        cursor: Cursor,
      }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Type.Integer(),
            at: Type.String({ format: 'date-time' }),
            actorId: Type.Union([Type.String(), Type.Null()]),
            actorName: Type.String(),
            action: Type.String({ description: 'What was done, e.g. certificate.create, units.import, token.revoke' }),
            entityType: Type.String(),
            entityId: Type.Union([Type.String(), Type.Null()]),
            details: Type.Record(Type.String(), Type.Unknown()),
          })),
          nextCursor: Type.Union([Type.String(), Type.Null()]),
        }),
        ...errors(400, 401, 403, 503),
      },
    },
  }, async (request) => listAudit(db, request.query.limit ?? 100, request.query.cursor))
}
