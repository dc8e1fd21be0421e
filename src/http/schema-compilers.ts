/**
 * Fastify's schema compilers (Ajv for input, fast-json-stringify for answers) with each compiled function
 * kept for the life of the process, keyed by the schema's content and the shared schemas it may refer to.
 * Without it every route compiles the problem document again for each status it may answer, and every app
 * built in the process (one per test) compiles everything again: building an app took 1.6–5 s on a busy
 * 2-core machine, and takes 0.3 s after the first. The schemas come from the code, never from a request,
 * so the cache is bounded by the code.
 */
import { createHash } from 'node:crypto'
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Factory = (externalSchemas: Record<string, unknown>, options: unknown) => (route: { schema: unknown; httpPart?: string; httpStatus?: string }) => unknown

const compiled = new Map<string, unknown>()

function memoized(kind: string, factory: Factory): Factory {
  return (externalSchemas, options) => {
    const build = factory(externalSchemas, options)
    const context = createHash('sha256').update(JSON.stringify([kind, externalSchemas, options])).digest('base64')
    return (route) => {
      const key = `${context}\0${route.httpPart ?? ''}\0${JSON.stringify(route.schema)}`
      let fn = compiled.get(key)
      if (fn === undefined) {
        fn = build(route)
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
  } as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
}
