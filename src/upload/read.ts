/**
 * Reading an upload of certificates (a certificate and its chain, a batch, a trust anchor or intermediate)
 * or of a revocation list: the pki's readers, with their refusals as domain errors. An empty body is
 * `malformed`, a private key `private_key_material`, anything that is not what was asked for `malformed`.
 */
import { DomainError, Malformed } from '../lib/errors.ts'
import { PkiInputError, readCertificates, readCrl, type Certificate, type Crl } from '../pki/index.ts'
import { privateKeyRefusal } from './private-key.ts'

export type Upload = Buffer | string | undefined

/** The pki's reading errors as domain errors; anything else is rethrown. */
export function readingError(err: unknown): DomainError {
  if (err instanceof PkiInputError) return err.code === 'private_key_material' ? privateKeyRefusal() : new Malformed(err.message)
  throw err
}

/** Every certificate in an upload (PEM with any number of blocks, DER, PKCS#7, bare base64). */
export function readCertificateUpload(body: Upload): Certificate[] {
  if (body === undefined || body.length === 0) throw new Malformed('The body is empty; send a certificate.')
  try {
    return readCertificates(body)
  } catch (err) {
    throw readingError(err)
  }
}

/** `readCertificateUpload` for one item of a batch: its refusal is returned, for that item alone to answer. */
export function readUploadItem(body: Upload): Certificate[] | DomainError {
  try {
    return readCertificateUpload(body)
  } catch (err) {
    if (err instanceof DomainError) return err
    throw err
  }
}

/** A revocation list (PEM or DER). */
export function readCrlUpload(body: Upload): Crl {
  if (body === undefined || body.length === 0) throw new Malformed('The body is empty; send a CRL (PEM or DER).')
  try {
    return readCrl(body)
  } catch (err) {
    throw readingError(err)
  }
}

/**
 * The armoured blocks of a PEM batch, each on its own so that one bad block refuses one item. Text between
 * blocks is ignored, as PEM allows; a block without its END line runs to the end.
 */
export function pemBatchBlocks(text: string): string[] {
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 #]+)-----[\s\S]*?(?:-----END \1-----|$)/g)].map((m) => m[0])
}
