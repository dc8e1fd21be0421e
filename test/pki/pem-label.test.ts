/** A PEM block labelled `PKCS #7 SIGNED DATA` (as some tools write it) is read like `PKCS7`, in single and batch uploads. */
import t from 'tap'
import { readCertificates } from '../../src/pki/index.ts'
import { pemBlocks, toPem } from '../../src/pki/pem.ts'
import { hierarchy, leaf, tanHaDucLinh } from '../helpers/pki.ts'

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length
  const len = n < 0x80 ? Buffer.from([n]) : Buffer.from([0x82, n >> 8, n & 0xff])
  return Buffer.concat([Buffer.from([tag]), len, content])
}

t.test('PKCS #7 SIGNED DATA label', async (t) => {
  const h = hierarchy('Label')
  const l = leaf(h, tanHaDucLinh())
  const signedData = tlv(0x30, Buffer.concat([Buffer.from('020101', 'hex'), tlv(0x31, Buffer.alloc(0)), tlv(0x30, Buffer.from('06092a864886f70d010701', 'hex')), tlv(0xa0, Buffer.concat([h.ca.der, l.der])), tlv(0x31, Buffer.alloc(0))]))
  const p7 = tlv(0x30, Buffer.concat([Buffer.from('06092a864886f70d010702', 'hex'), tlv(0xa0, signedData)]))
  const pem = toPem(p7, 'PKCS #7 SIGNED DATA')
  t.same(pemBlocks(pem).map((b) => b.label), ['PKCS #7 SIGNED DATA'], 'the block is found')
  const certs = readCertificates(pem)
  t.same(certs.map((c) => c.fingerprintSha256).sort(), [h.ca.cert.fingerprintSha256, l.cert.fingerprintSha256].sort(), 'and its certificates read')
})
