import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { startServer, failedStart } from './helpers/server-process.ts'
import { findSeedImage } from '../src/units/seed-image.ts'
import { EMBEDDED_ONLY } from './helpers/db.ts'

// The three tests are independent: they run side by side.
t.jobs = 3

t.test('the server starts on an empty data folder, serves the national seed, refuses a second process and stops on SIGTERM', { skip: EMBEDDED_ONLY }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-server-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  // The default seed, as a fresh clone's `npm start` loads it: every unit version since 2017 and the lineage.
  const env: Record<string, string> = { DATA_DIR: dir, ADMIN_TOKEN: 'server-test-admin-token', SEED: 'vietnam' }

  const image = findSeedImage('vietnam')
  const server = await startServer(env)
  t.teardown(() => { server.child.kill('SIGKILL') })
  t.match(server.output(), image ? /from the prebuilt image of the seed/ : /Loaded the seed/, image ? 'a new folder starts as a copy of the build\'s image' : 'no image was built: the seed is loaded')
  const health = await fetch(`${server.url}/health`)
  t.equal(health.status, 200)
  const units = await (await fetch(`${server.url}/v1/units?asOf=2017-12-31&parent=60&level=commune&limit=1`)).json() as { total: number }
  t.equal(units.total, 127, 'Bình Thuận in 2017')
  const provinces = await (await fetch(`${server.url}/v1/units?level=province&limit=1`)).json() as { total: number }
  t.equal(provinces.total, 34, 'the provinces of today')
  const tokens = await fetch(`${server.url}/v1/tokens`, { headers: { authorization: 'Bearer server-test-admin-token' } })
  t.equal(tokens.status, 200, 'ADMIN_TOKEN is an admin')

  const second = await failedStart(env)
  t.equal(second.code, 3)
  t.match(second.output, /in use by another Kyso process/)

  server.child.kill('SIGTERM')
  t.equal(await server.exited, 0, 'a clean exit on SIGTERM')
  t.notOk(fs.existsSync(path.join(dir, 'kyso.lock')), 'the folder is unlocked')

  const again = await startServer(env)
  t.teardown(() => { again.child.kill('SIGKILL') })
  t.notMatch(again.output(), /Loaded the seed/, 'a restart does not seed again')
  const kept = await (await fetch(`${again.url}/v1/units?asOf=2025-07-01&parent=68&level=commune&limit=1`)).json() as { total: number }
  t.equal(kept.total, 124, 'the data survives the restart')
  again.child.kill('SIGINT')
  t.equal(await again.exited, 0, 'a clean exit on SIGINT')
  t.notMatch(server.output() + again.output(), /server-test-admin-token/, 'the admin token is never logged')
})

t.test('a database that does not answer stops the start with a clear message, and no secret', async (t) => {
  // Port 1 on the loopback: nothing listens there, the connection is refused at once.
  const result = await failedStart({ DATABASE_URL: 'postgres://kyso:s3cret-password@127.0.0.1:1/kyso', DB_CONNECT_TIMEOUT: '2' })
  t.equal(result.code, 1)
  t.match(result.output, /could not open the database \(PostgreSQL at DATABASE_URL\)/)
  t.notMatch(result.output, /s3cret-password/, 'the password is not printed')
})

t.test('a bad configuration value stops the start with a clear message', async (t) => {
  for (const [name, value, pattern] of [
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must start with postgres/],
    ['PUBLIC_REPORTS', 'maybe', /PUBLIC_REPORTS must be true or false/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN must be at least 16 characters/],
  ] as const) {
    const result = await failedStart({ [name]: value, DATA_DIR: 'memory://unused' })
    t.equal(result.code, 2, name)
    t.match(result.output, pattern, name)
  }
})
