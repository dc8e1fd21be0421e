import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { runVerifyDocument } from '../../src/cli/verify-document.ts'
import { issueCrl } from '../../src/pki/issue.ts'
import { tanHaDucLinh } from '../helpers/pki.ts'
import { captured } from '../helpers/cli.ts'
import { basePdf, cmsSign, laterUpdate, signPdf, signingKit } from '../helpers/signed-docs.ts'

const kit = signingKit(tanHaDucLinh(), 'Cli')
const dir = mkdtempSync(join(tmpdir(), 'kyso-vd-'))
const file = (name: string, data: Buffer | string) => { const p = join(dir, name); writeFileSync(p, data); return p }

const run = (args: string[]) => captured((io) => runVerifyDocument(args, io))

const root = file('root.pem', kit.root.pem)
const ca = file('ca.pem', kit.ca.pem)
const two = file('two.pdf', signPdf(signPdf(basePdf(), kit.head, { chain: kit.ca.pem }), kit.rsa, { chain: kit.ca.pem }))
const text = Buffer.from('Tờ trình số 3\n')
const doc = file('to-trinh.txt', text)
const p7s = file('to-trinh.txt.p7s', cmsSign(text, kit.ec))
const p7m = file('to-trinh.p7m', cmsSign(text, kit.rsa, { attached: true, pss: true, chain: kit.ca.pem }))

t.test('every signature verifies: exit 0, one verdict per signature', async (t) => {
  const r = await run(['--anchor', root, '--intermediate', ca, two, p7s, p7m])
  t.equal(r.code, 0, r.out + r.err)
  t.match(r.out, /two\.pdf: OK \(2 signatures/)
  t.match(r.out, /#1 OK .*Nguyễn Văn An.*claimed signing time.*does NOT cover the whole document/)
  t.match(r.out, /#2 OK .*Tân Hà.*covers the whole document/)
  t.match(r.out, /to-trinh\.txt\.p7s: OK/)
  t.match(r.out, /to-trinh\.p7m: OK/)
  void doc
})

t.test('--json, a tampered file, a later update, and a revoked signer: exit 1', async (t) => {
  const bad = Buffer.from(signPdf(basePdf({ text: 'tampered' }), kit.rsa, { chain: kit.ca.pem }))
  bad.write('T', bad.indexOf('tampered'), 'latin1')
  const tampered = file('tampered.pdf', bad)
  const later = file('later.pdf', laterUpdate(signPdf(basePdf(), kit.rsa, { chain: kit.ca.pem })))
  const r = await run(['--anchor', root, '--json', tampered, later])
  t.equal(r.code, 1)
  const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l))
  t.match(a, { file: tampered, ok: false, signatures: [{ ok: false, problems: [{ code: 'digest_mismatch' }] }] })
  t.match(b, { file: later, ok: true, signatures: [{ ok: true, coversWholeDocument: false }] })

  const crl = file('ca.crl', issueCrl({ issuer: kit.ca.cert, key: kit.ca.key, thisUpdate: new Date('2025-01-01T00:00:00Z'), revoked: [{ serial: kit.rsa.cert.serialNumber, date: new Date('2025-01-01T00:00:00Z') }] }).pem)
  const revoked = await run(['--anchor', root, '--crl', crl, '--json', p7m])
  t.equal(revoked.code, 1)
  t.match(JSON.parse(revoked.out), { ok: false, signatures: [{ problems: [{ code: 'revoked' }] }] })

  const usage = await run([two])
  t.equal(usage.code, 2)
  t.match(usage.err, /--anchor/)
  const notSigned = await run(['--anchor', root, file('plain.pdf', basePdf())])
  t.equal(notSigned.code, 1)
  t.match(notSigned.out, /plain\.pdf: FAILED\n {2}malformed/)
})
