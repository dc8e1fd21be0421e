/**
 * The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, against a real
 * server on a real socket, on the 2017 Bình Thuận demonstration data. Skipped, with a message, where
 * /usr/bin/chromium is missing (`.ci/run` installs it with apt-get when it can).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { ARGS, ARTIFACTS, CHROMIUM, watch } from '../helpers/browser.ts'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { loadDemo } from '../../src/demo/load.ts'
import type { App } from '../../src/http/types.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { hierarchy, leaf, subject, tanHaDucLinh, trust, withChain } from '../helpers/pki.ts'

/** A minimal PKCS#7 SignedData holding only certificates (a .p7b bundle), built from raw DER. */
function p7b(...certs: Buffer[]): Buffer {
  const len = (n: number) => {
    if (n < 128) return Buffer.from([n])
    const bytes: number[] = []
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
    return Buffer.from([0x80 | bytes.length, ...bytes])
  }
  const tlv = (tag: number, ...parts: Buffer[]) => { const c = Buffer.concat(parts); return Buffer.concat([Buffer.from([tag]), len(c.length), c]) }
  const signedData = Buffer.from('06092a864886f70d010702', 'hex')
  const data = Buffer.from('06092a864886f70d010701', 'hex')
  return tlv(0x30, signedData, tlv(0xa0, tlv(0x30,
    tlv(0x02, Buffer.from([1])), tlv(0x31), tlv(0x30, data), tlv(0xa0, ...certs), tlv(0x31))))
}

