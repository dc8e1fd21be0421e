/**
 * The embedded database in its own thread: PGlite runs queries synchronously (WebAssembly), so on the
 * main thread one long query would hold every request, /health and static files included. Here it serves
 * the PostgreSQL wire protocol on a private Unix socket; the main thread talks to it with postgres.js,
 * the same driver as for a PostgreSQL server.
 *
 * workerData: { dataDir, socketPath }. Messages to the parent: {type:'ready'}, {type:'failed', message},
 * {type:'closed'}. From the parent: {type:'close'}.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import type { PgliteModules } from './pglite-modules.ts'

type Start = { dataDir: string; socketPath: string; modules: PgliteModules }
const { dataDir, socketPath, modules } = workerData as Start
const port = parentPort!

let db: PGlite
let server: PGLiteSocketServer
try {
  db = await PGlite.create(dataDir, { ...modules })
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
