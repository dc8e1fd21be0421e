/**
 * Imported first by the server: when it will run the embedded database (no DATABASE_URL), PGlite's
 * WebAssembly starts compiling at once, on V8's background threads, while the rest of the server loads.
 */
import { pgliteModules } from './pglite-modules.ts'

if (!process.env.DATABASE_URL) pgliteModules().catch(() => {})
