import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import t from 'tap'
import { runVerify } from '../../src/cli/verify.ts'
import { issueCrl } from '../../src/pki/issue.ts'
import { AT, hierarchy, key, leaf } from '../fixtures/pki/hierarchy.ts'
import { captured } from '../helpers/cli.ts'

const h = hierarchy()

const run = (args: string[], input = '') => captured((io) => runVerify(args, { stdin: Readable.from([input]), ...io }))

t.test('--jsonl: one answer per line, in order, malformed lines answered and skipped', async (t) => {
  const weak = leaf(h.ca, [['CN', 'weak']], {}, key('w1024', { type: 'rsa', bits: 1024 }))
  const crl = issueCrl({ issuer: h.ca.cert, key: h.ca.key.privateKey, thisUpdate: AT, revoked: [{ serial: h.leaf.cert.serialNumber, date: AT }] })
  const lines = [
    { id: 'good', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: h.leaf.pem, at: AT.toISOString() },
    'this is not json',
    { id: 'chain-with-leaf', trusted: [h.root.pem], intermediates: [], leaf: h.leaf.pem + h.ca.pem, at: AT.toISOString() },
    { id: 'no-intermediate', trusted: [h.root.pem], intermediates: [], leaf: h.leaf.pem, at: AT.toISOString() },
    { id: 'weak-signing', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: weak.pem, at: AT.toISOString() },
    { id: 'weak-rfc5280', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: weak.pem, at: AT.toISOString(), profile: 'rfc5280' },
    { id: 'revoked', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: h.leaf.pem, at: AT.toISOString(), crls: [crl.pem] },
    { id: 'purpose', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: h.leaf.pem, at: AT.toISOString(), purposes: ['1.3.6.1.5.5.7.3.1'] },
    { id: 'bad-pem', trusted: [h.root.pem], intermediates: [], leaf: 'garbage', at: null },
    { id: 'key', trusted: [h.root.pem], intermediates: [], leaf: h.leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }), at: null },
    { id: 'bad-at', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: h.leaf.pem, at: 'yesterday' },
    { id: 'depth', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: h.leaf.pem, at: AT.toISOString(), maxDepth: 0 },
    { id: 'expired-now', trusted: [h.root.pem], intermediates: [h.ca.pem], leaf: h.leaf.pem, at: '2030-01-01T00:00:00Z' },
  ].map((l) => typeof l === 'string' ? l : JSON.stringify(l))
  const { code, out } = await run(['--jsonl'], lines.join('\n') + '\n')
  t.equal(code, 0)
  const answers = out.trim().split('\n').map((l) => JSON.parse(l))
  t.same(answers, [
    { id: 'good', ok: true, problems: [] },
    { id: null, ok: false, problems: ['malformed'] },
    { id: 'chain-with-leaf', ok: true, problems: [] },
    { id: 'no-intermediate', ok: false, problems: ['untrusted_issuer'] },
    { id: 'weak-signing', ok: false, problems: ['weak_key'] },
    { id: 'weak-rfc5280', ok: true, problems: [] },
    { id: 'revoked', ok: false, problems: ['revoked'] },
    { id: 'purpose', ok: false, problems: ['purpose'] },
    { id: 'bad-pem', ok: false, problems: ['malformed'] },
    { id: 'key', ok: false, problems: ['private_key_material'] },
    { id: 'bad-at', ok: false, problems: ['malformed'] },
    { id: 'depth', ok: false, problems: ['depth_exceeded'] },
    { id: 'expired-now', ok: false, problems: ['expired'] },
  ])
})

t.test('file mode: readable verdicts and the exit status', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'))
  const f = (name: string, body: string) => { const p = join(dir, name); writeFileSync(p, body); return p }
  const rootFile = f('root.pem', h.root.pem)
  const caFile = f('ca.pem', h.ca.pem)
  const leafFile = f('leaf.pem', h.leaf.pem)
  const at = ['--at', AT.toISOString()]
  const ok = await run(['--anchor', rootFile, '--intermediate', caFile, ...at, leafFile])
  t.equal(ok.code, 0)
  t.match(ok.out, `${leafFile}: OK`)
  t.match(ok.out, 'issued by CN=CA phục vụ')
  const bad = await run(['--anchor', rootFile, ...at, leafFile, f('junk.pem', 'junk')])
  t.equal(bad.code, 1)
  t.match(bad.out, /leaf\.pem: FAILED.*\n {2}untrusted_issuer: No trust anchor could be reached/)
  t.match(bad.out, /junk\.pem: FAILED\n {2}malformed/)
  const usage = await run([leafFile])
  t.equal(usage.code, 2)
  t.match(usage.err, 'Usage')
  const help = await run(['--help'])
  t.equal(help.code, 0)
})
