/**
 * A throwaway PostgreSQL cluster (throwaway-postgres.ts) that outlives this command, for `.ci/run`:
 *   start [parent folder]  prints "<url> <folder>" once it accepts connections
 *   stop <folder>          stops it and removes its folder
 * Usage: node --import ./test/helpers/typescript.mjs test/helpers/throwaway-postgres-cli.ts start /dev/shm
 */
import { removeThrowawayPostgres, startThrowawayPostgres } from './throwaway-postgres.ts'

const [command, folder] = process.argv.slice(2)
if (command === 'start') {
  const pg = await startThrowawayPostgres(folder)
  console.log(`${pg.url} ${pg.dir}`)
} else if (command === 'stop' && folder) {
  removeThrowawayPostgres(folder)
} else {
  console.error('usage: throwaway-postgres-cli.ts start [parent folder] | stop <folder>')
  process.exitCode = 2
}