if (!fs.existsSync(CHROMIUM)) {
  t.plan(0, `no browser: ${CHROMIUM} is missing, so the dashboard's browser tests are skipped (install Debian's chromium: apt-get install -y chromium)`)
} else {
  let database: TestDatabase
  let app: App
  let browser: Browser
  let base = ''
  let registrar = ''
  let admin = ''
  const files: Record<string, string> = {}

  t.before(async () => {
    database = await createTestDatabase({ seed: false })
    await loadDemo(database.db)
    app = await buildApp({ db: database.db, config: testConfig(), ping: database.ping, logger: false })
    await app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    admin = (await createToken(database.db, SYSTEM_ACTOR, { name: 'dashboard test admin', role: 'admin' })).token
    registrar = (await createToken(database.db, SYSTEM_ACTOR, { name: 'dashboard test registrar', role: 'registrar' })).token

    // A test CA registered as trust anchor (and its issuing CA as intermediate, so a lone DER verifies).
    const h = hierarchy('Dashboard')
    await trust(app, { authorization: `Bearer ${admin}` }, h, { intermediate: true })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-dashboard-'))
    const write = (name: string, content: string | Buffer) => { files[name] = path.join(dir, name); fs.writeFileSync(files[name], content) }
    write('tan-ha-duc-linh.pem', withChain(leaf(h, tanHaDucLinh()), h))
    write('ambiguous.pem', withChain(leaf(h, subject(['ST', 'Bình Thuận'], ['CN', 'UBND xã Tân Hà'])), h))
    write('phan-thiet.cer', leaf(h, [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Thành phố Phan Thiết'], ['CN', 'UBND phường Phú Thủy']]).der)
    write('tuy-phong.p7b', p7b(leaf(h, [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Tuy Phong'], ['CN', 'UBND thị trấn Liên Hương']]).der, h.ca.der))
    write('broken.cer', Buffer.from('3082ffff0a0b0c0d This is not a certificate at all, only some bytes.', 'latin1'))
    // For the upload of many files at once.
    write('mui-ne.pem', withChain(leaf(h, [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Thành phố Phan Thiết'], ['CN', 'UBND phường Mũi Né']]), h))
    write('phong-phu.cer', leaf(h, [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Tuy Phong'], ['CN', 'UBND xã Phong Phú']]).der)
    write('tan-ha-again.pem', withChain(leaf(h, subject(['ST', 'Bình Thuận'], ['CN', 'UBND xã Tân Hà']), { notBefore: new Date('2024-05-01T00:00:00Z') }), h))
    write('with-key.pem', '-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n')
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }))

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
    fs.mkdirSync(ARTIFACTS, { recursive: true })
  })

  t.teardown(async () => {
    await browser?.close()
    await app?.close()
    await database?.drop()
  })

  const api = async (url: string) => (await fetch(`${base}${url}`)).json()
  const vn = (n: number) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(n)

  async function open(context: BrowserContext, url: string) {
    const page = await context.newPage()
    const w = watch(page)
    await page.goto(`${base}${url}`)
    await page.waitForSelector('html[data-state=ready]')
    return { page, w }
  }

  t.test('the province at a glance: loads clean, shows 127/127 and 100% on 31/12/2017, follows the date', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    t.teardown(() => context.close())
    const started = Date.now()
    const { page, w } = await open(context, '/?date=2017-12-31')
    const wall = Date.now() - started
    await page.waitForLoadState('networkidle')

    t.equal(await page.getAttribute('html', 'lang'), 'vi', 'Vietnamese by default')
    t.match(await page.textContent('#heading'), 'Tỉnh Bình Thuận: tình hình đến hết ngày 31/12/2017')
    t.equal(await page.textContent('#kpi-percent'), '100%')
    t.match(await page.textContent('#kpi-count'), '127/127')
    t.equal(await page.locator('#districts li').count(), 10, 'a bar per district')
    t.match(await page.textContent('#types'), /Xã\s*96\/96/)
    t.match(await page.textContent('#types'), /Phường\s*19\/19/)
    t.match(await page.textContent('#types'), /Thị trấn\s*12\/12/)
    t.match(await page.textContent('#reached'), 'Đạt 100% vào cuối tháng 12/2017', 'the month 100% was reached')
    t.equal(await page.locator('#timeline svg circle').count(), 12, 'twelve months on the line chart')
    t.match(await page.textContent('#uncovered'), 'Tất cả 127 đơn vị')

    const savings = await api('/v1/savings?from=2017-01&to=2017-12&parent=60')
    t.equal(await page.textContent('#kpi-docs'), vn(savings.documentsSigned), 'documents signed, in Vietnamese format')
    t.match(await page.textContent('#savings-total'), `${vn(savings.estimatedSavingsVnd)} đồng`)
    t.match(await page.textContent('#savings'), 'Giấy, in ấn', 'the assumptions are shown')
    t.match(await page.getAttribute('#link-report-html', 'href') ?? '', '/v1/reports/ministry?year=2017&parent=60&format=html')
    t.match(await page.getAttribute('#link-report-csv', 'href') ?? '', 'format=csv')
    t.ok(await page.locator('a[href="/documentation"]').count(), 'a link to the API documentation')
    t.notOk(await page.isHidden('#demo-banner'), 'the demonstration data is labelled as such')
    t.match(await page.textContent('#savings-total'), '1.512.016.000 đồng', 'the figure of the 2017 report')
    t.match(await page.textContent('#history-banner'), 'Số liệu lịch sử: tính trên các đơn vị hành chính có hiệu lực ngày 31/12/2017', 'marked historical')

    // Page weight and load time, measured by the browser itself.
    const perf = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      const ready = performance.getEntriesByName('kyso:ready')[0]
      const kind = (r: PerformanceResourceTiming) => (r.name.includes('/v1/') ? 'api' : 'static')
      return {
        requests: resources.length + 1,
        totalBytes: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
        staticBytes: nav.transferSize + resources.filter((r) => kind(r) === 'static').reduce((s, r) => s + r.transferSize, 0),
        apiBytes: resources.filter((r) => kind(r) === 'api').reduce((s, r) => s + r.transferSize, 0),
        domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
        load: Math.round(nav.loadEventEnd),
        ready: ready ? Math.round(ready.startTime) : null,
      }
    })
    t.comment(`page weight: ${perf.totalBytes} bytes transferred in ${perf.requests} requests (page and its files ${perf.staticBytes} bytes, API answers ${perf.apiBytes} bytes)`)
    t.comment(`load time: DOMContentLoaded ${perf.domContentLoaded} ms, load ${perf.load} ms, figures shown ${perf.ready} ms after navigation start (${wall} ms wall clock from goto)`)
    t.ok(perf.totalBytes > 0 && perf.totalBytes < 300_000, 'a light page')

    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true })

    // Another day: other numbers, the same as the API's.
    const mid = await api('/v1/coverage?asOf=2017-06-30&parent=60')
    t.ok(mid.covered > 0 && mid.covered < 127, `mid-year ${mid.covered}/127`)
    await page.fill('#date', '30/06/2017')
    await page.press('#date', 'Enter')
    await page.waitForFunction(() => document.querySelector('#heading')?.textContent?.includes('30/06/2017') && document.documentElement.dataset.state === 'ready')
    t.match(await page.textContent('#kpi-count'), `${mid.covered}/127`)
    t.equal(await page.textContent('#kpi-percent'), `${vn(mid.percent)}%`)
    t.match(await page.textContent('#h-uncovered'), `(${mid.uncovered.length})`)
    t.match(await page.textContent('#uncovered'), mid.uncovered[0].name, 'the uncovered communes by name')
    t.match(page.url(), 'date=2017-06-30', 'the date is in the address, to share')
    t.notMatch(await page.textContent('#reached'), 'Đạt 100%')

    // A quick pick, and a date that is not one.
    await page.click('button.chip[data-date="2017-12-31"]')
    await page.waitForFunction(() => document.querySelector('#kpi-percent')?.textContent === '100%')
    await page.fill('#date', '31/02/2017')
    await page.press('#date', 'Enter')
    t.match(await page.textContent('#date-error'), 'Ngày không hợp lệ')
    t.equal(await page.getAttribute('#date', 'aria-invalid'), 'true')

    // English, and back.
    await page.click('#lang')
    t.equal(await page.getAttribute('html', 'lang'), 'en')
    t.match(await page.textContent('#heading'), 'Tỉnh Bình Thuận at the end of 31/12/2017')
    t.match(await page.textContent('#reached'), '100% reached at the end of 12/2017')
    await page.click('#lang')
    t.equal(await page.getAttribute('html', 'lang'), 'vi')

    t.same(w.errors, [], 'no console error')
    t.same(w.failed, [], 'no failed request')
  })

  t.test('on a phone', async (t) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 })
    t.teardown(() => context.close())
    const { page, w } = await open(context, '/?date=2017-12-31')
    t.equal(await page.textContent('#kpi-percent'), '100%')
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    t.equal(overflow, 0, 'no horizontal scrolling')
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true })
    t.same(w.errors, [], 'no console error')
    t.same(w.failed, [], 'no failed request')
  })

  t.test('a registrar uploads certificates and sees the verdict in Vietnamese', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    t.teardown(() => context.close())
    const { page, w } = await open(context, '/?date=2017-12-31')

    // Without a token: asked for one.
    await page.setInputFiles('#file', files['tan-ha-duc-linh.pem'])
    await page.waitForSelector('#verdict .note.bad')
    t.match(await page.textContent('#verdict'), 'Hãy nhập token')

    // A wrong token is refused and not kept.
    await page.fill('#token', 'not-a-real-token-at-all')
    await page.click('#token-form button[type=submit]')
    await page.waitForSelector('#token-state.bad')
    t.match(await page.textContent('#token-state'), 'Token không hợp lệ')
    t.equal(await page.evaluate(() => sessionStorage.length), 0)

    await page.fill('#token', registrar)
    await page.click('#token-form button[type=submit]')
    await page.waitForSelector('#token-state.good')
    t.equal(await page.evaluate((tok) => Object.values(sessionStorage).includes(tok), registrar), true, 'kept in sessionStorage')
    t.notMatch(page.url(), registrar, 'never in the address')
    t.equal(await page.inputValue('#token'), '', 'cleared from the field')

    // A valid PEM certificate, matched to its commune from the subject.
    await page.setInputFiles('#file', files['tan-ha-duc-linh.pem'])
    await page.waitForSelector('#verdict .note.good')
    const accepted = await page.textContent('#verdict')
    t.match(accepted, 'Đã ghi nhận chứng thư số của Xã Tân Hà, Huyện Đức Linh')
    t.match(accepted, 'Đơn vị được xác định từ tên chủ thể')
    t.match(accepted, 'còn hiệu lực')
    t.equal(await page.getAttribute('#verdict', 'aria-live'), 'polite')

    // The same file again: already recorded.
    await page.setInputFiles('#file', files['tan-ha-duc-linh.pem'])
    await page.waitForSelector('#verdict .note.info')
    t.match(await page.textContent('#verdict'), 'đã được ghi nhận từ trước')

    // DER (.cer) and PKCS#7 (.p7b), each with its own Content-Type.
    const types: string[] = []
    page.on('request', (r) => { if (r.method() === 'POST') types.push(`${new URL(r.url()).pathname} ${r.headers()['content-type']}`) })
    await page.setInputFiles('#file', files['phan-thiet.cer'])
    await page.waitForFunction(() => document.querySelector('#verdict')?.textContent?.includes('phan-thiet.cer') && document.querySelector('#verdict .note'))
    t.match(await page.textContent('#verdict'), 'Đã ghi nhận chứng thư số của Phường Phú Thủy')
    await page.setInputFiles('#file', files['tuy-phong.p7b'])
    await page.waitForFunction(() => document.querySelector('#verdict')?.textContent?.includes('tuy-phong.p7b') && document.querySelector('#verdict .note'))
    t.match(await page.textContent('#verdict'), 'Đã ghi nhận chứng thư số của Thị trấn Liên Hương')
    t.same(types, ['/v1/certificates application/pkix-cert', '/v1/certificates/batch application/pkcs7-mime'])

    // Ambiguous: two communes are called Tân Hà; the registrar picks one and sends again.
    await page.setInputFiles('#file', files['ambiguous.pem'])
    await page.waitForSelector('#verdict .chooser')
    const refused = await page.textContent('#verdict')
    t.match(refused, 'Chứng thư bị từ chối')
    t.match(refused, 'khớp với nhiều đơn vị cùng tên')
    t.match(refused, 'Xã Tân Hà (Huyện Đức Linh)')
    t.match(refused, 'Xã Tân Hà (Huyện Hàm Tân)')
    await page.check('#verdict input[value="23257"]')
    await page.click('#verdict .chooser button[type=submit]')
    await page.waitForSelector('#verdict .note.good')
    t.match(await page.textContent('#verdict'), 'Đã ghi nhận chứng thư số của Xã Tân Hà, Huyện Hàm Tân')
    t.match(await page.textContent('#verdict'), 'Đơn vị do bạn chọn')
    t.match(types[types.length - 1], '/v1/certificates application/x-pem-file')

    await page.locator('#registrar').screenshot({ path: path.join(ARTIFACTS, 'dashboard-registrar.png') })

    // A broken file: the Vietnamese explanation.
    await page.setInputFiles('#file', files['broken.cer'])
    await page.waitForFunction(() => document.querySelector('#verdict')?.textContent?.includes('broken.cer') && document.querySelector('#verdict .note.bad'))
    const broken = await page.textContent('#verdict')
    t.match(broken, 'Chứng thư bị từ chối; không có gì được lưu.')
    t.match(broken, 'Tệp không đọc được như một chứng thư số X.509')

    // A month's documents signed for a unit: recorded, and the figures follow.
    await page.selectOption('#act-unit', '23221')
    await page.fill('#act-month', '12/2017')
    await page.fill('#act-docs', '1234')
    await page.click('#activity-form button[type=submit]')
    await page.waitForSelector('#activity-result .note.good')
    t.match(await page.textContent('#activity-result'), 'Đã ghi 1.234 văn bản ký số của Xã Tân Hà (Huyện Đức Linh) trong tháng 12/2017.')
    const savings = await api('/v1/savings?from=2017-01&to=2017-12&parent=60')
    await page.waitForFunction((n) => document.querySelector('#kpi-docs')?.textContent === n, vn(savings.documentsSigned))
    t.pass(`documents signed now ${vn(savings.documentsSigned)}, on the page as in the API`)

    // The only errors are the refusals asked for (Chromium logs each answer ≥ 400 on the console).
    t.same(w.failed.map((f) => f.replace(base, '').replace(/\?.*:/, ':')), [
      'GET /v1/certificates: 401', 'POST /v1/certificates: 409', 'POST /v1/certificates: 422', 'POST /v1/certificates: 400',
    ], 'no failed request but the refusals')
    t.same(w.errors.filter((e) => !/Failed to load resource: the server responded with a status of (400|401|409|422)/.test(e)), [], 'no other console error')
  })

  t.test('a registrar uploads many files at once and sees one verdict per file', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    t.teardown(() => context.close())
    const { page, w } = await open(context, '/?date=2017-12-31')
    await page.fill('#token', registrar)
    await page.click('#token-form button[type=submit]')
    await page.waitForSelector('#token-state.good')
    t.equal(await page.getAttribute('#file', 'multiple'), '', 'the file input takes many files')

    const posts: { url: string; type: string; items: number }[] = []
    page.on('request', (r) => {
      if (r.method() !== 'POST') return
      const body = r.postData() ?? ''
      posts.push({ url: new URL(r.url()).pathname, type: r.headers()['content-type'], items: body.startsWith('{') ? JSON.parse(body).items.length : -1 })
    })
    const phongPhu = async () => (await (await fetch(`${base}/v1/certificates?unitCode=22978`, { headers: { authorization: `Bearer ${registrar}` } })).json()).items.length
    const heldBefore = await phongPhu()
    const names = ['mui-ne.pem', 'phong-phu.cer', 'tan-ha-duc-linh.pem', 'tan-ha-again.pem', 'broken.cer', 'with-key.pem']
    await page.setInputFiles('#file', names.map((n) => files[n]))
    await page.waitForSelector('#batch-summary')
    t.same(posts, [{ url: '/v1/certificates/batch', type: 'application/json', items: 5 }], 'one JSON batch; the private key never left the page')
    t.equal(await page.locator('#batch-results tbody tr').count(), 6, 'one row per file')
    const row = async (name: string) => (await page.locator('#batch-results tbody tr', { hasText: name }).textContent()) ?? ''

    t.match(await row('mui-ne.pem'), /Đã ghi nhận.*Phường Mũi Né · 22915/s)
    t.match(await row('phong-phu.cer'), /Đã ghi nhận.*Xã Phong Phú · 22978/s)
    t.match(await row('tan-ha-duc-linh.pem'), 'Đã được ghi nhận từ trước')
    t.match(await row('tan-ha-again.pem'), 'Bị từ chối')
    t.match(await row('tan-ha-again.pem'), 'Xã Tân Hà (23221)', 'the units of that name')
    t.match(await row('broken.cer'), 'Tệp không đọc được như một chứng thư số X.509')
    t.match(await row('with-key.pem'), /Không gửi\..*khóa bí mật/s)
    t.match(await page.textContent('#batch-summary'), '6 tệp: 2 được ghi nhận, 1 đã có từ trước, 3 bị từ chối.')

    // Recorded for real: the API lists them under their units.
    t.equal(await phongPhu(), heldBefore + 1, 'Xã Phong Phú holds the certificate sent in the batch')
    await page.locator('#registrar').screenshot({ path: path.join(ARTIFACTS, 'dashboard-batch.png') })

    // In English, the same verdicts.
    await page.click('#lang')
    t.match(await page.textContent('#batch-summary'), '6 files: 2 recorded, 1 already recorded, 3 refused.')
    await page.click('#lang')
    t.same(w.failed, [], 'no failed request (a batch answers 200 with each file\'s own status)')
    t.same(w.errors, [], 'no console error')
  })
}
