/**
 * Every route of the OpenAPI document, every parameter, hostile values: numbers that are not finite,
 * not integers or out of range, impossible dates, NUL and lone surrogates, type confusion in JSON bodies.
 * The routes come from the app's own document (app.swagger()), so a route added tomorrow is covered
 * without touching this file. Every answer must be below 500 and problem+json when it is an error,
 * and a refused write must leave the database as it was.
 *
 * Bounded in `npm test` (fixed seed); `npm run fuzz` sets FUZZ_RUNS for a long run.
 */
import t from 'tap'
import fc from 'fast-check'
import { testApp } from '../helpers/app.ts'
import { sql } from 'drizzle-orm'
import { fuzzRuns, fuzzSeed, Stats } from '../helpers/hardening.ts'
import { queryRows } from '../../src/db/rows.ts'
import type { Db } from '../../src/db/open.ts'

type Param = { name: string; in: string; schema?: Record<string, unknown> }
type Operation = { parameters?: Param[]; requestBody?: { content: Record<string, { schema?: Schema }> } }
type Schema = { type?: string; properties?: Record<string, Schema>; $ref?: string; items?: Schema; [k: string]: unknown }

/** Values that broke parsers before: non-finite and huge numbers, hex, blanks, impossible dates, NUL, lone surrogates. */
export const HOSTILE_TEXT = [
  'Infinity', '-Infinity', '1e309', '-1e309', '1e20', '-1', '0', '1.5', '0x10', ' ', '', 'NaN', 'true', 'null',
  '0000-01-01', '0000-00', '2017-02-30', '2017-02-29', '2017-13-01', '2017-00', '9999-12-31', '2999-01-01', '1899-12-31',
  '1', '2017-06-01T00:00:00', '2017-06-01T25:00:00Z', '+275760-09-13', '2017-06-01T00:00:00+25:00',
  'a\u0000b', '\ud800', 'x\udc00y', "' or 1=1 --", '%00', '../../etc/passwd', 'ä'.repeat(300), '9'.repeat(400),
]

/** JSON values of every type, for every body property. */
export const HOSTILE_JSON: unknown[] = [
  ...HOSTILE_TEXT, true, false, null, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, ['60'], [''], { a: 1 }, 'x'.repeat(5000),
]

/** A plausible value for a path parameter, so that the route itself is reached when other parameters are fuzzed. */
function sample(name: string): string {
  if (name === 'month') return '2017-06'
  if (name === 'unitCode' || name === 'code') return '22918'
  return '00000000-0000-4000-8000-000000000000'
}

function resolve(doc: { components?: { schemas?: Record<string, Schema> } }, s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s
  return doc.components?.schemas?.[s.$ref.split('/').pop()!]
}

type Case = { method: string; url: string; headers: Record<string, string>; payload?: string; what: string }

/** Percent-encoding that also carries lone surrogates (as their WTF-8 bytes), as a hostile client would send them. */
function encode(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.charCodeAt(0)
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
    } else out += encodeURIComponent(ch)
  }
  return out
}

function urlOf(path: string, pathValues: Record<string, string>, query: Record<string, string>): string {
  const p = path.replace(/\{(\w+)\}/g, (_, n: string) => encode(pathValues[n]))
  const q = Object.entries(query).map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')
  return q ? `${p}?${q}` : p
}

/** One case per (route, parameter or body property, hostile value). */
function cases(doc: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }, values: unknown[]): Case[] {
  const out: Case[] = []
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? []
      const pathValues = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, sample(p.name)]))
      // Required query parameters get a plausible value, so that fuzzing another one reaches the handler.
      const baseQuery = Object.fromEntries(params.filter((p) => p.in === 'query' && (p as { required?: boolean }).required).map((p) => [p.name, p.name === 'year' ? '2017' : '1']))
      const json = resolve(doc, op.requestBody?.content['application/json']?.schema)
      const baseBody: Record<string, unknown> = {}
      for (const [name, s] of Object.entries(json?.properties ?? {})) {
        const r = resolve(doc, s)
        baseBody[name] = r?.type === 'array' ? [] : r?.enum ? (r.enum as unknown[])[0] : 'x'
      }
      const withBody = (body: unknown): Pick<Case, 'headers' | 'payload'> => json
        ? { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }
        : op.requestBody ? { headers: { 'content-type': Object.keys(op.requestBody.content)[0] }, payload: 'x' } : { headers: {} }
      for (const param of params) {
        for (const v of values) {
          const text = typeof v === 'string' ? v : JSON.stringify(v)
          const pv = param.in === 'path' ? { ...pathValues, [param.name]: text } : pathValues
          const q = param.in === 'query' ? { ...baseQuery, [param.name]: text } : baseQuery
          if (param.in === 'path' && text === '') continue
          out.push({ method: method.toUpperCase(), url: urlOf(path, pv, q), ...withBody(baseBody), what: `${method.toUpperCase()} ${path} ${param.in} ${param.name}=${JSON.stringify(text).slice(0, 40)}` })
        }
      }
      // Raw bodies (PEM, DER, CSV, CRL): each hostile text as the whole body, under each media type.
      if (op.requestBody && !json) {
        for (const type of Object.keys(op.requestBody.content)) {
          for (const v of values) {
            const text = typeof v === 'string' ? v : JSON.stringify(v)
            out.push({ method: method.toUpperCase(), url: urlOf(path, pathValues, baseQuery), headers: { 'content-type': type }, payload: text, what: `${method.toUpperCase()} ${path} body(${type})=${JSON.stringify(text).slice(0, 40)}` })
          }
        }
      }
      for (const name of Object.keys(json?.properties ?? {})) {
        for (const v of values) {
          out.push({ method: method.toUpperCase(), url: urlOf(path, pathValues, baseQuery), ...withBody({ ...baseBody, [name]: v }), what: `${method.toUpperCase()} ${path} body.${name}=${JSON.stringify(v).slice(0, 40)}` })
        }
      }
    }
  }
  return out
}

