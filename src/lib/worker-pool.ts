import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { startWorker } from './worker-module.ts'

/*
 * A fixed pool of worker threads running one module. Each task is a message
 * { id, input }; the module answers { id, ok: true, result } or { id, ok: false, error }.
 * Heavy pure work (signature verification of uploaded documents, chain building of certificate uploads)
 * runs there, off the event loop.
 */

type Task = { id: number; input: unknown; transfer: ArrayBuffer[]; resolve: (v: unknown) => void; reject: (e: Error) => void }
type Slot = { worker: Worker; task: Task | null }
export type WorkerError = { name: string; code?: string; message: string }

export class PoolBusy extends Error {}

/** Workers for a pool: one per core but one, which the event loop keeps for /health, static files and every other request. */
export const DEFAULT_POOL_SIZE = Math.max(1, availableParallelism() - 1)

export class WorkerPool<In, Out> {
  private readonly slots: Slot[] = []
  private readonly queue: Task[] = []
  private nextId = 1
  /** Tasks answered so far. */
  completed = 0
  private closed = false

  private readonly file: URL
  private readonly size: number
  private readonly maxQueue: number
  private readonly toError: (e: WorkerError) => Error

  constructor(
    file: URL,
    size = DEFAULT_POOL_SIZE,
    maxQueue = 64,
    toError: (e: WorkerError) => Error = (e) => Object.assign(new Error(e.message), { name: e.name }),
  ) {
    this.file = file
    this.size = size
    this.maxQueue = maxQueue
    this.toError = toError
  }

  private spawn(): Slot {
    const worker = startWorker(this.file)
    worker.unref()
    const slot: Slot = { worker, task: null }
    worker.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: WorkerError }) => {
      const task = slot.task
      if (!task || task.id !== m.id) return
      slot.task = null
      this.completed++
      worker.unref()
      if (m.ok) task.resolve(m.result)
      else task.reject(this.toError(m.error ?? { name: 'Error', message: 'The worker failed.' }))
      this.pump()
    })
    const lose = (err: Error) => {
      const i = this.slots.indexOf(slot)
      if (i >= 0) this.slots.splice(i, 1)
      slot.task?.reject(err)
      slot.task = null
      if (!this.closed) this.pump()
    }
    worker.on('error', (err) => lose(err))
    worker.on('exit', (code) => lose(new Error(`The verification worker stopped (exit code ${code}).`)))
    this.slots.push(slot)
    return slot
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null)
      if (!slot && this.slots.length < this.size) slot = this.spawn()
      if (!slot) return
      const task = this.queue.shift()!
      slot.task = task
      slot.worker.ref()
      slot.worker.postMessage({ id: task.id, input: task.input }, task.transfer)
    }
  }

  /** Runs one task; rejects with PoolBusy when too many wait already. */
  run(input: In, transfer: ArrayBuffer[] = []): Promise<Out> {
    if (this.closed) return Promise.reject(new Error('The worker pool is closed.'))
    if (this.queue.length >= this.maxQueue) return Promise.reject(new PoolBusy('Too many uploads are being verified; try again shortly.'))
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, transfer, resolve: resolve as (v: unknown) => void, reject })
      this.pump()
    })
  }

  async close(): Promise<void> {
    this.closed = true
    for (const t of this.queue.splice(0)) t.reject(new Error('The worker pool is closed.'))
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()))
  }
}
