/**
 * The PostgreSQL a benchmark runs on: DATABASE_URL when set (its data is added to: use a scratch
 * database), else a throwaway database created on BENCH_SERVER_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and dropped by `drop()`.
 */
import crypto from 'node:crypto'
import postgres from 'postgres'

export type BenchDatabase = { url: string; throwaway: boolean; name: string | null; drop: () => Promise<void> }

export const SERVER_URL = process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Creates an empty database on the server and returns its URL; `drop()` removes it (unless kept). */
export async function createThrowawayDatabase(prefix = 'kyso_bench', keep = false): Promise<BenchDatabase> {
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const u = new URL(SERVER_URL)
  u.pathname = `/${name}`
  let dropped = false
  return {
    url: u.toString(),
    throwaway: true,
    name,
    drop: async () => {
      if (keep || dropped) return
      dropped = true
      const a = postgres(SERVER_URL, { max: 1, onnotice: () => {} })
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`)
      } finally {
        await a.end()
      }
    },
  }
}

/** DATABASE_URL, or a throwaway database. */
export async function benchDatabase(options: { keep?: boolean } = {}): Promise<BenchDatabase> {
  const url = process.env.DATABASE_URL?.trim()
  if (url) return { url, throwaway: false, name: null, drop: async () => {} }
  return createThrowawayDatabase('kyso_bench', options.keep)
}
