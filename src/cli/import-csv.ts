import fs from 'node:fs'
import { loadConfig } from '../config.ts'
import { openPreparedDatabase } from '../bootstrap.ts'
import { importUnits } from '../units/import.ts'
import { importLineage } from '../units/lineage.ts'
import { waitUntilSeen } from '../db/version-watch.ts'
import type { Db } from '../db/open.ts'
import type { Actor } from '../auth/actor.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { DomainError } from '../lib/errors.ts'

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

type Importer = (db: Db, actor: Actor, bytes: Buffer, source: string) => Promise<{ inserted: number; updated: number }>

/** The CSV imports of the command line: all rows or none, like their API routes. */
export const IMPORTS: Record<string, Importer> = { 'import-units': importUnits, 'import-lineage': importLineage }

export async function runImportCsv(command: string, args: string[], io: Io): Promise<number> {
  const importer = IMPORTS[command]
  if (args.length !== 1 || args[0].startsWith('-')) {
    io.stderr.write(`Usage: kyso ${command} FILE.csv\n`)
    return 2
  }
  const file = args[0]
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch {
    io.stderr.write(`kyso: cannot read ${file}\n`)
    return 2
  }
  const config = loadConfig()
  const started = performance.now()
  const database = await openPreparedDatabase(config)
  try {
    const result = await importer(database.db, { ...SYSTEM_ACTOR, name: `kyso ${command}` }, bytes, `file:${file}`)
    // Done only once every running server's read cache has taken the import in.
    await waitUntilSeen(database.db)
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    io.stdout.write(`Imported ${file}: ${result.inserted} inserted, ${result.updated} updated in ${seconds} s.\n`)
    return 0
  } catch (err) {
    if (err instanceof DomainError) {
      io.stderr.write(`kyso: ${file} was refused, nothing was stored: ${err.detail}\n`)
      for (const p of err.problems ?? []) io.stderr.write(`  ${p.message}\n`)
      return 1
    }
    throw err
  } finally {
    await database.close()
  }
}
