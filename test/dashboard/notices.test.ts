/**
 * Notices on the dashboard: GET /v1/notices through the API (scoped like subscriptions), and, where
 * Debian's Chromium is installed, the page showing each subscription's last notices with a link to
 * them from the expiring list.
 */
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium } from 'playwright-core'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { createTestDatabase } from '../helpers/db.ts'
import { insertCertificate } from '../helpers/coverage-data.ts'
import { startReceiver } from '../helpers/notify.ts'
import { ARGS, CHROMIUM, NO_BROWSER } from '../helpers/browser.ts'

const DAY = 86_400_000

t.test('notices: the API, and the dashboard where a browser is installed', async (t) => {
  const database = await createTestDatabase({ seed: true })
  t.teardown(() => database.drop())
  const receiver = await startReceiver()
  t.teardown(receiver.close)
  const app = await buildApp({ db: database.db, config: testConfig({ webhookAllowPrivate: true }), ping: database.ping, logger: false })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

  const registrar = (await createToken(database.db, SYSTEM_ACTOR, { name: 'Phan Thiết', role: 'registrar', scope: ['593'] })).token
  const other = (await createToken(database.db, SYSTEM_ACTOR, { name: 'Phú Quí', role: 'registrar', scope: ['602'] })).token
  const soon = await insertCertificate(database.db, { unitCode: '22915', notBefore: new Date(Date.now() - 300 * DAY), notAfter: new Date(Date.now() + 20 * DAY) })
  await insertCertificate(database.db, { unitCode: '22918', notBefore: new Date(Date.now() - 300 * DAY), notAfter: new Date(Date.now() + 60 * DAY) })
  const created = await app.inject({ method: 'POST', url: '/v1/subscriptions', headers: { authorization: `Bearer ${registrar}` }, payload: { channel: 'webhook', url: receiver.url, scope: ['593'] } })
  t.equal(created.statusCode, 201)
  const result = await app.notifier.tick()
  t.equal(result.delivered, 2, 'a notice for each certificate within 90 days')

  const mine = await app.inject({ url: `/v1/notices?certificateId=${soon}`, headers: { authorization: `Bearer ${registrar}` } })
  t.equal(mine.statusCode, 200)
  t.match(mine.json().items, [{ certificateId: soon, type: 'certificate.expiring', key: `expiry:${soon}:30`, status: 'delivered', attempts: 1 }])
  t.equal(mine.json().items.length, 1)
  const theirs = await app.inject({ url: '/v1/notices', headers: { authorization: `Bearer ${other}` } })
  t.same(theirs.json().items, [], 'a registrar of another district sees none of them')
  t.equal((await app.inject({ url: '/v1/notices?certificateId=nope', headers: { authorization: `Bearer ${registrar}` } })).statusCode, 400)

  t.test('in the browser', { skip: NO_BROWSER }, async (t) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
    t.teardown(() => browser.close())
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
    await page.goto(`${base}/`)
    await page.waitForSelector('html[data-state=ready]')
    t.equal(await page.isVisible('#notices'), false, 'without a token there is nothing to show')
    await page.fill('#token', registrar)
    await page.click('#token-form button[type=submit]')
    await page.waitForSelector('#notices li.notice')
    const text = await page.textContent('#notices')
    t.match(text, /Thông báo đã gửi/)
    t.match(text, /Sắp hết hạn · trước 30 ngày — đã gửi/)
    t.match(text, /Sắp hết hạn · trước 90 ngày — đã gửi/)
    const link = page.locator(`#expiring tr[data-certificate="${soon}"] a.notice-link`)
    await link.waitFor()
    t.equal(await link.getAttribute('href'), `#notices-cert-${soon}`)
    t.equal(await link.textContent(), 'đã báo 1')
    t.equal(await page.locator(`#notices-cert-${soon}`).count(), 1, 'the link leads to the notice')
    await page.click('#lang')
    await page.waitForFunction(() => document.getElementById('h-notices')?.textContent === 'Notices sent')
    t.equal(await link.textContent(), '1 notice', 'in English after the switch')
    t.same(errors, [], 'no errors in the page')
  })
})
