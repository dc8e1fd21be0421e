/**
 * The heavy work of certificate uploads off the event loop, in a pool of worker threads (one per core but one,
 * created on first use): reading a batch's pieces and checking their chains. The heaviest upload allowed
 * (limits.ts) takes a tenth of a second to read and seconds of signature checks; on the main thread that
 * would stall every other request, /health included.
 */
import type { DomainError } from '../lib/errors.ts'
import { mapInSlices } from '../lib/in-slices.ts'
import { siblingModule } from '../lib/worker-module.ts'
import { DEFAULT_POOL_SIZE, WorkerPool } from '../lib/worker-pool.ts'
import type { Certificate } from '../pki/index.ts'
import { pieceBack, type Piece, type PieceRead } from '../upload/pieces.ts'
import type { ChainTask, ChainVerdict } from './chain-check.ts'

export type UploadTask = { op: 'read'; pieces: Piece[] } | { op: 'check'; task: ChainTask }

/**
 * Tasks that may wait for a worker: a thousand single registrations at once are absorbed (they cost little
 * each); past that the pool answers 503 with Retry-After. The body limit bounds what each task holds.
 */
const MAX_WAITING = 1024

let pool: WorkerPool<UploadTask, unknown> | null = null

/** Rejects with PoolBusy when too many uploads wait already. */
function run(task: UploadTask): Promise<unknown> {
  pool ??= new WorkerPool<UploadTask, unknown>(siblingModule(import.meta.url, 'upload-worker'), DEFAULT_POOL_SIZE, MAX_WAITING)
  return pool.run(task)
}

/** Each piece read as one upload: its certificates, or its refusal. */
export async function readOffThread(pieces: Piece[]): Promise<(Certificate[] | DomainError)[]> {
  return mapInSlices(await run({ op: 'read', pieces }) as PieceRead[], pieceBack)
}

export async function checkChainsOffThread(task: ChainTask): Promise<ChainVerdict[]> {
  return await run({ op: 'check', task }) as ChainVerdict[]
}

/** Tasks the pool has done since it started (0 before first use). */
export function uploadTasksDone(): number {
  return pool?.completed ?? 0
}

export async function closeUploadPool(): Promise<void> {
  const p = pool
  pool = null
  await p?.close()
}
