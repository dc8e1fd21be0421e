import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { siblingModule, startWorker } from '../lib/worker-module.ts'
import { pgliteModules } from './pglite-modules.ts'

export type PgliteThread = {
  /** Settles when the database answers on the socket, or rejects when it could not start (the thread is gone then). */
  ready: Promise<void>
  /** The Unix socket on which the database speaks the PostgreSQL protocol, in a folder only this user can enter. */
  socketPath: string
  /** A connection to that socket, once the database is ready. */
  connect(): Promise<net.Socket>
  /** False once the thread has stopped (closed, or crashed). */
  alive(): boolean
  close(): Promise<void>
}

const WORKER = siblingModule(import.meta.url, 'pglite-worker')

/** A connection to the Unix socket `socketPath`, once it is connected. */
export function connectUnixSocket(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath)
    socket.once('connect', () => { socket.off('error', reject); resolve(socket) })
    socket.once('error', reject)
  })
}

type Message = { type: string; message?: string }

/**
 * Starts PGlite on `dataDir` ('memory://…' or a folder) in a worker thread and returns at once; `ready` tells
 * when it answers. The socket lives in a fresh folder only this user can enter: PGlite has no authentication.
 */
export function startPgliteThread(dataDir: string, sharedBuffers?: string): PgliteThread {
  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kyso-db-'))
  const socketPath = path.join(socketDir, '.s.PGSQL.5432')
  const worker = startWorker(WORKER, { workerData: { dataDir, socketPath, sharedBuffers } })
  // Compiled (once per process) while the thread loads PGlite's code.
  const modules = pgliteModules()
  modules.then((m) => worker.postMessage({ type: 'modules', modules: m }), () => {})
  let running = true
  const exited = new Promise<void>((resolve) => worker.once('exit', () => { running = false; resolve() }))
  // A crash after start is seen by the driver (connection refused) and answered 503; it must not end the process.
  worker.on('error', () => {})
  const started = new Promise<void>((resolve, reject) => {
    const onMessage = (m: Message) => {
      if (m.type !== 'ready' && m.type !== 'failed') return
      worker.off('message', onMessage)
      if (m.type === 'failed') reject(new Error(`The embedded database did not start: ${m.message}`))
      else resolve()
    }
    worker.on('message', onMessage)
    void exited.then(() => { worker.off('message', onMessage); reject(Object.assign(new Error('The embedded database stopped'), { code: 'CONNECTION_CLOSED' })) })
  })
  const removeSocketDir = () => fs.rmSync(socketDir, { recursive: true, force: true })
  const ready = Promise.all([modules, started]).then(
    // The main thread's work decides when the process ends, as it did when PGlite ran on it.
    () => { worker.unref() },
    async (err: unknown) => {
      await worker.terminate()
      removeSocketDir()
      throw err
    },
  )
  ready.catch(() => {}) // the caller hears of it through `ready` or its first query
  let closing: Promise<void> | null = null
  return {
    ready,
    socketPath,
    connect: async () => {
      await ready
      return connectUnixSocket(socketPath)
    },
    alive: () => running,
    close: () => {
      closing ??= (async () => {
        await ready.catch(() => {})
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
