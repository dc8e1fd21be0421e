import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { App, RouteDeps } from '../http/types.ts'

/** The dashboard's files: index.html, ES modules, CSS. No build step: they are served as they are. */
export const DASHBOARD_ROOT = path.join(import.meta.dirname, 'static')

/**
 * The dashboard for provincial IT staff: `GET /` (the page) and `/assets/*` (its modules, styles and icon).
 * Every route here is open: the page holds no data of its own. Everything it shows it fetches from the
 * public API (and, with a registrar token the user types in, writes through it), so the page and the API
 * cannot differ. The routes are hidden from the OpenAPI document, which stays about the API.
 */
export default async function dashboardRoutes(app: App, _deps: RouteDeps) {
  // Routes of this plugin only (encapsulated): the page and its static files need no token.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: 'open' }
  })

  await app.register(fastifyStatic, {
    root: DASHBOARD_ROOT,
    prefix: '/assets/',
    wildcard: false, // one route per file, found at start; nothing else answers under /assets/
    index: false,
    globIgnore: ['index.html'],
    schemaHide: true,
    // Revalidated on every load (ETag / Last-Modified), so a new version is seen at once and an unchanged one costs a 304.
    cacheControl: true,
    maxAge: 0,
  })

  app.get('/', {
    config: { access: 'open' },
    schema: { hide: true },
  }, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false }))
}
