/**
 * Fuzzing the CSV imports (units, signing activity): wrong encodings, stray quotes, random fields,
 * 100,000 lines. Each file below carries at least one row that cannot be valid, so the whole file must
 * be refused: every answer is a 4xx problem+json (the slowest is reported, not asserted: timings depend on the machine) and the database holds exactly
 * what it held before (all or nothing).
 */
import t from 'tap'
import fc from 'fast-check'
import { testApp } from '../helpers/app.ts'
import { snapshot, fuzzRuns, fuzzSeed, Stats } from '../helpers/hardening.ts'

const UNITS_HEADER = 'code,name,type,level,parent_code'
const ACTIVITY_HEADER = 'unit_code,month,documents_signed'

t.test('fuzzing the CSV imports: refused as a whole, nothing stored', async (t) => {
  const { app, auth, database } = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000, bodyLimit: 16 * 1024 * 1024 } })
  const before = await snapshot(database.db)
  const stats = new Stats()

  const send = async (url: string, body: Buffer | string, what: string, type = 'text/csv') => {
    const who = url === '/v1/units/import' ? auth.admin : auth.registrar
    const started = performance.now()
    const res = await app.inject({ method: 'POST', url, headers: { ...who, 'content-type': type }, payload: body })
    const ms = performance.now() - started
    stats.record(ms, res.statusCode, `${what} → ${url}`)
    return { res, ms }
  }
  const refused = async (url: string, body: Buffer | string, what: string): Promise<boolean> => {
    const { res, ms } = await send(url, body, what)
    const ok = res.statusCode >= 400 && res.statusCode < 500
      && res.headers['content-type'] === 'application/problem+json; charset=utf-8' && typeof res.json().code === 'string'
    if (!ok) t.fail(`${what} → ${url} (${body.length} bytes): ${res.statusCode} in ${ms.toFixed(0)} ms: ${res.body.slice(0, 300)}`)
    return ok
  }

  // Fields: plausible ones, random text, quotes, separators and line breaks in odd places.
  const field = fc.oneof(
    fc.constantFrom('60', '593', '23221', 'xa', 'phuong', 'commune', 'district', 'province', 'tinh', 'Xã Tân Hà', '2025-01', '12', '-1', '2017-13-40', ''),
    fc.string({ maxLength: 12 }),
    fc.constantFrom('"', '""', '"a"b', 'a"b', '"unterminated', '\r', '\n', '\r\n', ',', '\u0000', '\uFEFF', 'Thuỷ', 'Thủy'),
  )
  const row = fc.array(field, { minLength: 0, maxLength: 8 }).map((fields) => fields.join(','))
  // A row that is never valid whatever surrounds it (unless a stray quote swallows it, which is a syntax error in turn).
  const poison = { '/v1/units/import': '99999999999,Xã Sai,not_a_type,galaxy,', '/v1/activity/import': '23221,2025-13,-5' }
  const url = fc.constantFrom('/v1/units/import' as const, '/v1/activity/import' as const)

  t.test('random rows around a bad one', async (_t) => {
    await fc.assert(fc.asyncProperty(url, fc.array(row, { maxLength: 30 }), fc.nat(), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean(),
      async (u, rows, at, eol, header) => {
        const lines = [...rows]
        lines.splice(at % (lines.length + 1), 0, poison[u])
        if (header) lines.unshift(u === '/v1/units/import' ? UNITS_HEADER : ACTIVITY_HEADER)
        return refused(u, lines.join(eol), 'random rows')
      }), { numRuns: fuzzRuns(150), seed: fuzzSeed(11), endOnFailure: true })
  })

  t.test('wrong encodings: random bytes, Latin-1, UTF-16, invalid UTF-8 sequences', async (_t) => {
    const text = `${UNITS_HEADER}\n23999,Xã Tân Hà,xa,commune,593\n`
    const encoded = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.from(text, 'latin1')),
      fc.constant(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
      fc.constant(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])),
      fc.tuple(fc.nat(), fc.constantFrom([0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe1, 0xba], [0xff]))
        .map(([i, bad]) => { const b = Buffer.from(text); const at = i % b.length; return Buffer.concat([b.subarray(0, at), Buffer.from(bad), b.subarray(at)]) }),
    )
    // Whatever decodes by chance must still be refused: the poison row goes first.
    await fc.assert(fc.asyncProperty(url, encoded, async (u, bytes) => {
      const body = Buffer.concat([Buffer.from(`${poison[u]}\n`), bytes])
      return refused(u, body, 'wrong encoding')
    }), { numRuns: fuzzRuns(80), seed: fuzzSeed(12), endOnFailure: true })
  })

  t.test('100,000 lines', async (t) => {
    const units = [UNITS_HEADER]
    for (let i = 0; i < 100_000; i++) units.push(`${8_000_000 + i},Xã Thử ${i},xa,commune,593`)
    units.push(poison['/v1/units/import'])
    const csv = units.join('\n')
    t.ok(await refused('/v1/units/import', csv, '100,000 good lines and a bad last one'), 'units: refused as a whole')
    const { res } = await send('/v1/units/import', csv, 'again, for the problems')
    t.match(res.json().problems, [{ line: 100_002 }], 'the bad line is named')

    const activity = [ACTIVITY_HEADER]
    for (let i = 0; i < 100_000; i++) activity.push(`23221,${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${i}`)
    activity.push(poison['/v1/activity/import'])
    t.ok(await refused('/v1/activity/import', activity.join('\n'), '100,000 activity lines and a bad last one'), 'activity: refused as a whole')

    const quotes = `${UNITS_HEADER}\n"${'x,'.repeat(50_000)}\n`.repeat(2)
    t.ok(await refused('/v1/units/import', quotes, 'an unterminated quote over 100,000 fields'), 'an unterminated quote')
    const garbage = Array.from({ length: 100_000 }, (_, i) => `${i},"${i % 7 === 0 ? '"' : ''}x${i}",,,,,,`).join('\n')
    t.ok(await refused('/v1/units/import', garbage, '100,000 lines of garbage'), 'garbage lines')
  })

  t.test('over BODY_LIMIT: 413 before anything is parsed', async (t) => {
    const small = await testApp(t, { config: { rateLimitWritesPerMinute: 1_000_000 } })
    const body = `${UNITS_HEADER}\n${'1,a,xa,commune,593\n'.repeat(100_000)}`
    const res = await small.app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...small.auth.admin, 'content-type': 'text/csv' }, payload: body })
    t.equal(res.statusCode, 413)
    t.equal(res.json().code, 'payload_too_large')
  })

  t.test('the database holds exactly what it held before', async (t) => {
    t.same(await snapshot(database.db), before)
    t.comment(stats.summary('fuzz CSV'))
  })
})
