import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { siblingModule, startWorker } from '../lib/worker-module.ts'
import { pgliteModules } from './pglite-modules.ts'

export type PgliteThread = {
  /** The Unix socket on which the embedded database speaks the PostgreSQL protocol. */
  socketPath: string
  /** False once the thread has stopped (closed, or crashed). */
  alive(): boolean
  close(): Promise<void>
}

const WORKER = siblingModule(import.meta.url, 'pglite-worker')

type Message = { type: string; message?: string }

/**
 * Starts PGlite on `dataDir` ('memory://…' or a folder) in a worker thread. The socket lives in a fresh
 * folder only this user can enter: PGlite has no authentication.
 */
export async function startPgliteThread(dataDir: string): Promise<PgliteThread> {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-db-'))
  const socketPath = path.join(socketDir, '.s.PGSQL.5432')
  const modules = await pgliteModules()
  const worker = startWorker(WORKER, { workerData: { dataDir, socketPath, modules } })
  let running = true
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { running = false; resolve() }))
  // A crash after start is seen by the driver (connection refused) and answered 503; it must not end the process.
  worker.on('error', () => {})
  const next = (types: string[]) => new Promise<Message>((resolve, reject) => {
    const onMessage = (m: Message) => {
      if (!types.includes(m.type) && m.type !== 'failed') return
      worker.off('message', onMessage)
      if (m.type === 'failed') reject(new Error(`The embedded database did not start: ${m.message}`))
      else resolve(m)
    }
    worker.on('message', onMessage)
    void exited.then(() => { worker.off('message', onMessage); reject(Object.assign(new Error('The embedded database stopped'), { code: 'CONNECTION_CLOSED' })) })
  })
  const removeSocketDir = () => fs.rmSync(socketDir, { recursive: true, force: true })
  try {
    await next(['ready'])
  } catch (err) {
    await worker.terminate()
    removeSocketDir()
    throw err
  }
  // The main thread's work decides when the process ends, as it did when PGlite ran on it.
  worker.unref()
  let closing: Promise<void> | null = null
  return {
    socketPath,
    alive: () => running,
    close: () => {
      closing ??= (async () => {
        if (running) {
          worker.postMessage({ type: 'close' })
          const timer = setTimeout(() => void worker.terminate(), 15_000)
          await exited
          clearTimeout(timer)
        }
        removeSocketDir()
      })()
      return closing
    },
  }
}
