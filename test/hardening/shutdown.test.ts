/**
 * Graceful shutdown of src/server.ts as its own process: on SIGTERM it stops accepting, finishes the
 * requests in flight (a large units import and a certificate batch registration), closes the database
 * and exits 0; the data those requests wrote is there afterwards.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { count, eq } from 'drizzle-orm'
import { seededDataDir, startServer } from '../helpers/server-process.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { openDatabase } from '../../src/db/open.ts'
import { adminUnits, certificates } from '../../src/db/schema.ts'
import { hierarchy, leaf, subject } from '../helpers/pki.ts'

const ADMIN = 'shutdown-test-admin-token-0123456789'
const PROVINCES = 10
const DISTRICTS = 20
const COMMUNES = 150
const BATCH = 400

/** A synthetic units file: 10 provinces × 20 districts × 150 communes (30,210 rows, about 1.5 MB). */
function bigUnitsCsv(): { csv: string; rows: number } {
  const lines = ['code,name,type,level,parent_code']
  for (let p = 0; p < PROVINCES; p++) {
    const pc = String(700 + p)
    lines.push(`${pc},Tỉnh Thử ${p},tinh,province,`)
    for (let d = 0; d < DISTRICTS; d++) {
      const dc = `${pc}${String(d).padStart(2, '0')}`
      lines.push(`${dc},Huyện Thử ${p}-${d},huyen,district,${pc}`)
      for (let c = 0; c < COMMUNES; c++) lines.push(`${dc}${String(c).padStart(3, '0')},Xã Thử ${p}-${d}-${c},xa,commune,${dc}`)
    }
  }
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1 }
}

/** A POST over its own connection (node:http, no keep-alive pool): status and parsed JSON body. */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, timeout: 120_000 }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try { resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }) } catch (err) { reject(err instanceof Error ? err : new Error(String(err))) }
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end(body)
  })
}

t.test('SIGTERM finishes the requests in flight, closes the database and exits 0', async (t) => {
  let databaseUrl: string | null = null
  let dir: string
  if (!process.env.TEST_DATABASE_URL) {
    dir = await seededDataDir(t, 'kyso-shutdown-')
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-shutdown-'))
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
    const empty = await createTestDatabase({ migrate: false })
    await empty.close()
    t.teardown(() => empty.drop())
    databaseUrl = empty.url
  }
  const env: Record<string, string> = {
    DATA_DIR: dir, ADMIN_TOKEN: ADMIN, BODY_LIMIT: String(20 * 1024 * 1024), SHUTDOWN_GRACE_MS: '60000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  }
  const server = await startServer(env)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const admin = { authorization: `Bearer ${ADMIN}` }

  // The chain the batch needs, registered before.
  const h = hierarchy('Shutdown')
  const anchor = await fetch(`${server.url}/v1/trust-anchors`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-pem-file' }, body: h.root.pem })
  t.equal(anchor.status, 201, 'trust anchor registered')
  const leaves = Array.from({ length: BATCH }, (_, i) => leaf(h, subject(['L', 'Huyện Đức Linh'], ['CN', `UBND xã Tân Hà ${i}`]), {}))
  const batchPem = h.ca.pem + leaves.map((l) => l.pem).join('')
  const { csv, rows } = bigUnitsCsv()

  const logged = (pattern: RegExp) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not logged: ${pattern}`)), 180_000)
    const look = () => { if (pattern.test(server.output())) { clearTimeout(timer); resolve() } }
    server.child.stdout!.on('data', look)
    look()
  })
  const importStarted = logged(/"url":"\/v1\/units\/import"/)
  const batchStarted = logged(/"url":"\/v1\/certificates\/batch\?unitCode=\[redacted\]"/)
  let answered = 0
  const importing = post(`${server.url}/v1/units/import`, { ...admin, 'content-type': 'text/csv' }, csv).finally(() => { answered++ })
  const registering = post(`${server.url}/v1/certificates/batch?unitCode=23221`, { ...admin, 'content-type': 'application/x-pem-file' }, batchPem).finally(() => { answered++ })
  await Promise.all([importStarted, batchStarted])
  // On PGlite the two requests take turns on the database's single connection, so the import may be answered
  // before the batch is even logged: at least one of them must still be in flight when the signal goes.
  t.ok(answered < 2, `SIGTERM is sent while requests are in flight (${2 - answered} of 2 not answered yet)`)
  const signalledAt = performance.now()
  server.child.kill('SIGTERM')
  await logged(/shutting down/)

  const late = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(120_000) }).then((r) => r.status, (e: Error) => e.name)
  t.ok(late === 503 || late === 'TypeError', `a request arriving during the shutdown is refused (got ${late})`)

  const [imported, registered] = await Promise.all([importing, registering])
  t.equal(imported.status, 200, 'the import in flight completes with 200')
  t.same(imported.body, { inserted: rows, updated: 0 })
  t.equal(registered.status, 200, 'the batch registration in flight completes with 200')
  const results = registered.body as { results: { status: number }[] }
  t.equal(results.results.filter((r) => r.status === 201).length, BATCH, `all ${BATCH} certificates recorded`)

  const code = await server.exited
  t.equal(code, 0, 'the process exits 0')
  t.comment(`shutdown: exited ${(performance.now() - signalledAt).toFixed(0)} ms after SIGTERM, both requests completed`)
  const out = server.output()
  const after = [...out.matchAll(/"msg":"request completed"/g)].filter((m) => m.index > out.indexOf('shutting down')).length
  t.comment(`shutdown: ${after} of the 2 requests completed after the server logged the start of its shutdown`)
  t.notOk(fs.existsSync(path.join(dir, 'kyso.lock')), 'the database was closed (its lock released)')

  const database = await openDatabase({ databaseUrl, dataDir: dir })
  t.teardown(() => database.close())
  const [{ n: units }] = await database.db.select({ n: count() }).from(adminUnits)
  t.equal(Number(units), 138 + rows, 'the imported units are there')
  const [{ n: certs }] = await database.db.select({ n: count() }).from(certificates).where(eq(certificates.unitCode, '23221'))
  t.equal(Number(certs), BATCH, 'the registered certificates are there')
})
