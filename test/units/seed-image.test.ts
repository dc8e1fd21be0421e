/**
 * The prebuilt embedded database: an image written as the build writes it, found only for its own seed,
 * copied into a new data folder (never over an existing one) and serving the seeded data at once.
 * Embedded PostgreSQL only: images are for PGlite.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import t from 'tap'
import { sql } from 'drizzle-orm'
import { findSeedImage, pruneSeedImages, seedImagePath, writeSeedImage } from '../../src/units/seed-image.ts'
import { openDatabase, type OpenOptions } from '../../src/db/open.ts'
import { prepareDatabase } from '../../src/db/migrate.ts'
import { queryRows } from '../../src/db/rows.ts'
import { EMBEDDED_ONLY } from '../helpers/db.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-image-test-'))
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))
const images = path.join(dir, 'images')
const SEED = 'binh-thuan-2017'

async function communes(options: OpenOptions): Promise<{ communes: number; migrations: number; name: string }> {
  const database = await openDatabase(options)
  try {
    // As a start does: migrations already applied leave nothing to do.
    await prepareDatabase(database, options)
    const [row] = await queryRows<{ communes: number; migrations: number; name: string }>(database.db, sql`
      select (select count(*)::int from admin_units where level = 'commune') as communes,
        (select count(*)::int from drizzle.__drizzle_migrations) as migrations,
        (select name from admin_units where code = '22915') as name`)
    return row
  } finally {
    await database.close()
  }
}

t.test('an image is found for its seed only, and a new data folder starts as a copy of it', { skip: EMBEDDED_ONLY }, async (t) => {
  t.equal(findSeedImage(SEED, images), null, 'none before it is written')
  const image = seedImagePath(SEED, images)
  await writeSeedImage(SEED, image)
  t.equal(findSeedImage(SEED, images), image)
  t.equal(findSeedImage('vietnam', images), null, 'another seed has its own image')
  t.same(fs.readdirSync(images), [path.basename(image)], 'no partial folder is left beside it')

  const journal = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] }
  const dataDir = path.join(dir, 'data')
  const options: OpenOptions = { databaseUrl: null, dataDir, copyFrom: image }
  const first = await communes(options)
  t.equal(first.communes, 127, 'the seed is there without loading it')
  t.equal(first.migrations, journal.entries.length, 'every migration is recorded as applied')

  const database = await openDatabase(options)
  await database.db.execute(sql`update admin_units set name = 'Phường Đổi Tên' where code = '22915'`)
  await database.close()
  t.equal((await communes(options)).name, 'Phường Đổi Tên', 'an existing data folder is opened, not copied over')
  t.equal((await communes({ databaseUrl: null, dataDir: path.join(dir, 'other'), copyFrom: image })).name, first.name, 'and the image is a copy, untouched by the change')
})

// Keeps the image the test above wrote.
t.test('pruning keeps the images asked for', { skip: EMBEDDED_ONLY }, async (t) => {
  const stale = path.join(images, `${SEED}-0000000000000000`)
  fs.mkdirSync(stale)
  pruneSeedImages([seedImagePath(SEED, images)], images)
  t.notOk(fs.existsSync(stale), 'an older build\'s image goes')
  t.ok(findSeedImage(SEED, images), 'the current one stays')
})