/**
 * Counts every row that `tables` gain, change or lose (and every TRUNCATE) in a one-row table, from triggers
 * installed for this test. The count is transactional: a write rolled back leaves it as it was. Returns a
 * reader of the count, which changes exactly when one of the tables did: one small query after each write,
 * where counting and hashing every table took 1 to 4 ms of the database's CPU each time.
 */
async function countChanges(db: Db, tables: string[]): Promise<() => Promise<string>> {
  await db.execute(sql.raw(`
    create table test_row_changes (n bigint not null);
    insert into test_row_changes values (0);
    create function test_count_row_change() returns trigger language plpgsql as $$
      begin update test_row_changes set n = n + 1; return null; end $$;
    ${tables.map((name) => `
      create trigger "${name}_test_rows" after insert or update or delete on public."${name}" for each row execute function test_count_row_change();
      create trigger "${name}_test_truncate" after truncate on public."${name}" for each statement execute function test_count_row_change();`).join('')}`))
  return async () => {
    const [row] = await queryRows<{ n: string }>(db, sql`select n::text as n from test_row_changes`)
    return row.n
  }
}

t.test('every parameter of every route of the OpenAPI document: no 5xx, problem+json errors, refused writes store nothing', async (t) => {
  const { app, auth, database } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000 } })
  const doc = app.swagger() as unknown as Parameters<typeof cases>[0]
  const routes = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0)
  t.ok(routes >= 20, `the document lists ${routes} operations`)

  const runs = fuzzRuns(1)
  const random = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.double().map(String), fc.integer().map(String), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString()))), { numRuns: runs, seed: fuzzSeed(11) })
  const all = cases(doc, [...HOSTILE_JSON, ...random])
  const stats = new Map<string, Stats>()
  const failures: string[] = []
  const tables = (await queryRows<{ name: string }>(database.db, sql`select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).map((r) => r.name).filter((n) => /^[a-z_][a-z0-9_]*$/.test(n))
    // The read caches' leases are renewed every second whatever the requests do.
    .filter((n) => n !== 'cache_instances')
  const changes = await countChanges(database.db, tables)
  // The database as the last accepted write left it: a refused write must leave it so.
  let baseline = await changes()
  for (const c of all) {
    const write = c.method !== 'GET' && c.method !== 'HEAD'
    const started = performance.now()
    const res = await app.inject({ method: c.method as 'GET', url: c.url, headers: { ...auth.admin, ...c.headers }, payload: c.payload })
    const ms = performance.now() - started
    const route = c.what.split(' ').slice(0, 2).join(' ')
    if (!stats.has(route)) stats.set(route, new Stats())
    stats.get(route)!.record(ms, res.statusCode, c.what)
    if (res.statusCode >= 500) failures.push(`${c.what} → ${res.statusCode} ${res.body.slice(0, 200)}`)
    else if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${c.what} → ${res.statusCode} as ${String(res.headers['content-type'])}`)
    if (!write) continue
    const after = await changes()
    if (res.statusCode >= 400 && after !== baseline) failures.push(`${c.what} → ${res.statusCode} but the database changed`)
    baseline = after
  }
  t.same(failures.slice(0, 30), [], `${all.length} hostile requests over ${routes} operations`)
  for (const [route, s] of stats) t.comment(s.summary(route))
  t.comment(`${all.length} hostile requests over ${routes} operations: ${Math.round(all.length / routes)} a route on average`)
})
