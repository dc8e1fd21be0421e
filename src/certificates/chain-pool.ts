/**
 * Chain checking off the event loop: a pool of worker threads, one per core, created on first use.
 * The heaviest upload allowed (limits.ts) spends seconds of signature checks; on the main thread that
 * would stall every other request, /health included.
 */
import { availableParallelism } from 'node:os'
import { siblingModule } from '../lib/worker-module.ts'
import { WorkerPool } from '../lib/worker-pool.ts'
import type { ChainTask, ChainVerdict } from './chain-check.ts'

let pool: WorkerPool<ChainTask, ChainVerdict[]> | null = null

/** Rejects with PoolBusy when too many uploads wait already. */
export function checkChainsOffThread(task: ChainTask): Promise<ChainVerdict[]> {
  pool ??= new WorkerPool<ChainTask, ChainVerdict[]>(siblingModule(import.meta.url, 'chain-worker'), availableParallelism(), 64)
  return pool.run(task)
}

/** Uploads whose chains the pool has checked since it started (0 before first use). */
export function chainChecksDone(): number {
  return pool?.completed ?? 0
}

export async function closeChainPool(): Promise<void> {
  const p = pool
  pool = null
  await p?.close()
}
