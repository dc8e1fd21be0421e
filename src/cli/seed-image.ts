/**
 * Writes the prebuilt embedded database of the default seed into dist/seed-images as a data folder
 * (src/units/seed-image.ts), unless one for the current migrations and seed files is there. The build runs
 * it after compiling.
 */
import { findSeedImage, pruneSeedImages, seedImagePath, writeSeedImage } from '../units/seed-image.ts'
import type { SeedName } from '../config.ts'

const SEED: SeedName = 'vietnam'

async function run(): Promise<void> {
  if (findSeedImage(SEED)) return
  const started = performance.now()
  const file = seedImagePath(SEED)
  await writeSeedImage(SEED, file)
  pruneSeedImages([file])
  console.log(`kyso build: wrote the embedded database image of the ${SEED} seed in ${((performance.now() - started) / 1000).toFixed(1)} s`)
}

run().then(() => process.exit(0), (err: unknown) => {
  console.error(`kyso build: could not write the embedded database image (${(err as Error).message}); a first start will migrate and seed instead`)
  process.exit(1)
})
