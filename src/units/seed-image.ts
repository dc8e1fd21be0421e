/**
 * A prebuilt embedded database: the data folder of a migrated and seeded PGlite, written by the build
 * (`npm run build`, which `npm ci` runs). The first start in a new DATA_DIR copies it instead of migrating
 * and loading every unit version and the lineage (a plain file copy: PGlite's own loading of a tar file
 * takes seconds). An image is named by a hash of what decides its content (the migrations, the seed files,
 * the PGlite version): a start that finds none, or one made from other inputs, migrates and seeds as before.
 * The tests copy the same kind of folder for each test file.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { embeddedFolder, openDatabase, type Database, type OpenOptions } from '../db/open.ts'
import { MIGRATIONS_FOLDER, prepareDatabase } from '../db/migrate.ts'
import { SEED_DIR, SEEDS, seedIfEmpty } from './seed.ts'
import type { SeedName } from '../config.ts'

/** dist/seed-images under the package root, from src/units and from dist/units alike. */
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

/** Opens the database of `options` (with `open`: openDatabase unless told), migrates it, loads `seed` (unless null) and closes it. */
export async function buildSeededDatabase(options: OpenOptions, seed: SeedName | null, open: (options: OpenOptions) => Promise<Database> = openDatabase): Promise<void> {
  const database = await open(options)
  try {
    await prepareDatabase(database, options, async (db) => { if (seed) await seedIfEmpty(db, seed) })
  } finally {
    await database.close()
  }
}

/**
 * Writes an embedded data folder as the folder `image`: `build` makes it in a fresh DATA_DIR beside it and closes
 * it cleanly, then it is renamed into place. Two processes may build it at once: the first rename wins, the
 * other's copy is dropped.
 */
export async function writeDataFolder(image: string, build: (dataDir: string) => Promise<void>): Promise<void> {
  const partial = `${image}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`
  try {
    await build(partial)
    try {
      fs.renameSync(embeddedFolder(partial), image)
    } catch (err) {
      if (!fs.existsSync(path.join(image, 'PG_VERSION'))) throw err
    }
  } finally {
    fs.rmSync(partial, { recursive: true, force: true })
  }
}

/** Writes the image of `seed` (or of the migrations alone, for null) as the folder `image` (writeDataFolder). */
export function writeSeedImage(seed: SeedName | null, image: string): Promise<void> {
  return writeDataFolder(image, (dataDir) => buildSeededDatabase({ databaseUrl: null, dataDir, statementTimeoutMs: 600_000 }, seed))
}

/** Removes the images in `dir` other than `keep` (older builds' images). */
export function pruneSeedImages(keep: string[], dir = IMAGES_DIR): void {
  if (!fs.existsSync(dir)) return
  for (const name of fs.readdirSync(dir)) {
    const image = path.join(dir, name)
    if (!keep.includes(image)) fs.rmSync(image, { recursive: true, force: true })
  }
}
