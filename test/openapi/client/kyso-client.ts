/**
 * A small client of Kyso's public reads, typed only by what openapi-typescript generates from
 * openapi/openapi.json: `kyso-api.ts` beside this file, written by test/openapi/client.test.ts when it
 * type-checks this client (which is why tsconfig.json leaves this folder out).
 */
import type { operations } from './kyso-api.ts'

type Read = 'getCoverage' | 'getSavings'
type Query<Op extends Read> = NonNullable<operations[Op]['parameters']['query']>
type Answer<Op extends Read> = operations[Op]['responses'][200]['content']['application/json']

export type Coverage = Answer<'getCoverage'>
export type Savings = Answer<'getSavings'>

async function read<Op extends Read>(baseUrl: string, path: string, query: Query<Op>, token?: string): Promise<Answer<Op>> {
  const url = new URL(path, baseUrl)
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value))
  }
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`)
  return (await response.json()) as Answer<Op>
}

export function getCoverage(baseUrl: string, query: Query<'getCoverage'>, token?: string): Promise<Coverage> {
  return read<'getCoverage'>(baseUrl, '/v1/coverage', query, token)
}

export function getSavings(baseUrl: string, query: Query<'getSavings'>, token?: string): Promise<Savings> {
  return read<'getSavings'>(baseUrl, '/v1/savings', query, token)
}

/** The line a provincial report would print from the two answers. */
export function summary(coverage: Coverage, savings: Savings): string {
  const where = coverage.parent.name
  const share = `${coverage.covered} of ${coverage.total} communes (${coverage.percent} %) can sign on ${coverage.asOf}`
  const saved = `${savings.documentsSigned} documents signed from ${savings.from} to ${savings.to}, about ${savings.estimatedSavingsVnd} đồng saved`
  return `${where}: ${share}; ${saved} at ${savings.costPerDocumentVnd} đồng a document`
}
