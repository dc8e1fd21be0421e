/**
 * The process that holds the PGlite test databases of a test run (test/helpers/hosted-pglite.ts starts it).
 * PGlite's WebAssembly is compiled, and its hot functions optimised, once here instead of once in each test
 * process: that was 1 to 1.5 s of CPU per test file. Each database runs in a thread of its own, as in the
 * app (src/db/pglite-thread.ts).
 *
 * A connection sends one JSON line, then gets one line back:
 *   {"open": folder, "sharedBuffers"?: "16MB"}  →  "ok <socket path>" (or "error …"): the Unix socket on which
 *                                                  the database in that folder speaks the PostgreSQL protocol.
 *                                                  The client keeps this connection open while it uses that one.
 *   {"close": folder}                            →  "closed" once that database has stopped.
 * Usage: node --import ./test/helpers/typescript.mjs test/helpers/pglite-host.ts <socket path>
 * It exits when no connection has been open for IDLE_MS.
 */
import fs from 'node:fs'
import net from 'node:net'
import { startPgliteThread, type PgliteThread } from '../../src/db/pglite-thread.ts'
import { firstLine } from './socket-line.ts'

const IDLE_MS = 15_000
const socketPath = process.argv[2]
if (!socketPath) throw new Error('usage: pglite-host.ts <socket path>')

type Request = { open?: string; close?: string; sharedBuffers?: string }

const threads = new Map<string, PgliteThread>()
let connections = 0
let idleTimer: NodeJS.Timeout | undefined

async function close(folder: string): Promise<void> {
  const thread = threads.get(folder)
  threads.delete(folder)
  await thread?.close()
}

async function open(client: net.Socket, folder: string, sharedBuffers?: string): Promise<void> {
  let thread = threads.get(folder)
  if (!thread?.alive()) {
    thread = startPgliteThread(folder, sharedBuffers)
    threads.set(folder, thread)
  }
  try {
    await thread.ready
  } catch (err) {
    if (threads.get(folder) === thread) threads.delete(folder)
    throw err
  }
  // The test process connects to the database's own socket: passing every message on through this process
  // cost it CPU too (test/hardening/fuzz-routes: 9.5 s of the host's CPU that way, 7.8 s direct). This
  // connection stays open while that one is, and tells that the host is in use.
  client.write(`ok ${thread.socketPath}\n`)
}

async function serve(client: net.Socket): Promise<void> {
  const request = JSON.parse(await firstLine(client)) as Request
  if (request.close) {
    await close(request.close)
    client.end('closed\n')
  } else if (request.open) {
    await open(client, request.open, request.sharedBuffers)
  } else {
    client.end('error: neither open nor close\n')
  }
}

function stop(): void {
  server.close()
  void Promise.all([...threads.keys()].map(close)).finally(() => process.exit(0))
}

function busy(delta: number): void {
  connections += delta
  clearTimeout(idleTimer)
  if (connections === 0) idleTimer = setTimeout(stop, IDLE_MS)
}

const server = net.createServer((client) => {
  busy(1)
  client.once('close', () => busy(-1))
  client.on('error', () => {})
  serve(client).catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err)
    console.error(`pglite-host: ${message}`)
    if (!client.destroyed) client.end(`error: ${message.replace(/\n/g, ' ')}\n`)
  })
})
fs.rmSync(socketPath, { force: true })
server.listen(socketPath, () => {
  fs.chmodSync(socketPath, 0o600)
  fs.rmSync(`${socketPath}.starting`, { force: true })
  console.error(`pglite-host ${process.pid}: listening on ${socketPath}`)
  busy(0)
})
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, stop)
