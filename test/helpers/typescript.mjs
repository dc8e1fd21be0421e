// How test files load TypeScript: Node.js 22.18 and later strip the types themselves; on older lines (20)
// strip-types-hooks.mjs compiles it (with esbuild, cached on disk), with source maps for the stack traces.
import module from 'node:module'

if (!process.features.typescript) {
  process.setSourceMapsEnabled(true)
  module.register('./strip-types-hooks.mjs', import.meta.url)
}

// Node.js 22 and later keep the modules' compiled code on disk (in the system's temporary folder) for the
// next process: 0.35 s less CPU for each test file that loads the app.
module.enableCompileCache?.()

// Node.js 22 and 24 look up the package scope of every ES module they resolve and, for drizzle-orm, read its
// 179 kB package.json again each time: 0.35 s of CPU for each process that loads the app (0.8 s to import
// drizzle-orm, against 0.2 s on Node.js 20). Its files are all ES modules, imported by relative paths, so
// those imports are resolved here without the lookup.
// The project's own imports of a package (`drizzle-orm/pg-core` from fifty files) resolve alike from every
// file of the project, so each is resolved once: the lookup reads the package's exports again each time.
const DRIZZLE = '/node_modules/drizzle-orm/'
const PROJECT = new URL('../../', import.meta.url).href
const resolved = new Map()
if (module.registerHooks) {
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier.startsWith('./') || specifier.startsWith('../')) {
        if (context.parentURL?.includes(DRIZZLE) && specifier.endsWith('.js')) {
          return { url: new URL(specifier, context.parentURL).href, format: 'module', shortCircuit: true }
        }
        return nextResolve(specifier, context)
      }
      const parent = context.parentURL
      if (!parent?.startsWith(PROJECT) || parent.includes('/node_modules/') || specifier.startsWith('node:')) return nextResolve(specifier, context)
      const key = `${specifier}\0${context.conditions?.join()}\0${JSON.stringify(context.importAttributes ?? {})}`
      const known = resolved.get(key)
      if (known) return { url: known.url, format: known.format, shortCircuit: true }
      const result = nextResolve(specifier, context)
      resolved.set(key, result)
      return result
    },
  })
}
