/**
 * The dashboard in a real browser: Debian's headless Chromium driven by playwright-core, against a real
 * server on a real socket, on the 2017 Bình Thuận demonstration data. Skipped, with a message, where
 * no Chromium is installed (test/helpers/browser.ts; `.ci/run` installs it with apt-get when it can).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { ARGS, ARTIFACTS, CHROMIUM, NO_BROWSER, watch } from '../helpers/browser.ts'
import { buildApp } from '../../src/app.ts'
import { testConfig } from '../../src/config.ts'
import { createToken } from '../../src/auth/tokens.ts'
import { SYSTEM_ACTOR } from '../../src/auth/actor.ts'
import { loadDemo } from '../../src/demo/load.ts'
import type { App } from '../../src/http/types.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts'
import { hierarchy, leaf, register, subject, tanHaDucLinh, trust, withChain } from '../helpers/pki.ts'
import { basePdf, cmsSign, signPdf, signingKit } from '../helpers/signed-docs.ts'
// @ts-expect-error: a plain ES module of the page, without types
import { PROBLEMS, DOC_PROBLEMS } from '../../src/dashboard/static/i18n.js'

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

if (!CHROMIUM) {
  t.plan(0, `${NO_BROWSER}: the dashboard's browser tests are skipped`)
} else {
  let database: TestDatabase
  let app: App
  let browser: Browser
  let base = ''
  let registrar = ''
  let admin = ''
  let viewer = ''
  const files: Record<string, string> = {}
  const docs: Record<string, { bytes: Buffer; type: string }> = {}

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
    // Signed documents (test/documents/documents.test.ts): a commune's organisation certificate, recorded, signs.
    const kit = signingKit(tanHaDucLinh(), 'Dashboard documents')
    const chain = kit.ca.pem
    await trust(app, { authorization: `Bearer ${admin}` }, kit)
    const tsa = await register(app, { authorization: `Bearer ${admin}` }, '/v1/trust-anchors', kit.tsaRoot.pem)
    if (tsa.statusCode !== 201) throw new Error(`TSA root not registered: ${tsa.body}`)
    const org = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { authorization: `Bearer ${registrar}`, 'content-type': 'application/x-pem-file' }, payload: kit.rsa.pem + chain })
    if (org.statusCode !== 201) throw new Error(`organisation certificate not recorded: ${org.body}`)
    viewer = (await createToken(database.db, SYSTEM_ACTOR, { name: 'dashboard test viewer', role: 'viewer' })).token
    const doc = (name: string, bytes: Buffer, type: string) => { docs[name] = { bytes, type }; write(name, bytes) }
    // The head's signature, then the committee's, timestamped: verified and counted.
    doc('cong-van-12.pdf', signPdf(signPdf(basePdf({ text: 'Cong van so 12 - dashboard' }), kit.head, { chain }), kit.rsa, { chain, subFilter: 'ETSI.CAdES.detached', timestamp: kit.tsa }), 'application/pdf')
    // Changed after signing: answered, not counted.
    const tampered = Buffer.from(signPdf(basePdf({ text: 'Quyet dinh so 7 - dashboard' }), kit.rsa, { chain }))
    tampered.write('X', tampered.indexOf('Quyet dinh so 7'), 'latin1')
    doc('quyet-dinh-7.pdf', tampered, 'application/pdf')
    doc('to-trinh.p7m', cmsSign(Buffer.from('Tờ trình số 3/TTr-UBND (dashboard)\n'), kit.rsa, { chain, attached: true }), 'application/pkcs7-mime')
    doc('too-big.pdf', basePdf({ fill: 1_100_000 }), 'application/pdf')
    doc('notes.txt', Buffer.from('not a signed document\n'), 'text/plain')
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

    // Page weight and load time, measured by the browser itself. (No named function inside: the test's
    // TypeScript loader would wrap it in a helper that the page does not have.)
    const perf = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      const ready = performance.getEntriesByName('kyso:ready')[0]
      return {
        requests: resources.length + 1,
        totalBytes: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
        staticBytes: nav.transferSize + resources.filter((r) => !r.name.includes('/v1/')).reduce((s, r) => s + r.transferSize, 0),
        apiBytes: resources.filter((r) => r.name.includes('/v1/')).reduce((s, r) => s + r.transferSize, 0),
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

  t.test('a registrar drops signed documents and sees each verdict in Vietnamese, as the API gives it', async (t) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    t.teardown(() => context.close())
    // Counts the document requests the page has in flight (the page's own fetch, wrapped before it loads).
    await context.addInitScript(() => {
      const w = window as unknown as { docRequests: { now: number; max: number; total: number } }
      w.docRequests = { now: 0, max: 0, total: 0 }
      const original = window.fetch
      window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
        if (!url.includes('/v1/documents') || init?.method !== 'POST') return original(input, init)
        const c = w.docRequests
        c.now++; c.total++; c.max = Math.max(c.max, c.now)
        return original(input, init).finally(() => { c.now-- })
      }
    })
    const { page, w } = await open(context, '/?date=2017-12-31')
    const requests = () => page.evaluate(() => (window as unknown as { docRequests: { max: number; total: number } }).docRequests)
    const posted: string[] = []
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/v1/documents')) posted.push(r.headers()['content-type']) })
    const inject = async (name: string, token: string) => app.inject({
      method: 'POST', url: '/v1/documents', headers: { authorization: `Bearer ${token}`, 'content-type': docs[name].type }, payload: docs[name].bytes,
    })
    const useToken = async (token: string) => {
      await page.fill('#token', token)
      await page.click('#token-form button[type=submit]')
      await page.waitForFunction(() => (document.querySelector('#token') as HTMLInputElement).value === '', undefined)
      t.match(await page.getAttribute('#token-state', 'class'), 'good', 'the token is taken')
    }
    const row = (name: string) => page.locator(`#doc-results > li[data-file="${name}"]`)
    /** Until the page has a verdict for each of the n files of the last choice, and its summary. */
    const done = (n: number) => page.waitForFunction((n) => document.querySelector('#doc-summary.batch-summary') !== null
      && document.querySelectorAll('#doc-results > li[data-phase="done"], #doc-results > li[data-phase="local"]').length === n, n)

    t.equal(await page.getAttribute('#doc-file', 'type'), 'file')
    t.equal(await page.getAttribute('#doc-file', 'multiple'), '', 'several documents at once')
    t.equal(await page.getAttribute('#doc-file', 'accept'), '.pdf,.p7m,application/pdf')
    t.equal(await page.getAttribute('#doc-verdicts', 'aria-live'), 'polite')
    t.equal(await page.getAttribute('#doc-file', 'aria-describedby'), 'doc-formats')
    await page.focus('#doc-file')
    t.equal(await page.evaluate(() => document.activeElement?.id), 'doc-file', 'the file input takes the keyboard focus')

    // Without a token: asked for one, nothing sent.
    await page.setInputFiles('#doc-file', [files['cong-van-12.pdf'], files['quyet-dinh-7.pdf']])
    await page.waitForSelector('#doc-verdicts .note.bad')
    t.match(await page.textContent('#doc-verdicts'), 'Hãy nhập token của cán bộ đăng ký trước khi gửi.')
    t.equal((await requests()).total, 0, 'nothing sent without a token')

    // A viewer's token: the API refuses (403), and the page says so with the API's detail, for each file.
    await useToken(viewer)
    await page.setInputFiles('#doc-file', [files['cong-van-12.pdf'], files['quyet-dinh-7.pdf']])
    await done(2)
    const refusal = await inject('cong-van-12.pdf', viewer)
    t.equal(refusal.statusCode, 403)
    for (const name of ['cong-van-12.pdf', 'quyet-dinh-7.pdf']) {
      t.equal(await row(name).getAttribute('data-status'), '403', `${name}: refused`)
      const text = (await row(name).textContent()) ?? ''
      t.match(text, `Không kiểm tra được: ${PROBLEMS.vi.forbidden}`, `${name}: the refusal in Vietnamese`)
      t.match(text, refusal.json().detail, `${name}: with the API's detail`)
    }
    t.match(await page.textContent('#doc-summary'), '2 tệp: 0 được tính, 0 không được tính, 2 không kiểm tra được.')

    // A registrar drops three documents at once on the drop zone.
    await useToken(registrar)
    const before = (await requests()).total
    const dropped = ['cong-van-12.pdf', 'quyet-dinh-7.pdf', 'to-trinh.p7m']
    const transfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer()
      for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name, { type: f.type }))
      return dt
    }, dropped.map((name) => ({ name, type: docs[name].type, data: docs[name].bytes.toString('base64') })))
    posted.length = 0
    await page.dispatchEvent('#doc-drop', 'drop', { dataTransfer: transfer })
    await done(3)
    const sent = await requests()
    t.equal(sent.total - before, 3, 'one request per file')
    t.ok(sent.max <= 2, `at most 2 documents in flight (${sent.max})`)
    t.same(posted.sort(), ['application/pdf', 'application/pdf', 'application/pkcs7-mime'], 'each with its own Content-Type')

    // Each verdict on the page against the API's answer for the same bytes.
    const unitName = async (code: string) => {
      const u = await api(`/v1/units/${code}`)
      const parent = u.parentCode ? await api(`/v1/units/${u.parentCode}`) : null
      return parent && parent.level !== 'province' ? `${u.name} (${parent.name})` : u.name
    }
    const vnTime = (iso: string) => { const s = new Date(Date.parse(iso) + 7 * 3_600_000).toISOString(); return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)} ${s.slice(11, 19)}` }
    const timeSource: Record<string, string> = {
      timestamp: 'theo dấu thời gian (RFC 3161) đã xác minh',
      signingTime: 'theo thời điểm ký do người ký khai',
    }
    const answers: Record<string, { counted: boolean; unitCode: string | null; month: string | null; sha256: string; signatures: Record<string, unknown>[] }> = {}
    for (const name of dropped) {
      const res = await inject(name, registrar)
      t.equal(res.statusCode, 200, `${name}: ${res.body}`)
      const a = answers[name] = res.json()
      const li = row(name)
      t.equal(await li.getAttribute('data-status'), '200')
      t.equal(await li.getAttribute('data-counted'), String(a.counted), `${name}: counted ${a.counted}, as the API says`)
      t.equal((await li.locator('.doc-counted').textContent())?.replace(/^✗ |^✓ /, ''), a.counted
        ? `Được tính là văn bản ký số đã xác minh của ${await unitName(a.unitCode!)}, tháng ${a.month!.slice(5, 7)}/${a.month!.slice(0, 4)}.`
        : 'Không được tính là văn bản ký số đã xác minh.', `${name}: the verdict on the document`)
      t.match(await li.textContent(), a.sha256, `${name}: its SHA-256`)
      const sigs = li.locator('ol.signatures > li')
      t.equal(await sigs.count(), a.signatures.length, `${name}: a block per signature`)
      for (const [i, s] of a.signatures.entries()) {
        const sig = s as { ok: boolean; signer: Record<string, string> | null; unitCode: string | null; signingTime: string | null; timeSource: string; coversWholeDocument: boolean; problems: { code: string; message: string }[] }
        const el = sigs.nth(i)
        const label = `${name}, signature ${i + 1}`
        t.equal(await el.getAttribute('data-ok'), String(sig.ok), `${label}: ok ${sig.ok}`)
        t.equal(await el.locator('.sig-verdict').textContent(), sig.ok ? 'hợp lệ' : 'không hợp lệ', `${label}: the verdict`)
        t.equal(await el.locator('.sig-signer').textContent(), sig.signer?.CN ?? 'không xác định', `${label}: the signer`)
        t.equal(await el.locator('.sig-org').count(), sig.signer?.O ? 1 : 0)
        if (sig.signer?.O) t.equal(await el.locator('.sig-org').textContent(), sig.signer.O, `${label}: the organisation`)
        t.equal(await el.locator('.sig-unit').textContent(), sig.unitCode ? `${await unitName(sig.unitCode)} · ${sig.unitCode}` : 'chứng thư chưa được ghi nhận cho xã, phường, thị trấn nào', `${label}: the unit`)
        t.equal(await el.getAttribute('data-time-source'), sig.timeSource)
        t.equal(await el.locator('.sig-time').textContent(), sig.signingTime
          ? `${vnTime(sig.signingTime)} (giờ Việt Nam), ${timeSource[sig.timeSource]}`
          : 'không có; chứng thư được kiểm tra tại thời điểm gửi', `${label}: the time of signing and its source`)
        t.equal(await el.locator('.sig-covers').textContent(), sig.coversWholeDocument
          ? 'chữ ký bao trùm toàn bộ văn bản'
          : 'không bao trùm toàn bộ: văn bản đã được sửa hoặc bổ sung sau chữ ký này', `${label}: what it covers`)
        const shown = await el.locator('.sig-problems li').evaluateAll((lis) => lis.map((li) => ({ code: li.getAttribute('data-code'), text: li.textContent })))
        t.same(shown, sig.problems.map((p) => ({ code: p.code, text: `${p.code} ${DOC_PROBLEMS.vi[p.code] ?? PROBLEMS.vi[p.code] ?? p.message}` })), `${label}: the problems, code and sentence`)
      }
    }
    // What the answers are, so that the comparison above is not between two empty verdicts.
    t.match(answers['cong-van-12.pdf'], { counted: true, unitCode: '23221', signatures: [{ ok: true, unitCode: null, coversWholeDocument: false }, { ok: true, unitCode: '23221', timeSource: 'timestamp', coversWholeDocument: true }] })
    t.match(answers['quyet-dinh-7.pdf'], { counted: false, signatures: [{ ok: false, problems: [{ code: 'digest_mismatch' }] }] })
    t.match(answers['to-trinh.p7m'], { counted: true, unitCode: '23221', signatures: [{ ok: true, timeSource: 'signingTime' }] })
    t.match(await row('cong-van-12.pdf').textContent(), 'Được tính là văn bản ký số đã xác minh của Xã Tân Hà (Huyện Đức Linh)')
    t.match(await row('quyet-dinh-7.pdf').textContent(), 'Nội dung văn bản không khớp với nội dung đã ký')
    t.match(await page.textContent('#doc-summary'), '3 tệp: 2 được tính, 1 không được tính, 0 không kiểm tra được.')
    const listed = await (await fetch(`${base}/v1/documents?unitCode=23221`, { headers: { authorization: `Bearer ${viewer}` } })).json()
    t.ok(listed.items.some((d: { sha256: string }) => d.sha256 === answers['cong-van-12.pdf'].sha256), 'the counted document is listed by the API')
    await page.locator('#documents').screenshot({ path: path.join(ARTIFACTS, 'dashboard-documents.png') })

    // Too large, or not a signed document's kind: reported without being sent.
    const sentBefore = (await requests()).total
    await page.setInputFiles('#doc-file', [files['too-big.pdf'], files['notes.txt']])
    await done(2)
    t.equal((await requests()).total, sentBefore, 'neither file was sent')
    t.match(await row('too-big.pdf').textContent(), /Không gửi\..*Tệp lớn hơn 1 MiB/s)
    t.equal((await inject('too-big.pdf', registrar)).statusCode, 413, 'the API would have refused it as too large')
    t.match(await row('notes.txt').textContent(), /Không gửi\..*Không phải tệp PDF/s)

    // In English, the same verdicts.
    await page.setInputFiles('#doc-file', [files['cong-van-12.pdf'], files['quyet-dinh-7.pdf']])
    await done(2)
    await page.click('#lang')
    t.match(await row('cong-van-12.pdf').textContent(), 'Counted as a verified signed document of Xã Tân Hà (Huyện Đức Linh)')
    t.match(await row('quyet-dinh-7.pdf').textContent(), /Not counted.*Signature 1: not valid.*digest_mismatch The document does not match what was signed/s)
    t.match(await page.textContent('#doc-summary'), '2 files: 1 counted, 1 not counted, 0 could not be checked.')
    await page.click('#lang')
    t.match(await row('quyet-dinh-7.pdf').textContent(), 'Không được tính')

    // The only errors are the viewer's refusals: its two documents, and the notices it may not read (notices.js).
    const failed = w.failed.map((f) => f.replace(base, ''))
    t.same(failed.filter((f) => f.includes('/v1/documents')), ['POST /v1/documents: 403', 'POST /v1/documents: 403'], 'the viewer\'s documents refused')
    t.same(failed.filter((f) => !/^(POST \/v1\/documents|GET \/v1\/subscriptions|GET \/v1\/notices)\b.*: 403$/.test(f)), [], 'no other failed request')
    t.same(w.errors.filter((e) => !/Failed to load resource: the server responded with a status of 403/.test(e)), [], 'no other console error')
  })
}
