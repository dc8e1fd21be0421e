import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { generateOpenApi } from '../src/cli/openapi.ts'

t.test('the committed OpenAPI document matches the routes', async (t) => {
  const committed = fs.readFileSync(path.resolve(import.meta.dirname, '../openapi/openapi.json'), 'utf8')
  const generated = await generateOpenApi()
  t.equal(generated, committed, 'run `npm run openapi` and commit openapi/openapi.json')
})

t.test('every operation has a summary, tags and responses', async (t) => {
  const doc = JSON.parse(await generateOpenApi())
  const operations = Object.entries(doc.paths as Record<string, Record<string, { summary?: string; tags?: string[]; responses?: object }>>)
    .filter(([p]) => !p.startsWith('/documentation'))
    .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ id: `${m.toUpperCase()} ${p}`, op })))
  t.ok(operations.length >= 7)
  for (const { id, op } of operations) {
    t.ok(op.summary, `${id} has a summary`)
    t.ok(op.tags?.length, `${id} has tags`)
    t.ok(Object.keys(op.responses ?? {}).length >= 2, `${id} documents its answers`)
  }
  t.ok(doc.components.schemas.Problem, 'the shared Problem schema is named')
})
