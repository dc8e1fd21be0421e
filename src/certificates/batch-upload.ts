/**
 * The items of a batch upload, bounded before anything is verified. JSON: one item per entry of `items`.
 * PEM or PKCS#7: one item per end-entity certificate, the CA certificates (basicConstraints cA) shared as
 * chain material by every item; a block that cannot be read is an item refused on its own.
 */
import { DomainError, Malformed, TooLarge } from '../lib/errors.ts'
import type { Certificate } from '../pki/index.ts'
import { holdsPrivateKey, privateKeyRefusal } from '../upload/private-key.ts'
import { pemBatchBlocks, type Upload } from '../upload/read.ts'
import { readOffThread } from './upload-pool.ts'
import { LIMITS } from './limits.ts'
import type { Device } from './record.ts'
import type { BatchItem, ItemOptions } from './register.ts'
import type { Kind } from './subject-mentions.ts'

export type JsonBatch = { items: { certificate: string; unitCode?: string; kind?: Kind; device?: Device | null }[] }

function tooMany(what: string): TooLarge {
  return new TooLarge(`The upload holds ${what}. One batch is read up to ${LIMITS.batchItems} items, ${LIMITS.uploadCaCertificates} CA certificates and ${LIMITS.uploadCertificates} certificates in all; send it in smaller batches. Nothing was stored.`)
}

/** A JSON batch: each entry's options over the request's defaults. */
export async function jsonBatchItems(json: JsonBatch, defaults: ItemOptions): Promise<{ items: BatchItem[]; chain: Certificate[] }> {
  if (json.items.length > LIMITS.batchItems) throw tooMany(`${json.items.length} items`)
  const read = await readOffThread(json.items.map((item) => item.certificate))
  const items = json.items.map((item, index) => ({
    index,
    certs: read[index],
    unitCode: item.unitCode ?? defaults.unitCode,
    kind: item.kind ?? defaults.kind,
    device: item.device ?? defaults.device,
  }))
  const certificates = items.reduce((n, i) => n + (Array.isArray(i.certs) ? i.certs.length : 1), 0)
  if (certificates > LIMITS.uploadCertificates) throw tooMany(`${certificates} certificates`)
  return { items, chain: [] }
}

/** A raw batch (PEM or PKCS#7): each non-CA certificate an item, the CA certificates shared chain. */
export async function rawBatchItems(body: Upload, options: ItemOptions): Promise<{ items: BatchItem[]; chain: Certificate[] }> {
  if (body === undefined || body.length === 0) throw new Malformed('The body is empty; send certificates.')
  let pieces: (Certificate[] | DomainError)[]
  if (typeof body === 'string') {
    if (holdsPrivateKey(body)) throw privateKeyRefusal('')
    // Counted before anything is decoded: the cap bounds the parsing too.
    const begins = body.split('-----BEGIN ').length - 1
    if (begins > LIMITS.uploadCertificates) throw tooMany(`${begins} PEM blocks`)
    const blocks = pemBatchBlocks(body)
    if (!blocks.length) throw new Malformed('The body holds no PEM block; send PEM certificates (-----BEGIN CERTIFICATE-----).')
    pieces = await readOffThread(blocks)
  } else {
    const [all] = await readOffThread([body])
    if (all instanceof DomainError) throw all
    pieces = [all]
  }
  const items: BatchItem[] = []
  const chain: Certificate[] = []
  let index = 0
  for (const piece of pieces) {
    if (piece instanceof DomainError) {
      if (piece.code === 'private_key_material') throw piece
      items.push({ index: index++, certs: piece, ...options })
      continue
    }
    for (const cert of piece) {
      if (cert.basicConstraints?.cA) chain.push(cert)
      else items.push({ index, certs: [cert], ...options })
      index++
    }
  }
  const total = items.length + chain.length
  if (total > LIMITS.uploadCertificates) throw tooMany(`${total} certificates`)
  if (items.length > LIMITS.batchItems) throw tooMany(`${items.length} items`)
  if (chain.length > LIMITS.uploadCaCertificates) throw tooMany(`${chain.length} CA certificates`)
  return { items, chain }
}
