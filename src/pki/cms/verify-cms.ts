import { malformed } from '../errors.ts'
import { CMS } from './oids.ts'
import { parseSignedData } from './signed-data.ts'
import { verifySigner, type SignerVerdict, type Trust } from './verify-signer.ts'

export type CmsOptions = { trust: Trust; now: Date; claimedTime?: Date | null }

/** Every signer of a detached CMS signature (.p7s) over `content`. */
export function verifyDetachedCms(der: Buffer, content: Buffer, o: CmsOptions): SignerVerdict[] {
  const sd = parseSignedData(der)
  if (sd.content !== null && !sd.content.equals(content)) throw malformed('The signature holds its own content; send it as an attached signature (.p7m).')
  return sd.signers.map((si) => verifySigner(sd, si, content, o))
}

/** Every signer of an attached CMS (.p7m), and the content it carries. */
export function verifyAttachedCms(der: Buffer, o: CmsOptions): { content: Buffer; verdicts: SignerVerdict[] } {
  const sd = parseSignedData(der)
  if (sd.content === null) throw malformed('The signature does not carry its document (it is detached); send the document with it.')
  if (sd.contentType !== CMS.data) throw malformed('The signed content is not a document (its content type is not id-data).')
  const content = sd.content
  return { content, verdicts: sd.signers.map((si) => verifySigner(sd, si, content, o)) }
}
