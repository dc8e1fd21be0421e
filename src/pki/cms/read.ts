import { malformed } from '../errors.ts'
import { decodeBase64, looksLikePem, pemBlocks, pemBody } from '../pem.ts'

const LABELS = new Set(['CMS', 'PKCS7', 'PKCS #7 SIGNED DATA'])

/** A CMS structure as DER, from DER, PEM (CMS / PKCS7) or bare base64. */
export function cmsDer(body: Buffer): Buffer {
  if (body.length === 0) throw malformed('The signature is empty.')
  if (body[0] === 0x30) return body
  if (body.length > 16 * 1024 * 1024) throw malformed('The signature is too large.')
  const text = body.toString('latin1')
  if (!looksLikePem(text)) return decodeBase64(text, 'signature')
  const blocks = pemBlocks(text)
  if (blocks.length !== 1 || !LABELS.has(blocks[0].label)) throw malformed('The signature is not one PEM block labelled CMS or PKCS7.')
  return decodeBase64(pemBody(blocks[0].body), 'signature')
}
