/** Worker thread: verifies one signed document (see src/pki/signed-document.ts) per message. */
import { createHash } from 'node:crypto'
import { parentPort } from 'node:worker_threads'
import { parseCertificate, type Certificate } from '../pki/certificate.ts'
import { PkiInputError } from '../pki/errors.ts'
import { TooManySignatures } from '../pki/pdf/signatures.ts'
import { verifySignedDocument } from '../pki/signed-document.ts'
import type { VerifyTask } from './verify-pool.ts'

let cached: { key: string; anchors: Certificate[]; intermediates: Certificate[] } | null = null

function parsed(list: Uint8Array[]): Certificate[] {
  const out: Certificate[] = []
  for (const der of list) {
    try { out.push(parseCertificate(Buffer.from(der))) } catch { /* a stored CA the parser cannot read is left out, as in the trust cache */ }
  }
  return out
}

function trustOf(t: VerifyTask['trust']) {
  const key = createHash('sha256').update(t.anchors.map((a) => Buffer.from(a).toString('base64')).join(',') + '|' + t.intermediates.map((a) => Buffer.from(a).toString('base64')).join(',')).digest('hex')
  if (cached?.key !== key) cached = { key, anchors: parsed(t.anchors), intermediates: parsed(t.intermediates) }
  return cached
}

const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

parentPort?.on('message', ({ id, input }: { id: number; input: VerifyTask }) => {
  try {
    const trust = trustOf(input.trust)
    const d = input.document
    const doc = d.kind === 'detached' ? { kind: d.kind, document: buf(d.document), signature: buf(d.signature) } : { kind: d.kind, bytes: buf(d.bytes) }
    const result = verifySignedDocument(doc, trust, new Date(input.now))
    parentPort!.postMessage({ id, ok: true, result })
  } catch (e) {
    const error = e instanceof PkiInputError
      ? { name: e instanceof TooManySignatures ? 'TooManySignatures' : 'PkiInputError', code: e.code, message: e.message }
      : { name: 'Error', message: 'The document could not be verified.' }
    parentPort!.postMessage({ id, ok: false, error })
  }
})
