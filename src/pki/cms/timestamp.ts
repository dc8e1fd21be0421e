import { checkDerFraming, childrenOf } from '../der.ts'
import { malformed } from '../errors.ts'
import { TAG, contentOf, need, oidAt, timeAt } from './der-values.ts'
import { DIGESTS } from '../oids.ts'

export type TstInfo = { policy: string; imprintHash: string; imprint: Buffer; genTime: Date }

/** TSTInfo (RFC 3161 2.4.2): the fields a signature timestamp is checked with. */
export function parseTstInfo(der: Buffer): TstInfo {
  const top = checkDerFraming(der)
  const f = childrenOf(der, need(top, TAG.SEQUENCE, 'a TSTInfo'))
  need(f[0], TAG.INTEGER, 'the TSTInfo version')
  const policy = oidAt(der, f[1], 'the timestamp policy')
  const [alg, value] = childrenOf(der, need(f[2], TAG.SEQUENCE, 'the message imprint'))
  const oid = oidAt(der, childrenOf(der, need(alg, TAG.SEQUENCE, 'the imprint algorithm'))[0], 'the imprint algorithm')
  const imprintHash = DIGESTS[oid]
  if (!imprintHash) throw malformed('The timestamp uses an unknown hash algorithm.')
  need(f[3], TAG.INTEGER, 'the timestamp serial number')
  const genTime = timeAt(der, need(f[4], TAG.GENERALIZEDTIME, 'the timestamp time'), 'the timestamp time')
  return { policy, imprintHash, imprint: Buffer.from(contentOf(der, need(value, TAG.OCTET_STRING, 'the imprint value'))), genTime }
}
