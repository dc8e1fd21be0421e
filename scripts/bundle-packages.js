// What every esbuild bundle of the project's code shares: the server's (scripts/build.js) and the test
// processes' bundles of the packages (test/helpers/dependency-bundles.mjs).

/** Packages that read files beside their own code (PGlite's WebAssembly, Swagger's UI): left in node_modules. */
export const LEFT_OUT = ['@electric-sql/pglite', '@electric-sql/pglite/*', '@electric-sql/pglite-socket', '@fastify/swagger', '@fastify/swagger-ui']

/** The CommonJS packages inside a bundle call require() for Node.js's own modules. */
export const REQUIRE_BANNER = "import { createRequire as kysoCreateRequire } from 'node:module'; const require = kysoCreateRequire(import.meta.url);"
