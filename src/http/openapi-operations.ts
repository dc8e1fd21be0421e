/**
 * What the OpenAPI document needs for client generators, derived from the routes so that a new route gets
 * it without declaring anything: an operationId from the method and the path, a `security` requirement from
 * the route's access level, and request body schemas in OpenAPI 3.0's dialect.
 */
import type { Access } from './access.ts'

type Json = Record<string, unknown>
type Operation = Json & { operationId?: string; responses?: Record<string, Json>; requestBody?: Json }
export type OpenApiDocument = Json & { paths?: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Json> } }

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']
const VERBS: Record<string, string> = { get: 'get', put: 'put', post: 'create', delete: 'delete', patch: 'update' }

/**
 * The security requirement of a route: none for `open` ones, a bearer token or none for `public` ones (they
 * need a token only when PUBLIC_REPORTS=false), a bearer token for all others. Routes without an access
 * level are admin-only (see src/auth/hook.ts).
 */
export function securityFor(access: Access | undefined): Array<Record<string, string[]>> {
  if (access === 'open') return []
  if (access === 'public') return [{}, { bearerAuth: [] }]
  return [{ bearerAuth: [] }]
}

const words = (segment: string) => segment.split(/[-_.]/).filter(Boolean)
const pascal = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)
const isParam = (segment: string) => /^\{.+\}$/.test(segment)

function singular(word: string): string {
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`
  if (/[^s]s$/.test(word)) return word.slice(0, -1)
  return word
}

/** A camelCase name for one path segment, singular when it names the collection an id picks from. */
function segmentName(segment: string, one: boolean): string {
  const w = words(segment)
  if (one && w.length > 0) w[w.length - 1] = singular(w[w.length - 1])
  return w.map(pascal).join('')
}

/**
 * `getCoverage`, `listCertificates`, `getCertificate`, `createCertificate`, `importUnits`, `deleteToken`…:
 * the method's verb (GET answering a page of `items` is `list`; a POST to `…/import` is `import`), then the
 * path's fixed segments, without the version prefix. A segment followed by a path parameter, or the last
 * one of a POST that creates, is singular.
 */
export function operationIdFor(method: string, path: string, lists: boolean): string {
  const segments = path.split('/').filter(Boolean)
  if (segments.length > 0 && /^v\d+$/.test(segments[0])) segments.shift()
  let verb = VERBS[method] ?? method
  if (method === 'get' && lists) verb = 'list'
  if (method === 'post' && segments.at(-1) === 'import') {
    verb = 'import'
    segments.pop()
  }
  const last = segments.length - 1
  const name = segments
    .map((segment, i) => {
      if (isParam(segment)) return ''
      const one = (i < last && isParam(segments[i + 1])) || (i === last && verb === 'create')
      return segmentName(segment, one)
    })
    .join('')
  return verb + name
}

/** The schema behind a `$ref` to the document's components, or the schema itself. */
function resolve(doc: OpenApiDocument, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#/components/schemas/')) return schema
  return doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)]
}

/** Whether a GET answers a page: a JSON object with an `items` array. */
function answersPage(doc: OpenApiDocument, operation: Operation): boolean {
  const ok = Object.entries(operation.responses ?? {}).find(([status]) => /^2/.test(status))?.[1]
  const content = ok?.content as Record<string, { schema?: Json }> | undefined
  const schema = resolve(doc, content?.['application/json']?.schema)
  const items = (schema?.properties as Record<string, Json> | undefined)?.items
  return resolve(doc, items)?.type === 'array'
}

/**
 * OpenAPI 3.0 has no `contentMediaType` (JSON Schema 2019-09; OpenAPI 3.1): the media type is already the
 * content's key, so a body schema that only names it becomes a string.
 */
function toOpenApi30(schema: Json): void {
  if (!('contentMediaType' in schema)) return
  delete schema.contentMediaType
  if (schema.type === undefined) schema.type = 'string'
}

/**
 * Gives every operation without one a unique operationId (a clash, which only two routes whose paths
 * differ in parameters alone can cause, gets the method's position appended) and rewrites request bodies
 * for OpenAPI 3.0. Changes `doc` in place and returns it.
 */
export function completeOperations(doc: OpenApiDocument): OpenApiDocument {
  const taken = new Set<string>()
  const missing: Array<[string, string, Operation]> = []
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method]
      if (!operation) continue
      for (const media of Object.values((operation.requestBody?.content ?? {}) as Record<string, { schema?: Json }>)) {
        if (media.schema) toOpenApi30(media.schema)
      }
      if (operation.operationId) taken.add(operation.operationId)
      else missing.push([path, method, operation])
    }
  }
  for (const [path, method, operation] of missing) {
    const base = operationIdFor(method, path, method === 'get' && answersPage(doc, operation))
    let id = base
    for (let n = 2; taken.has(id); n++) id = `${base}${n}`
    taken.add(id)
    operation.operationId = id
  }
  return doc
}
