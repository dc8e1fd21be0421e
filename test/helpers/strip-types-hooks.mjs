// Loader hooks for Node.js 20, which cannot run TypeScript itself (test/helpers/typescript.mjs registers them).
// Each .ts module is compiled by esbuild once, and kept in the system's temporary folder under a hash of its
// text: the next processes read the JavaScript back instead. Lighter than tsx's hooks, which resolve every
// import themselves (tsconfig paths, extension guessing): 0.4 s less CPU for a test file that loads the app
// (1.7 s against 2.15 s); here Node.js resolves, and only `.ts` files are loaded differently.
import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(import.meta.dirname, '../..')
const tsconfig = JSON.parse(await fs.readFile(path.join(ROOT, 'tsconfig.json'), 'utf8'))
const options = {
  loader: 'ts',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: tsconfig.compilerOptions },
}
let esbuild = null
const esbuildVersion = JSON.parse(await fs.readFile(path.join(ROOT, 'node_modules/esbuild/package.json'), 'utf8')).version
// A folder of this user's only (the temporary folder is shared): code read back from it runs in the tests.
const CACHE = path.join(os.tmpdir(), `kyso-ts-${process.getuid?.() ?? 'user'}-${esbuildVersion}`)
await fs.mkdir(CACHE, { recursive: true, mode: 0o700 })
const cacheIsOurs = process.getuid ? (await fs.stat(CACHE)).uid === process.getuid() : true
const optionsHash = crypto.createHash('sha256').update(JSON.stringify(options)).digest('hex')

async function compile(file, source) {
  const key = crypto.createHash('sha256').update(optionsHash).update(file).update('\0').update(source).digest('hex')
  const cached = path.join(CACHE, `${key}.mjs`)
  if (cacheIsOurs) {
    try {
      return await fs.readFile(cached, 'utf8')
    } catch { /* compiled below */ }
  }
  esbuild ??= await import('esbuild')
  const { code } = await esbuild.transform(source, { ...options, sourcefile: file })
  if (!cacheIsOurs) return code
  // Written whole, then renamed: another process reading at the same moment finds all of it or nothing.
  const partial = `${cached}.${process.pid}.partial`
  await fs.writeFile(partial, code)
  await fs.rename(partial, cached)
  return code
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context)
  const file = fileURLToPath(url)
  const source = await compile(file, await fs.readFile(file, 'utf8'))
  return { format: 'module', source, shortCircuit: true }
}
