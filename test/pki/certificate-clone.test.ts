import t from 'tap'
import { parseCertificate } from '../../src/pki/certificate.ts'
import { reviveCertificate } from '../../src/pki/certificate-clone.ts'
import { hierarchy, leaf, tanHaDucLinh } from '../helpers/pki.ts'

t.test('a certificate cloned across threads is revived to the parsed one, Buffers included', async (t) => {
  const h = hierarchy('Clone')
  for (const issued of [leaf(h, tanHaDucLinh()), h.ca, h.root]) {
    const parsed = parseCertificate(issued.der)
    const cloned = structuredClone(parsed)
    t.notOk(Buffer.isBuffer(cloned.der), 'a clone holds plain Uint8Arrays')
    const revived = reviveCertificate(cloned)
    for (const key of ['der', 'subjectDer', 'issuerDer', 'publicKeyDer', 'tbsDer', 'signature'] as const) {
      t.ok(Buffer.isBuffer(revived[key]), `${key} is a Buffer`)
    }
    t.ok(revived.extensions.every((e) => Buffer.isBuffer(e.value)), 'extension values are Buffers')
    t.same(revived, parsed, 'the same certificate')
    t.equal(revived.notBefore.getTime(), parsed.notBefore.getTime())
  }
})
