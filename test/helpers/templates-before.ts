/** Run by tap before the test files (.taprc `before`): builds the shared template databases once. */
import { pgliteTemplate, postgresTemplate } from './template-db.ts'

const base = process.env.TEST_DATABASE_URL
for (const seed of [false, true]) {
  if (base) await postgresTemplate(base, seed)
  else await pgliteTemplate(seed)
}
