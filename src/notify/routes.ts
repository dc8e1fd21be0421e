import { Type } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import { JSON_TYPES } from '../http/content-types.ts'
import { StringEnum, UnitCode, errors } from '../http/schemas.ts'
import { actorOf } from '../auth/hook.ts'
import { Notifier } from './scheduler.ts'
import { createSubscription, deleteSubscription, findSubscription, listSubscriptions, view } from './subscriptions.ts'
import { listDeliveries, sendTestEvent } from './deliveries.ts'
import { listNotices } from './notices.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The notification scheduler of this process (tests drive it with `tick()`). */
    notifier: Notifier
  }
}

const tags = ['subscriptions']
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

const Digest = Type.Object({
  every: StringEnum(['day', 'week'] as const, { description: 'A digest each day, or each week (on Monday)' }),
  hour: Type.Integer({ minimum: 0, maximum: 23, description: 'Hour of sending, Vietnam time (UTC+7)' }),
}, { additionalProperties: false })

const Subscription = Type.Object({
  id: Type.String({ format: 'uuid' }),
  channel: StringEnum(['webhook', 'email'] as const),
  url: Type.Union([Type.String(), Type.Null()]),
  addresses: Type.Union([Type.Array(Type.String()), Type.Null()]),
  scope: Type.Array(Type.String()),
  expiryDays: Type.Array(Type.Integer()),
  digest: Type.Union([Digest, Type.Null()]),
  coverageAlerts: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
})

const Delivery = Type.Object({
  id: Type.Integer(),
  noticeId: Type.String({ format: 'uuid', description: 'The notice; sent as webhook-id, the same on every retry' }),
  type: Type.String({ description: 'certificate.expiring, coverage.unit_uncovered, coverage.complete, digest or test' }),
  key: Type.String({ description: 'The notice\'s idempotency key within the subscription' }),
  attempt: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  ok: Type.Boolean(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  noticeStatus: StringEnum(['pending', 'delivered', 'failed'] as const, { description: 'pending: will be retried; failed: given up' }),
})

export default async function notifyRoutes(app: App, deps: RouteDeps) {
  const { db, config, clock } = deps
  const notifier = new Notifier(db, config, clock ?? (() => new Date()), app.log)
  app.decorate('notifier', notifier)
  app.addHook('onReady', async () => notifier.start())
  app.addHook('onClose', async () => notifier.stop())

  app.post('/v1/subscriptions', {
    config: { access: 'registrar', accepts: JSON_TYPES },
    schema: {
      tags,
      summary: 'Subscribe to expiry notices, digests and coverage alerts (webhook or e-mail)',
      description: 'Admin, or a registrar for units within its scope. A webhook secret (`whsec_` + base64 of 24–64 bytes) may be given; otherwise one is generated and returned once in `secret`. Webhook targets on private, loopback or link-local addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true.',
      body: Type.Object({
        channel: StringEnum(['webhook', 'email'] as const),
        url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
        secret: Type.Optional(Type.String({ maxLength: 200 })),
        addresses: Type.Optional(Type.Array(Type.String({ format: 'email', maxLength: 254 }), { minItems: 1, maxItems: 20 })),
        scope: Type.Array(UnitCode(), { minItems: 1, maxItems: 100, description: 'Units watched: communes, or districts and provinces with everything under them' }),
        expiryDays: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 365 }), { maxItems: 10, description: 'Days before notAfter to send an expiry notice (default 90, 30, 7, 1; [] for none)' })),
        digest: Type.Optional(Digest),
        coverageAlerts: Type.Optional(Type.Boolean({ description: 'Alert when a unit becomes uncovered and when the scope reaches 100 %' })),
      }, { additionalProperties: false }),
      response: {
        201: Type.Intersect([Subscription, Type.Object({ secret: Type.Optional(Type.String({ description: 'The generated secret, shown only now' })) })]),
        ...errors(400, 401, 403, 415, 422, 429, 503),
      },
    },
  }, async (request, reply) => {
    const created = await createSubscription(db, actorOf(request), request.body, { allowPrivate: config.webhookAllowPrivate, secretKey: config.webhookSecretKey })
    return reply.code(201).send(created)
  })

  app.get('/v1/subscriptions', {
    config: { access: 'registrar' },
    schema: {
      tags, summary: 'List the subscriptions visible to this token (never their secrets)',
      response: { 200: Type.Object({ items: Type.Array(Subscription) }), ...errors(401, 403, 503) },
    },
  }, async (request) => ({ items: await listSubscriptions(db, actorOf(request)) }))

  app.get('/v1/subscriptions/:id', {
    config: { access: 'registrar' },
    schema: { tags, summary: 'One subscription', params: IdParams, response: { 200: Subscription, ...errors(400, 401, 403, 404, 503) } },
  }, async (request) => view(await findSubscription(db, actorOf(request), request.params.id)))

  app.delete('/v1/subscriptions/:id', {
    config: { access: 'registrar' },
    schema: {
      tags, summary: 'Delete a subscription; its notices not yet sent are dropped',
      params: IdParams, response: { 204: Type.Null({ description: 'Deleted' }), ...errors(400, 401, 403, 404, 429, 503) },
    },
  }, async (request, reply) => {
    await deleteSubscription(db, actorOf(request), request.params.id, notifier.now())
    return reply.code(204).send(null)
  })

  app.post('/v1/subscriptions/:id/test', {
    config: { access: 'registrar' },
    schema: {
      tags, summary: 'Send a test event now and answer with its delivery',
      description: 'The delivery is not retried; `ok` says whether the receiver accepted it.',
      params: IdParams, response: { 200: Delivery, ...errors(400, 401, 403, 404, 429, 503) },
    },
  }, async (request) => {
    const row = await findSubscription(db, actorOf(request), request.params.id)
    return sendTestEvent(db, { ...view(row), secret: row.secret }, notifier.deliverOptions)
  })

  await noticeRoutes(app, deps)

  app.get('/v1/subscriptions/:id/deliveries', {
    config: { access: 'registrar' },
    schema: {
      tags, summary: 'The delivery log of a subscription, newest first',
      params: IdParams,
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
      response: { 200: Type.Object({ items: Type.Array(Delivery) }), ...errors(400, 401, 403, 404, 503) },
    },
  }, async (request) => {
    await findSubscription(db, actorOf(request), request.params.id)
    return { items: await listDeliveries(db, request.params.id, request.query.limit ?? 100) }
  })
}
const Notice = Type.Object({
  id: Type.String({ format: 'uuid' }),
  subscriptionId: Type.String({ format: 'uuid' }),
  channel: StringEnum(['webhook', 'email'] as const),
  type: Type.String(),
  key: Type.String(),
  certificateId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  status: StringEnum(['pending', 'delivered', 'failed'] as const),
  dueAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
})

async function noticeRoutes(app: App, { db }: RouteDeps) {
  app.get('/v1/notices', {
    config: { access: 'registrar' },
    schema: {
      tags,
      summary: 'The latest notices of the subscriptions visible to this token, newest first',
      description: 'With `certificateId`: the notices sent about that certificate (the dashboard links its expiring list here).',
      querystring: Type.Object({
        certificateId: Type.Optional(Type.String({ format: 'uuid' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Notice) }), ...errors(400, 401, 403, 503) },
    },
  }, async (request) => ({ items: await listNotices(db, actorOf(request), { certificateId: request.query.certificateId, limit: request.query.limit ?? 100 }) }))
}

// Registered without encapsulation so that `app.notifier` is visible on the application.
;(notifyRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true
