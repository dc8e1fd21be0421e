import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../db/open.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { countUnits, importUnits } from './service.ts'

/** Bình Thuận (GSO 60) at 2017-12-31: the province, 10 districts and 127 commune-level units. */
export const SEED_FILE = path.join(import.meta.dirname, 'seed-binh-thuan-2017.csv')

/** Loads the seed into an empty database; a database that has any unit is left alone. */
export async function seedIfEmpty(db: Db): Promise<boolean> {
  if ((await countUnits(db)) > 0) return false
  await importUnits(db, SYSTEM_ACTOR, fs.readFileSync(SEED_FILE), 'seed:binh-thuan-2017')
  return true
}
