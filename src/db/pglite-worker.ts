/**
 * The embedded database in its own thread: PGlite runs queries synchronously (WebAssembly), so on the
 * main thread one long query would hold every request, /health and static files included. Here it serves
 * the PostgreSQL wire protocol on a private Unix socket; the main thread talks to it with postgres.js,
 * the same driver as for a PostgreSQL server.
 *
 * workerData: { dataDir, socketPath, sharedBuffers? }. Messages to the parent: {type:'ready'}, {type:'failed', message},
 * {type:'closed'}. From the parent: {type:'modules', modules} (PGlite's compiled WebAssembly, which the parent
 * compiles while this thread loads), then {type:'close'}.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import type { PgliteModules } from './pglite-modules.ts'

type Start = { dataDir: string; socketPath: string; sharedBuffers?: string }
const { dataDir, socketPath, sharedBuffers } = workerData as Start
const port = parentPort!
const modules = await new Promise<PgliteModules>((resolve) => {
  const onModules = (m: { type: string; modules?: PgliteModules }) => {
    if (m.type !== 'modules' || !m.modules) return
    port.off('message', onModules)
    resolve(m.modules)
  }
  port.on('message', onModules)
})

/**
 * PGlite hands an answer over in pieces, and the socket server writes each piece with a system call of its own.
 * The pieces of one answer are collected here and written at once (PGlite computes the whole answer
 * synchronously anyway): 2,000 small queries took 0.52–0.58 s of this thread's CPU instead of 0.67–0.96 s.
 */
function writeAnswersWhole(pglite: PGlite): void {
  const stream = pglite.execProtocolRawStream.bind(pglite)
  pglite.execProtocolRawStream = async (message, options) => {
    const pieces: Uint8Array[] = []
    let size = 0
    try {
      await stream(message, { ...options, onRawData: (data) => { pieces.push(data.slice()); size += data.length } })
    } finally {
      if (size > 0) options?.onRawData(pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, size))
    }
  }
}

let db: PGlite
let server: PGLiteSocketServer
try {
  const startParams = sharedBuffers ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] : undefined
  db = await PGlite.create(dataDir, { ...modules, ...(startParams ? { startParams } : {}) })
  writeAnswersWhole(db)
  // One connection: PGlite has one session, and the multiplexer of several connections interleaves
  // their extended-protocol messages (and prepared statement names) outside transactions.
  server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 })
  await server.start()
  port.postMessage({ type: 'ready' })
} catch (err) {
  port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
  port.close()
}

const onMessage = async (m: { type: string }) => {
  if (m.type === 'close') {
    try {
      await server.stop()
      if (!db.closed) await db.close()
    } finally {
      port.postMessage({ type: 'closed' })
      port.close()
    }
  }
}
port.on('message', (m: { type: string }) => { void onMessage(m) })
