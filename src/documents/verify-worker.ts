/** Worker thread: verifies one signed document (see src/pki/signed-document.ts) per message. */
import { parentPort } from 'node:worker_threads'
import { PkiInputError } from '../pki/errors.ts'
import { TooManySignatures } from '../pki/pdf/signatures.ts'
import { verifySignedDocument } from '../pki/signed-document.ts'
import { parsedTrust } from '../pki/trust-material.ts'
import type { VerifyTask } from './verify-pool.ts'

const buf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength)

parentPort?.on('message', ({ id, input }: { id: number; input: VerifyTask }) => {
  try {
    const trust = parsedTrust(input.trust)
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
