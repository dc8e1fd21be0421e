import type { Test } from 'tap'
import { buildApp } from '../../src/app.ts'
import { testConfig, type Config, type SeedName } from '../../src/config.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR, type Role } from '../../src/auth/actor.ts'
import type { App } from '../../src/http/types.ts'
import { createTestDatabase, type TestDatabase } from './db.ts'

export type TestApp = {
  app: App
  database: TestDatabase
  /** Authorization headers for a fresh token of each role. */
  auth: { admin: Record<string, string>; registrar: Record<string, string>; viewer: Record<string, string> }
  /** A token of this role, optionally limited to units. */
  token(role: Role, scope?: string[]): Promise<Record<string, string>>
}

/** The real app on a fresh database (seeded with Bình Thuận unless told otherwise), closed when the test ends. */
export async function testApp(t: Test, opts: { seed?: boolean | SeedName; config?: Partial<Config> } = {}): Promise<TestApp> {
  const database = await createTestDatabase({ seed: opts.seed ?? true })
  const app = await buildApp({ db: database.db, config: testConfig(opts.config), ping: database.ping })
  await app.ready()
  t.teardown(async () => {
    await app.close()
    await database.drop()
  })
  const token = async (role: Role, scope?: string[]) => {
    const { token } = await createToken(database.db, SYSTEM_ACTOR, { name: `test ${role}`, role, scope })
    return { authorization: `Bearer ${token}` }
  }
  return {
    app,
    database,
    auth: { admin: await token('admin'), registrar: await token('registrar'), viewer: await token('viewer') },
    token,
  }
}
