#!/usr/bin/env node
// The `kyso` command: runs the compiled code in dist/ (built by `npm ci`, or `npm run build`).
import fs from 'node:fs'

const main = new URL('../dist/cli/main.js', import.meta.url)
if (!fs.existsSync(main)) {
  console.error('kyso: dist/ is missing; run `npm run build` (or `npm ci`) in the Kyso folder first.')
  process.exit(1)
}
process.setSourceMapsEnabled(true)
const { main: run } = await import(main.href)
process.exitCode = await run(process.argv.slice(2))
