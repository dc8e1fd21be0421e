/** The seeds an empty database can be loaded with (SEED): `vietnam` is every unit version since 2017 with lineage. */
export const SEED_NAMES = ['vietnam', 'binh-thuan-2017'] as const
export type SeedName = (typeof SEED_NAMES)[number]
