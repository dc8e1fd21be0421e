/**
 * The dashboard on the whole country's units through time (SEED vietnam): the provinces in force on the day
 * chosen, a province that has ended (Bình Thuận, 2025-06-30) and its successor (Lâm Đồng, 68), and a province
 * of the two-level structure shown by type of unit. In a real browser, like browser.test.ts.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium } from 'playwright-core'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { ARGS, ARTIFACTS, CHROMIUM, NO_BROWSER, watch } from '../helpers/browser.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { day, hierarchy, leaf, trust, withChain } from '../helpers/pki.ts'

if (!CHROMIUM) {
  t.plan(0, `${NO_BROWSER}: the dashboard's browser tests are skipped`)
} else {
  t.test('units through time: the provinces of the day, an ended province and its successor, a province without districts', async (t) => {
    const national = await createTestDatabase({ seed: 'vietnam' })
    const napp = await buildApp({ db: national.db, config: testConfig(), ping: national.ping, logger: false })
    t.teardown(async () => { await napp.close(); await national.drop() })
    await napp.listen({ port: 0, host: '127.0.0.1' })
    const nbase = `http://127.0.0.1:${(napp.server.address() as AddressInfo).port}`
    const napi = async (url: string) => (await fetch(`${nbase}${url}`)).json()
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
    t.teardown(() => browser.close())
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    t.teardown(() => context.close())
    const visit = async (url: string) => {
      const page = await context.newPage()
      const w = watch(page)
      await page.goto(`${nbase}${url}`)
      await page.waitForSelector('html[data-state=ready]')
      return { page, w }
    }

    // Before the reform: the provinces of 2017, Bình Thuận with its districts, marked historical.
    const before = await napi('/v1/units?level=province&asOf=2017-12-31')
    const old = await visit('/?date=2017-12-31')
    t.equal(await old.page.locator('#province option').count(), before.total, `the ${before.total} provinces of 31/12/2017`)
    t.match(await old.page.textContent('#heading'), 'Tỉnh Bình Thuận: tình hình đến hết ngày 31/12/2017')
    t.equal(await old.page.locator('#districts li').count(), 10, 'by district: the structure of 2017 had districts')
    t.match(await old.page.textContent('#history-banner'), 'Số liệu lịch sử: tính trên các đơn vị hành chính có hiệu lực ngày 31/12/2017 (ba cấp')
    t.same(old.w.failed, [], 'no failed request')

    // Today, without a province in the address: Bình Thuận has ended; the page follows it to Lâm Đồng.
    const now = await napi('/v1/units?level=province')
    t.equal(now.total, 34)
    const today = await visit('/')
    t.equal(await today.page.locator('#province option').count(), 34, 'the 34 provinces in force today')
    t.match(await today.page.textContent('#heading'), 'Tỉnh Lâm Đồng: tình hình đến hết ngày')
    t.match(await today.page.textContent('#followed'), 'Tỉnh Bình Thuận đã kết thúc sau ngày 30/06/2025; đang xem đơn vị kế thừa: Tỉnh Lâm Đồng.')
    t.ok(await today.page.isHidden('#history-banner'), 'today is not history')

    // Two levels: no districts, communes by type, and the uncovered ones grouped by type.
    const coverage = await napi('/v1/coverage?parent=68')
    t.same(coverage.byDistrict, [])
    t.ok(await today.page.isHidden('#h-districts'), 'no card by district')
    const xa = coverage.byType.xa
    t.match(await today.page.textContent('#types'), new RegExp(`Xã\\s*${xa.covered}/${xa.total}`), 'communes by type')
    t.notMatch(await today.page.textContent('#types'), 'Thị trấn', 'no thị trấn after the reform')
    t.match(await today.page.textContent('#kpi-count'), `${coverage.covered}/${coverage.total}`)
    t.equal(await today.page.locator('.uncovered-groups.by-type .group').count(), Object.values(coverage.byType).filter((c) => (c as { total: number; covered: number }).total > (c as { total: number; covered: number }).covered).length, 'uncovered by type')
    await today.page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-two-level.png'), fullPage: true })
    t.same(today.w.failed.map((f) => f.replace(nbase, '')).filter((f) => !/^GET \/v1\/units\/60\?asOf=\d{4}-\d{2}-\d{2}: 404$/.test(f)), [], 'no failed request but the 404 that says Bình Thuận has ended')

    // Chosen explicitly, an ended province says so and links to its successor.
    const ended = await visit('/?province=60')
    t.notOk(await ended.page.isHidden('#ended'))
    t.match(await ended.page.textContent('#ended'), 'Tỉnh Bình Thuận không còn là đơn vị hành chính vào ngày này: đơn vị chỉ có hiệu lực đến hết ngày 30/06/2025.')
    t.ok(await ended.page.isHidden('#figures'), 'no figures for a province that does not exist')
    await ended.page.click('#ended a.successor[data-code="68"]')
    await ended.page.waitForFunction(() => document.querySelector('#heading')?.textContent?.startsWith('Tỉnh Lâm Đồng') && document.documentElement.dataset.state === 'ready')
    t.match(ended.page.url(), 'province=68')
    t.ok(await ended.page.isHidden('#ended'))
    t.same(ended.w.failed.map((f) => f.replace(nbase, '')).filter((f) => !/^GET \/v1\/units\/60\?asOf=\d{4}-\d{2}-\d{2}: 404$/.test(f)), [], 'only the 404 that says Bình Thuận has ended')
    t.same(ended.w.errors.filter((e) => !/status of 404/.test(e)), [], 'no other console error')

    // A certificate recorded for Xã Ngọc Long before the reform (district 028) covers the same People's Committee
    // under province 08 afterwards; it expires soon, and the renewal list says it names the former unit.
    const admin = (await createToken(national.db, SYSTEM_ACTOR, { name: 'through-time admin', role: 'admin' })).token
    const auth = { authorization: `Bearer ${admin}` }
    const h = hierarchy('Through time')
    await trust(napp, auth, h, { intermediate: true })
    const cert = leaf(h, [['C', 'VN'], ['CN', 'UBND xã Ngọc Long']], { notBefore: day('2024-03-01'), notAfter: new Date(Date.now() + 30 * 86_400_000) })
    const up = await fetch(`${nbase}/v1/certificates`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ certificate: withChain(cert, h), unitCode: '00859' }),
    })
    t.equal(up.status, 201, 'recorded for the version of 2024')
    const tq = await napi('/v1/coverage?parent=08')
    const entry = tq.expiringWithin90Days.find((e: { unitCode: string }) => e.unitCode === '00859')
    t.same(entry?.recordedFor, { code: '00859', name: 'Xã Ngọc Long' }, 'the API names the former version')
    const renew = await visit('/?province=08')
    t.match(await renew.page.textContent('#expiring'), 'chứng thư ghi tên cũ: Xã Ngọc Long (00859)')
    t.match(await renew.page.textContent('#expiring .renew-note'), '1 chứng thư còn ghi tên đơn vị cũ')
    await renew.page.locator('#expiring').screenshot({ path: path.join(ARTIFACTS, 'dashboard-renew.png') })
    t.same(renew.w.failed, [], 'no failed request')
  })
}
