/**
 * A prebuilt embedded database: the data folder of a migrated and seeded PGlite, written by the build
 * (`npm run build`, which `npm ci` runs). The first start in a new DATA_DIR copies it instead of migrating
 * and loading every unit version and the lineage (a plain file copy: PGlite's own loading of a tar file
 * takes seconds). An image is named by a hash of what decides its content (the migrations, the seed files,
 * the PGlite version): a start that finds none, or one made from other inputs, migrates and seeds as before.
 * The tests keep the same kind of database as a tar file, which an in-memory PGlite loads.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { openDatabase, type Database, type OpenOptions } from './open.ts'
import { MIGRATIONS_FOLDER, prepareDatabase } from './migrate.ts'
import { SEED_DIR, SEEDS, seedIfEmpty } from '../units/seed.ts'
import type { SeedName } from '../config.ts'

/** dist/seed-images under the package root, from src/db and from dist/db alike. */
export const IMAGES_DIR = path.resolve(import.meta.dirname, '../../dist/seed-images')

/** The installed PGlite's version (its package.json is not exported: found from its entry point). */
function pgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort()
}

/** Hash of the migrations, the seed's files and the PGlite version. */
export function seedImageKey(seed: SeedName): string {
  const h = crypto.createHash('sha256').update(`pglite ${pgliteVersion()}\0seed ${seed}\0`)
  const { units, lineage } = SEEDS[seed]
  const inputs = [...filesOf(MIGRATIONS_FOLDER), ...[units, lineage].filter((f): f is string => f !== null).map((f) => path.join(SEED_DIR, f))]
  for (const file of inputs) h.update(path.basename(file)).update('\0').update(fs.readFileSync(file)).update('\0')
  return h.digest('hex').slice(0, 16)
}

export function seedImagePath(seed: SeedName, dir = IMAGES_DIR): string {
  return path.join(dir, `${seed}-${seedImageKey(seed)}`)
}

/** The image of this seed for the current migrations and seed files, if one was built. */
export function findSeedImage(seed: SeedName, dir = IMAGES_DIR): string | null {
  const image = seedImagePath(seed, dir)
  return fs.existsSync(path.join(image, 'PG_VERSION')) ? image : null
}

async function buildInto(options: OpenOptions, seed: SeedName | null, then: (database: Database) => Promise<void> = async () => {}): Promise<void> {
  const database = await openDatabase(options)
  try {
    await prepareDatabase(database, options, async (db) => { if (seed) await seedIfEmpty(db, seed) })
    await then(database)
  } finally {
    await database.close()
  }
}

/** Writes the image of `seed` as the folder `image`: built beside it, closed cleanly, renamed into place. */
export async function writeSeedImage(seed: SeedName, image: string): Promise<void> {
  const partial = `${image}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
  try {
    await buildInto({ databaseUrl: null, dataDir: partial, statementTimeoutMs: 600_000 }, seed)
    fs.renameSync(path.join(partial, 'pglite'), image)
  } finally {
    fs.rmSync(partial, { recursive: true, force: true })
  }
}

/**
 * Writes a migrated (and seeded, unless null) database as a tar file that an in-memory PGlite loads
 * (`OpenOptions.loadFrom`). Written beside and renamed into place, so a reader never sees half of one.
 */
export async function writeSeedTar(seed: SeedName | null, file: string): Promise<void> {
  const partial = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
  fs.mkdirSync(path.dirname(file), { recursive: true })
  try {
    await buildInto({ databaseUrl: null, dataDir: 'memory://', statementTimeoutMs: 600_000 }, seed, (database) => database.dump!(partial))
    fs.renameSync(partial, file)
  } finally {
    fs.rmSync(partial, { force: true })
  }
}

/** Removes the images in `dir` other than `keep` (older builds' images). */
export function pruneSeedImages(keep: string[], dir = IMAGES_DIR): void {
  if (!fs.existsSync(dir)) return
  for (const name of fs.readdirSync(dir)) {
    const image = path.join(dir, name)
    if (!keep.includes(image)) fs.rmSync(image, { recursive: true, force: true })
  }
}
