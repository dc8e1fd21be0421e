import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../db/open.ts'
import { SYSTEM_ACTOR } from '../auth/actor.ts'
import { importUnits } from './import.ts'
import { importLineage } from './lineage.ts'
import { countUnits } from './query.ts'
import type { SeedName } from '../config.ts'

export const SEED_DIR = path.join(import.meta.dirname, 'seed')

export const SEEDS: Record<SeedName, { units: string; lineage: string | null; label: string }> = {
  /** Every version of every unit from 2017-12-31 to 2026-12-01, and the lineage between them (seed/SOURCES.md). */
  vietnam: { units: 'vietnam-units.csv', lineage: 'vietnam-lineage.csv', label: 'Việt Nam, every unit version 2017-12-31 → 2026-12-01 with lineage' },
  /** Bình Thuận (GSO 60) at 2017-12-31: the province, 10 districts and 127 commune-level units, open-ended. */
  'binh-thuan-2017': { units: 'binh-thuan-2017.csv', lineage: null, label: 'Bình Thuận (GSO 60) as of 2017-12-31, 127 commune-level units' },
}

/** The Bình Thuận units file (the tests' and the quick benchmark's seed). */
export const SEED_FILE = path.join(SEED_DIR, SEEDS['binh-thuan-2017'].units)

/** Loads a seed into an empty database; a database that has any unit is left alone. Returns its label when loaded. */
export async function seedIfEmpty(db: Db, name: SeedName = 'binh-thuan-2017'): Promise<string | null> {
  if ((await countUnits(db)) > 0) return null
  const seed = SEEDS[name]
  await importUnits(db, SYSTEM_ACTOR, fs.readFileSync(path.join(SEED_DIR, seed.units)), `seed:${name}`)
  if (seed.lineage) await importLineage(db, SYSTEM_ACTOR, fs.readFileSync(path.join(SEED_DIR, seed.lineage)), `seed:${name}`)
  return seed.label
}
