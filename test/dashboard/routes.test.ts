/**
 * The dashboard's routes without a browser: the page and its files are served, open, with the security
 * headers, and stay out of the OpenAPI document; the Vietnamese and English strings are complete.
 */
import fs from 'node:fs'
import path from 'node:path'
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { DASHBOARD_ROOT } from '../../src/dashboard/routes.ts'
import { answerCodes, codesIn } from '../../src/lib/problem-codes.ts'
// @ts-expect-error: a plain ES module of the page, without types
import { STRINGS, PROBLEMS, WARNINGS, DOC_PROBLEMS, DOC_WARNINGS } from '../../src/dashboard/static/i18n.js'

t.test('GET / is the page, in Vietnamese, with the security headers, no token needed', async (t) => {
  const { app } = await testApp(t, { seed: false, config: { publicReports: false } })
  const res = await app.inject({ url: '/' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
  t.match(res.body, /<html lang="vi">/)
  t.match(res.headers['content-security-policy'], "script-src 'self'")
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['cache-control'], 'no-cache')
  const scripts = [...res.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
  t.ok(scripts.length > 0 && scripts.every((s) => /\bsrc="\/assets\/[^"]+\.js"/.test(s)), 'no inline script (the CSP allows none)')
  t.notMatch(res.body, /\son[a-z]+="/, 'no inline event handler')
  t.equal((await app.inject({ method: 'HEAD', url: '/' })).statusCode, 200)
})

t.test('the static files, with the security headers', async (t) => {
  const { app } = await testApp(t, { seed: false })
  const expected: Record<string, RegExp> = {
    '/assets/app.js': /javascript/,
    '/assets/i18n.js': /javascript/,
    '/assets/chart.js': /javascript/,
    '/assets/dashboard.css': /^text\/css/,
    '/assets/print.css': /^text\/css/,
    '/assets/favicon.svg': /^image\/svg\+xml/,
  }
  for (const [url, type] of Object.entries(expected)) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    t.match(res.headers['content-type'], type, `${url} content type`)
    t.match(res.headers['content-security-policy'], "default-src 'self'", `${url} CSP`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url} nosniff`)
    t.ok(res.headers['x-frame-options'], `${url} x-frame-options`)
    t.ok(res.headers.etag, `${url} revalidated by ETag`)
  }
  // Every file referenced by the page is served.
  const html = fs.readFileSync(path.join(DASHBOARD_ROOT, 'index.html'), 'utf8')
  for (const [, ref] of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) t.equal((await app.inject({ url: ref })).statusCode, 200, ref)

  t.equal((await app.inject({ url: '/assets/index.html' })).statusCode, 404, 'the page only at /')
  t.equal((await app.inject({ url: '/assets/../routes.ts' })).statusCode, 404)
  t.equal((await app.inject({ url: '/assets/nothing.js' })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/' })).statusCode, 404)
})

t.test('the OpenAPI document stays about the API', async (t) => {
  const { app } = await testApp(t, { seed: false })
  const doc = (await app.inject({ url: '/documentation/json' })).json()
  const paths = Object.keys(doc.paths)
  t.notOk(paths.includes('/'), 'GET / is not in it')
  t.same(paths.filter((p) => p.startsWith('/assets')), [])
})

t.test('every string in Vietnamese and in English, a sentence for every problem code', async (t) => {
  t.same(Object.keys(STRINGS.en).sort(), Object.keys(STRINGS.vi).sort(), 'the same keys in both languages')
  t.same(Object.keys(PROBLEMS.en).sort(), Object.keys(PROBLEMS.vi).sort())
  t.same(Object.keys(WARNINGS.en).sort(), Object.keys(WARNINGS.vi).sort())

  // Every code a certificate upload can be answered with (src/lib/problem-codes.ts): the answers, the refusals
  // and the verifier's reasons behind untrusted_issuer, and the warnings of a recorded certificate.
  const refusals = new Set([...answerCodes(), ...codesIn('certificate'), ...codesIn('reason')])
  const warnings = codesIn('certificate warning')
  t.ok(refusals.size >= 40 && warnings.length >= 4, `${refusals.size} refusal and ${warnings.length} warning codes`)
  for (const lang of ['vi', 'en'] as const) {
    for (const code of refusals) t.ok(PROBLEMS[lang][code], `${lang}: a sentence for ${code}`)
    for (const code of warnings) t.ok(WARNINGS[lang][code], `${lang}: a warning sentence for ${code}`)
  }

  // A signature of a signed document (POST /v1/documents): its codes read either with a sentence of their own or
  // with the certificate one (the signer's chain).
  t.same(Object.keys(DOC_PROBLEMS.en).sort(), Object.keys(DOC_PROBLEMS.vi).sort())
  t.same(Object.keys(DOC_WARNINGS.en).sort(), Object.keys(DOC_WARNINGS.vi).sort())
  const docProblems = codesIn('document')
  const docWarnings = codesIn('document warning')
  t.ok(docProblems.length >= 10 && docWarnings.length >= 2, `${docProblems.length} problem and ${docWarnings.length} warning codes of a document signature`)
  for (const lang of ['vi', 'en'] as const) {
    for (const code of docProblems) t.ok(DOC_PROBLEMS[lang][code] ?? PROBLEMS[lang][code], `${lang}: a sentence for a signature's ${code}`)
    for (const code of docWarnings) t.ok(DOC_WARNINGS[lang][code] ?? WARNINGS[lang][code], `${lang}: a sentence for a signature's warning ${code}`)
    for (const code of ['digest_mismatch', 'bad_signature', 'malformed', 'too_many_signatures']) t.ok(DOC_PROBLEMS[lang][code], `${lang}: ${code} said of a document, not of a certificate`)
  }
})

t.test('the page is small modules: none over 300 lines, each imported module served', async (t) => {
  const { app } = await testApp(t, { seed: false })
  const files = fs.readdirSync(DASHBOARD_ROOT).filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  for (const f of files) {
    const text = fs.readFileSync(path.join(DASHBOARD_ROOT, f), 'utf8')
    t.ok(text.split('\n').length <= 300, `${f}: ${text.split('\n').length} lines`)
    for (const [, ref] of text.matchAll(/from '\.\/([\w-]+\.js)'/g)) {
      t.ok(files.includes(ref), `${f} imports ${ref}, which exists`)
      t.equal((await app.inject({ url: `/assets/${ref}` })).statusCode, 200, `/assets/${ref}`)
    }
  }
})
