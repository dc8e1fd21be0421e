import fs from 'node:fs'
import path from 'node:path'
import { buildApp } from '../app.ts'
import { testConfig } from '../config.ts'
import type { Db } from '../db/open.ts'

const FILE = path.resolve(import.meta.dirname, '../../openapi/openapi.json')

/** The OpenAPI document as generated from the routes. Building the app does not touch the database. */
export async function generateOpenApi(): Promise<string> {
  const app = await buildApp({ db: {} as Db, config: testConfig(), ping: async () => {}, logger: false })
  await app.ready()
  const doc = app.swagger()
  await app.close()
  return `${JSON.stringify(doc, null, 2)}\n`
}

async function run(mode: string | undefined): Promise<number> {
  const generated = await generateOpenApi()
  if (mode === 'write') {
    fs.mkdirSync(path.dirname(FILE), { recursive: true })
    fs.writeFileSync(FILE, generated)
    console.log(`Wrote ${path.relative(process.cwd(), FILE)}`)
    return 0
  }
  const committed = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : ''
  if (committed === generated) {
    console.log('openapi/openapi.json matches the routes.')
    return 0
  }
  console.error('openapi/openapi.json does not match the routes. Run `npm run openapi` and commit the result.')
  return 1
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv[2]).then((code) => process.exit(code), (err) => {
    console.error(err)
    process.exit(1)
  })
}
