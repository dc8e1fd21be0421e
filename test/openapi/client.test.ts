/**
 * The OpenAPI document is usable by client tools: openapi-typescript generates TypeScript types from the
 * committed openapi/openapi.json, a small client (client/kyso-client.ts) that reads coverage and savings
 * through those types alone passes `tsc --strict`, a misuse of them does not, and the client's answers
 * from the real app are the app's own.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import t, { type Test } from 'tap'
import openapiTS, { astToString } from 'openapi-typescript'
import { testApp } from '../helpers/app.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc')
// Imported by path at run time: the project's type check does not follow it to kyso-api.ts, which only
// exists in the folders this test generates.
const CLIENT = path.join(import.meta.dirname, 'client/kyso-client.ts')
type Answer = { parent: { code: string | null; name: string }; covered: number; total: number } & Record<string, unknown>
type Client = {
  getCoverage: (baseUrl: string, query: Record<string, string>) => Promise<Answer>
  getSavings: (baseUrl: string, query: Record<string, string | number>) => Promise<Record<string, unknown>>
  summary: (coverage: Answer, savings: Record<string, unknown>) => string
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [],
    // The generated types and the client are .ts files, checked whatever this says; TypeScript's own lib files
    // need no checking (tsc took 1.6 CPU-s with them, 0.8 without).
    strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true,
  },
  include: ['*.ts'],
}

/** A folder with the generated types, the client, `extra` files and a tsconfig; tsc's output and status. */
async function typeCheck(t: Test, extra: Record<string, string> = {}): Promise<{ status: number | null; output: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-openapi-client-'))
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
  const document = JSON.parse(fs.readFileSync(path.join(ROOT, 'openapi/openapi.json'), 'utf8'))
  fs.writeFileSync(path.join(dir, 'kyso-api.ts'), astToString(await openapiTS(document)))
  fs.copyFileSync(CLIENT, path.join(dir, 'kyso-client.ts'))
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text)
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG))
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  const result = spawnSync(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { encoding: 'utf8' })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

// One tsc run for both (it is the slow part): the client passes, and each misuse of the types is an error.
t.test('types generated from the document type-check a client of coverage and savings, and refuse misuse', async (t) => {
  const misuse = [
    "import { getCoverage, getSavings } from './kyso-client.ts'",
    "const coverage = await getCoverage('http://127.0.0.1:3000', { parent: 60 })",
    'export const share = coverage.coveredCommunes',
    "export const savings = await getSavings('http://127.0.0.1:3000', { costPerDocumentVnd: '22000' })",
    '',
  ].join('\n')
  const { status, output } = await typeCheck(t, { 'misuse.ts': misuse })
  t.not(status, 0, 'tsc fails on the misuse')
  t.notMatch(output, /kyso-client\.ts|kyso-api\.ts/, 'the client and the generated types pass')
  t.match(output, /misuse\.ts\(2,\d+\): error TS2322/, 'parent is a string')
  t.match(output, /misuse\.ts\(3,\d+\): error TS2339: Property 'coveredCommunes'/, 'no such field')
  t.match(output, /misuse\.ts\(4,\d+\): error TS2322/, 'costPerDocumentVnd is an integer')
  t.equal(output.trim().split('\n').filter((line) => /error TS/.test(line)).length, 3, 'nothing else', { output })
})

t.test('the client reads the real app and gets its answers', async (t) => {
  const { getCoverage, getSavings, summary } = (await import(CLIENT)) as Client
  const { app } = await testApp(t)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })
  const coverageQuery = { parent: '60', asOf: '2017-12-31' }
  const savingsQuery = { parent: '60', from: '2017-01', to: '2017-12', postageVnd: 20000 }

  const coverage = await getCoverage(base, coverageQuery)
  const savings = await getSavings(base, savingsQuery)

  const direct = async (url: string) => (await app.inject({ method: 'GET', url })).json()
  t.same(coverage, await direct(`/v1/coverage?${new URLSearchParams(coverageQuery)}`))
  t.same(savings, await direct(`/v1/savings?${new URLSearchParams({ ...savingsQuery, postageVnd: '20000' })}`))
  t.equal(coverage.parent.code, '60')
  t.ok(coverage.total > 0, 'the seeded province has communes')
  t.ok(summary(coverage, savings).startsWith(`${coverage.parent.name}: ${coverage.covered} of ${coverage.total} communes`))
})
