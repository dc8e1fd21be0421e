// How test files load TypeScript: Node.js 22.18 and later strip the types themselves; on older lines (20)
// strip-types-hooks.mjs compiles it (with esbuild, cached on disk), with source maps for the stack traces.
import module from 'node:module'
import { dependencyBundles } from './dependency-bundles.mjs'

if (!process.features.typescript) {
  process.setSourceMapsEnabled(true)
  module.register('./strip-types-hooks.mjs', import.meta.url)
}

// Node.js 22 and later keep the modules' compiled code on disk (in the system's temporary folder) for the
// next process: 0.35 s less CPU for each test file that loads the app.
module.enableCompileCache?.()

// Node.js 22 and 24 look up the package scope of every module they resolve, reading the package's
// package.json again each time. The project's own imports of a package (`drizzle-orm` from seventy files)
// resolve alike from every file of the project, so each is resolved once; the packages the app loads, hundreds
// of small modules, load from bundles of them (dependency-bundles.mjs).
const PROJECT = new URL('../../', import.meta.url).href
const bundles = module.registerHooks ? await dependencyBundles() : null
const resolved = new Map()
if (module.registerHooks) {
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const parent = context.parentURL
      if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('node:') || !parent?.startsWith(PROJECT) || parent.includes('/node_modules/')) {
        return nextResolve(specifier, context)
      }
      const bundle = bundles?.get(specifier)
      if (bundle) return { url: bundle, format: 'module', shortCircuit: true }
      const key = `${specifier}\0${context.conditions?.join()}\0${JSON.stringify(context.importAttributes ?? {})}`
      const known = resolved.get(key)
      if (known) return { url: known.url, format: known.format, shortCircuit: true }
      const result = nextResolve(specifier, context)
      resolved.set(key, result)
      return result
    },
  })
}
