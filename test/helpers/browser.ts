/** What the dashboard's browser tests share: Debian's headless Chromium, where screenshots go, what a page saw go wrong. */
import path from 'node:path'
import type { Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
export const ARTIFACTS = path.join(import.meta.dirname, '..', 'dashboard', 'artifacts')

export type Watch = { errors: string[]; failed: string[] }

/** Console errors, page errors, failed requests and error answers seen by a page. */
export function watch(page: Page): Watch {
  const w: Watch = { errors: [], failed: [] }
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()) })
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`))
  page.on('requestfailed', (r) => w.failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`))
  page.on('response', (r) => { if (r.status() >= 400) w.failed.push(`${r.request().method()} ${r.url()}: ${r.status()}`) })
  return w
}
