import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { errors } from '../http/schemas.ts'
import { sendProblem } from '../http/error-handler.ts'
import { Unavailable } from '../lib/errors.ts'

export default async function healthRoutes(app: App, { ping }: RouteDeps) {
  app.get('/health', {
    config: { access: 'open' },
    schema: {
      tags: ['health'],
      summary: 'Readiness: 200 when the database answers, 503 when it does not',
      description: 'Needs no token. A request that sends a token that is not valid is refused (401), as on every route, and too many of those from one address are 429.',
      response: { 200: Type.Object({ status: Type.Literal('ok') }), ...errors(401, 429, 503) },
    },
  }, async (_request, reply) => {
    try {
      await ping()
    } catch {
      return sendProblem(reply, new Unavailable())
    }
    return { status: 'ok' as const }
  })
}
