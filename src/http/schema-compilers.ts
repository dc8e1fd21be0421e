/**
 * Fastify's schema compilers (Ajv for input, fast-json-stringify for answers) with each compiled function
 * kept for the life of the process, keyed by the schema's content and the shared schemas it may refer to.
 * Without it every route compiles the problem document again for each status it may answer, and every app
 * built in the process (one per test) compiles everything again: building an app took 1.6–5 s on a busy
 * 2-core machine, and takes 0.3 s after the first. The schemas come from the code, never from a request,
 * so the cache is bounded by the code.
 *
 * Each function is compiled when first used, not when the route is registered: a start compiles only what
 * its first requests need (0.27 s of CPU for all routes otherwise, a quarter of a warm start). The schemas
 * are the code's, so a schema that does not compile fails every test of its route, not a user's request.
 */
import { createHash } from 'node:crypto'
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown }
type Factory = (externalSchemas: Record<string, unknown>, options: unknown) => (route: { schema: unknown; httpPart?: string; httpStatus?: string }) => Compiled

const compiled = new Map<string, Compiled>()
const pending = new Set<() => Compiled>()

/** Compiles every schema not yet used, throwing the first that does not compile; returns how many it compiled. */
export function compilePendingSchemas(): number {
  const count = pending.size
  for (const force of pending) force()
  return count
}

/**
 * A function that compiles on its first call. For Ajv it carries what Fastify reads of a validator: `errors`
 * after each call, and `schemaEnv`, whose presence makes Fastify pass the data's parent (so that Ajv may
 * replace a coerced root value).
 */
function compiledOnFirstUse(compile: () => Compiled, validator: boolean): Compiled {
  let fn: Compiled | undefined
  const force = (): Compiled => {
    if (fn === undefined) {
      fn = compile()
      pending.delete(force)
    }
    return fn
  }
  pending.add(force)
  const lazy: Compiled = (...args) => {
    const run = force()
    const result = run(...args)
    if (validator) lazy.errors = run.errors
    return result
  }
  if (validator) lazy.schemaEnv = true
  return lazy
}

function memoized(kind: string, factory: Factory): Factory {
  return (externalSchemas, options) => {
    // The compiler itself (an Ajv instance with its meta-schemas: 50 ms) is made when the first schema compiles.
    let compiler: ReturnType<Factory> | undefined
    const build: ReturnType<Factory> = (route) => (compiler ??= factory(externalSchemas, options))(route)
    const context = createHash('sha256').update(JSON.stringify([kind, externalSchemas, options])).digest('base64')
    return (route) => {
      const key = `${context}\0${route.httpPart ?? ''}\0${JSON.stringify(route.schema)}`
      let fn = compiled.get(key)
      if (fn === undefined) {
        fn = compiledOnFirstUse(() => build(route), kind === 'validator')
        compiled.set(key, fn)
      }
      return fn
    }
  }
}

export function schemaCompilers(): NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'] {
  return {
    buildValidator: memoized('validator', AjvCompiler() as unknown as Factory),
    buildSerializer: memoized('serializer', SerializerSelector() as unknown as Factory),
  } as unknown as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
}
