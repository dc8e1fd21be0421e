/**
 * The embedded database opened while it starts (what the server does, to build its routes meanwhile): queries
 * sent before it answers wait for it, and a start that fails fails them, releases the folder and stops the thread.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { embeddedFolder, openDatabase } from '../../src/db/open.ts'
import { pgliteTemplate } from '../helpers/template-db.ts'
import { EMBEDDED_ONLY } from '../helpers/db.ts'

const folder = (t: Test) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-open-starting-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  return dir
}

t.test('queries sent while the embedded database starts wait for it and are answered', { skip: EMBEDDED_ONLY }, async (t) => {
  const dir = folder(t)
  const database = await openDatabase({ databaseUrl: null, dataDir: dir, copyFrom: await pgliteTemplate(null), returnWhileStarting: true })
  t.teardown(() => database.close())
  const answers = await Promise.all([database.client`select 1 as one`, database.client`select 2 as two`])
  t.same(answers.map((rows) => ({ ...rows[0] })), [{ one: 1 }, { two: 2 }])
  await t.resolves(database.ping(), 'and it is healthy')
})

t.test('a start that fails fails the first query, clearly, and leaves the folder unlocked', { skip: EMBEDDED_ONLY }, async (t) => {
  const dir = folder(t)
  // A data folder of a PostgreSQL version PGlite cannot open.
  fs.mkdirSync(embeddedFolder(dir), { recursive: true })
  fs.writeFileSync(path.join(embeddedFolder(dir), 'PG_VERSION'), '9\n')
  const database = await openDatabase({ databaseUrl: null, dataDir: dir, returnWhileStarting: true })
  await t.rejects(database.client`select 1`, /The embedded database did not start/)
  t.notOk(fs.existsSync(path.join(dir, 'kyso.lock')), 'the lock is released')
  await t.rejects(database.ping(), /The embedded database has stopped/, 'its thread is gone')
  await t.resolves(database.close(), 'closing it afterwards is harmless')
  // The folder is free for the next attempt, which fails the same way instead of finding it in use.
  const again = await openDatabase({ databaseUrl: null, dataDir: dir, returnWhileStarting: true })
  await t.rejects(again.client`select 1`, /The embedded database did not start/)
  await again.close()
})
