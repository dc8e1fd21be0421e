/**
 * /health under a flood of the heaviest anonymous reads: the real server (src/server.ts) in its own
 * process on a fresh database with the default seed, 16 clients asking without pause for the coverage
 * timeline 2000-01…2019-12 of every kind, and beside them one client asking /health every 100 ms.
 * Prints the latency percentiles of /health (and of the dashboard page, a static file) and what the
 * heavy reads were answered.
 *
 *   npm run bench:heavy-reads                                  # embedded database (PGlite) in a temporary folder
 *   BENCH_DATABASE_URL=postgres://…/postgres npm run bench:heavy-reads   # a throwaway database on that server
 *
 * HEAVY_SECONDS (default 20, at most 60) and HEAVY_CLIENTS (default 16) bound the run; BENCH_ROOT runs
 * another checkout's server (to compare before and after a change). Not a test: it asserts nothing.
 */
import path from 'node:path'
import { flood, quietHealth, startServer, timed } from './lib/flood.ts'

const ROOT = path.resolve(process.env.BENCH_ROOT ?? path.join(import.meta.dirname, '..'))
const SECONDS = Math.min(60, Number(process.env.HEAVY_SECONDS ?? 20))
const CLIENTS = Number(process.env.HEAVY_CLIENTS ?? 16)
const HEAVY = '/v1/coverage/timeline?from=2000-01&to=2019-12&kind=any'

async function main(): Promise<void> {
  const server = await startServer(ROOT)
  const { url } = server
  try {
    const quiet = await quietHealth(url)
    const one = await timed(url + HEAVY)
    console.log(server.label)
    console.log(`one heavy read alone: ${one.ms.toFixed(0)} ms (${one.status}); /health on a quiet server: ${quiet}`)
    await flood(url, { clients: CLIENTS, seconds: SECONDS, what: `clients asking ${HEAVY}`, request: () => timed(url + HEAVY) })
  } finally {
    await server.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
