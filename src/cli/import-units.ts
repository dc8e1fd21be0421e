import fs from 'node:fs'
import { loadConfig } from '../config.ts'
import { openPreparedDatabase } from '../db/startup.ts'
import { importUnits } from '../units/import.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { HttpProblem } from '../http/problem.ts'

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

export async function runImportUnits(args: string[], io: Io): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) {
    io.stderr.write('Usage: kyso import-units FILE.csv\n')
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
    const result = await importUnits(database.db, { ...SYSTEM_ACTOR, name: 'kyso import-units' }, bytes, `file:${file}`)
    const seconds = ((performance.now() - started) / 1000).toFixed(2)
    io.stdout.write(`Imported ${file}: ${result.inserted} inserted, ${result.updated} updated in ${seconds} s.\n`)
    return 0
  } catch (err) {
    if (err instanceof HttpProblem) {
      io.stderr.write(`kyso: ${file} was refused, nothing was stored: ${err.detail}\n`)
      for (const p of (err.extra.problems as { message: string }[] | undefined) ?? []) io.stderr.write(`  ${p.message}\n`)
      return 1
    }
    throw err
  } finally {
    await database.close()
  }
}
