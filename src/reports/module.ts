import type { TSchema } from 'typebox'
import type { App, RouteDeps } from '../http/types.ts'
import coverageRoutes, { coverageSchemas } from '../coverage/routes.ts'
import activityRoutes, { activitySchemas } from '../activity/routes.ts'
import savingsRoutes, { savingsSchemas } from '../savings/routes.ts'
import reportRoutes, { reportSchemas } from './routes.ts'

/** Coverage, signing activity, savings and the ministry report: schemas to add and routes to register. */
export const reportingSchemas: TSchema[] = [...coverageSchemas, ...activitySchemas, ...savingsSchemas, ...reportSchemas]

export default async function reportingRoutes(app: App, deps: RouteDeps) {
  await coverageRoutes(app, deps)
  await activityRoutes(app, deps)
  await savingsRoutes(app, deps)
  await reportRoutes(app, deps)
}
