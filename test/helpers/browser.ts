/** What the dashboard's browser tests share: Debian's headless Chromium, where screenshots go, what a page saw go wrong. */
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'

/**
 * Debian's chromium-headless-shell, Chromium's build for automation (the headless browser Playwright itself
 * defaults to), where it is installed: the same Blink and V8 as the full browser, a third less CPU over the
 * dashboard's browser tests (16.7 against 25.0 CPU-s for browser and through-time). Else Debian's chromium,
 * in its headless mode.
 */
const BROWSERS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium']
export const CHROMIUM: string | undefined = BROWSERS.find((file) => fs.existsSync(file))
/** The skip reason of a browser test where neither is installed. */
export const NO_BROWSER: string | false = !CHROMIUM && `no browser: neither ${BROWSERS.join(' nor ')} is installed (apt-get install -y chromium-headless-shell; .ci/run does it when it can)`
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
