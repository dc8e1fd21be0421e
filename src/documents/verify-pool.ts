import { PkiInputError } from '../pki/errors.ts'
import { TooManySignatures } from '../pki/pdf/signatures.ts'
import type { DocumentReport } from '../pki/signed-document.ts'
import type { TrustMaterial } from '../pki/trust-material.ts'
import { siblingModule } from '../lib/worker-module.ts'
import { DEFAULT_POOL_SIZE, WorkerPool, type WorkerError } from '../lib/worker-pool.ts'

export type VerifyTask = {
  document: { kind: 'pdf' | 'attached'; bytes: Uint8Array } | { kind: 'detached'; document: Uint8Array; signature: Uint8Array }
  trust: TrustMaterial
  now: string
}

function toError(e: WorkerError): Error {
  if (e.name === 'TooManySignatures') return new TooManySignatures('malformed', e.message)
  if (e.name === 'PkiInputError') return new PkiInputError(e.code === 'private_key_material' ? 'private_key_material' : 'malformed', e.message)
  return new Error(e.message)
}

let pool: WorkerPool<VerifyTask, DocumentReport> | null = null

/** Verifies a document on the shared pool (one worker per core but one, created on first use). */
export function verifyOffThread(task: VerifyTask): Promise<DocumentReport> {
  pool ??= new WorkerPool<VerifyTask, DocumentReport>(siblingModule(import.meta.url, 'verify-worker'), DEFAULT_POOL_SIZE, 64, toError)
  return pool.run(task)
}

export async function closeVerifyPool(): Promise<void> {
  const p = pool
  pool = null
  await p?.close()
}
