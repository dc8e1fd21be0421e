/**
 * The dashboard's figures keep every digit: counts and amounts beyond 2^53 − 1 come from the API as strings of
 * digits. Checked in Node, and in Chromium on the page's own modules (skipped where no Chromium is installed).
 */
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium } from 'playwright-core'
import { ARGS, CHROMIUM, NO_BROWSER } from '../helpers/browser.ts'
import { testApp } from '../helpers/app.ts'
// @ts-expect-error: a plain ES module of the page, without types
import { fmtBillion, fmtInt } from '../../src/dashboard/static/format.js'
// @ts-expect-error: a plain ES module of the page, without types
import { state } from '../../src/dashboard/static/state.js'

type Formatted = { int: string[]; billion: string[] }
const INTS = [9_007_199_254_740_991, '9007199254740992', '9007199254740993', '184467440737095516150', 0, 68_728]
const AMOUNTS = [1_512_016_000, '184467440737095516150', '123456789012345678905000000', 9_007_199_254_740_991, 1_005_000_000, 0]
const EXPECTED: Record<'vi' | 'en', Formatted> = {
  vi: {
    int: ['9.007.199.254.740.991', '9.007.199.254.740.992', '9.007.199.254.740.993', '184.467.440.737.095.516.150', '0', '68.728'],
    billion: ['1,51', '184.467.440.737,10', '123.456.789.012.345.678,91', '9.007.199,25', '1,01', '0,00'],
  },
  en: {
    int: ['9,007,199,254,740,991', '9,007,199,254,740,992', '9,007,199,254,740,993', '184,467,440,737,095,516,150', '0', '68,728'],
    billion: ['1.51', '184,467,440,737.10', '123,456,789,012,345,678.91', '9,007,199.25', '1.01', '0.00'],
  },
}

t.test('in Node: every digit, in Vietnamese and in English', async (t) => {
  const lang = state.lang
  t.teardown(() => { state.lang = lang })
  for (const l of ['vi', 'en'] as const) {
    state.lang = l
    t.strictSame({ int: INTS.map(fmtInt), billion: AMOUNTS.map(fmtBillion) }, EXPECTED[l], l)
  }
})

t.test('in Chromium, on the modules the page loads', { skip: NO_BROWSER }, async (t) => {
  const { app } = await testApp(t, { seed: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/assets/favicon.svg`)
  const formatted = await page.evaluate(async ({ ints, amounts, assets }) => {
    const format = await import(`${assets}format.js`) as { fmtInt: (n: unknown) => string; fmtBillion: (n: unknown) => string }
    const { state } = await import(`${assets}state.js`) as { state: { lang: string } }
    const out: Record<string, Formatted> = {}
    for (const l of ['vi', 'en']) {
      state.lang = l
      out[l] = { int: ints.map(format.fmtInt), billion: amounts.map(format.fmtBillion) }
    }
    return out
  }, { ints: INTS, amounts: AMOUNTS, assets: '/assets/' })
  t.strictSame(formatted, EXPECTED)
})
