/**
 * Strict reading of what a client sends, before schema validation:
 *
 * - every text (query, path, JSON body, at any depth) free of NUL and of unpaired UTF-16 surrogates, which
 *   PostgreSQL cannot store and which no legitimate name, reason or code holds;
 * - numbers in the query and path written as plain decimals: `Infinity`, `1e309`, `0x10`, `" "` or `1e20`
 *   are refused instead of being coerced into something else. The app's validator does not coerce types
 *   (a JSON `true` is not the number 1); this hook turns the query's and path's checked digits into numbers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { BadRequest } from '../lib/errors.ts'
import { textFault } from '../lib/text-fault.ts'

/** Up to 15 digits: every such integer is exact in a double; the schema's own bounds apply after. */
const INTEGER = /^-?(0|[1-9]\d{0,14})$/
const DECIMAL = /^-?(0|[1-9]\d{0,14})(\.\d{1,9})?$/
const MAX_DEPTH = 20

type Schema = { type?: string | string[]; anyOf?: Schema[]; oneOf?: Schema[]; properties?: Record<string, Schema>; items?: Schema }

function findFault(value: unknown, where: string, depth = 0): string | null {
  if (typeof value === 'string') {
    const fault = textFault(value)
    return fault ? `${where} ${fault}` : null
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return null
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const keyFault = textFault(key)
    if (keyFault) return `a property name in ${where} ${keyFault}`
    const found = findFault(v, Array.isArray(value) ? `${where}[${key}]` : `${where}.${key}`, depth + 1)
    if (found) return found
  }
  return null
}

function typesOf(schema: Schema | undefined): Set<string> {
  const out = new Set<string>()
  if (!schema) return out
  for (const t of [schema.type ?? []].flat()) out.add(t)
  for (const s of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) for (const t of typesOf(s)) out.add(t)
  return out
}

function readScalar(raw: string, types: Set<string>, where: string): unknown {
  if (types.has('integer') || types.has('number')) {
    if (INTEGER.test(raw)) return Number(raw)
    if (types.has('number') && DECIMAL.test(raw)) return Number(raw)
    if (!types.has('string')) {
      throw new BadRequest(`${where} must be a ${types.has('integer') ? 'whole number' : 'number'} written in decimal digits (at most 15), not ${JSON.stringify(raw.slice(0, 40))}.`)
    }
  }
  if (types.has('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true'
  return raw
}

/** Turns a query's or path's strings into the scalars their schema asks for, strictly. */
function coerce(values: Record<string, unknown>, schema: Schema | undefined, part: string): void {
  const props = schema?.properties ?? {}
  for (const [name, value] of Object.entries(values)) {
    const prop = props[name]
    if (!prop) continue
    const where = `${part} parameter ${name}`
    const types = typesOf(prop)
    if (typeof value === 'string') values[name] = readScalar(value, types, where)
    else if (Array.isArray(value) && types.has('array')) values[name] = value.map((v: unknown) => (typeof v === 'string' ? readScalar(v, typesOf(prop.items), where) : v))
    else if (Array.isArray(value) && !types.has('array')) throw new BadRequest(`${where} is given more than once.`)
  }
}

export function checkRequestInput(request: FastifyRequest): void {
  const schema = request.routeOptions.schema as { querystring?: Schema; params?: Schema } | undefined
  for (const [part, value] of [['query', request.query], ['path', request.params], ['body', request.body]] as const) {
    if (part === 'body' && (value === undefined || Buffer.isBuffer(value))) continue
    const fault = findFault(value, part)
    if (fault) throw new BadRequest(`The request's ${fault}; nothing was read.`)
  }
  if (request.query && typeof request.query === 'object') coerce(request.query as Record<string, unknown>, schema?.querystring, 'query')
  if (request.params && typeof request.params === 'object') coerce(request.params as Record<string, unknown>, schema?.params, 'path')
}

export function registerStrictInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => { checkRequestInput(request) })
}
