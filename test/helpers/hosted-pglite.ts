/**
 * PGlite test databases held by one process per test run (pglite-host.ts), which this module starts when no
 * test file has yet: a test file then pays neither for compiling PGlite's WebAssembly nor for optimising it.
 * The database is the same PGlite, reached over the same protocol as in the app; only the thread it runs in
 * belongs to another process.
 */
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { embeddedDatabase, embeddedFolder, openDatabase, type Database, type OpenOptions } from '../../src/db/open.ts'
import { connectUnixSocket } from '../../src/db/pglite-thread.ts'
import { PGLITE_TEST_DIR } from './pglite-test-dir.ts'
import { firstLine } from './socket-line.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const HOST = fileURLToPath(new URL('./pglite-host.ts', import.meta.url))
const LOADER = new URL('./typescript.mjs', import.meta.url).href
/** How long a host start may hold the start lock before another process takes over. */
const START_PATIENCE_MS = 30_000

/** A folder only this user can enter: PGlite asks for no password. */
function privateFolder(): string {
  const uid = process.getuid?.() ?? 0
  const folder = path.join(PGLITE_TEST_DIR, `kyso-test-host-${uid}`)
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 })
  const stat = fs.statSync(folder)
  if (stat.uid !== uid || (stat.mode & 0o077) !== 0) throw new Error(`${folder} must belong to this user and be closed to others`)
  return folder
}

/**
 * One host per checkout, version of the code that runs the databases and Node.js version: test runs of the same
 * code share it; another checkout, or changed code, gets its own.
 */
function hostKey(): string {
  const h = crypto.createHash('sha256').update(ROOT)
  for (const file of ['src/db/pglite-worker.ts', 'src/db/pglite-thread.ts', 'src/db/pglite-modules.ts', 'test/helpers/pglite-host.ts']) {
    h.update('\0').update(fs.readFileSync(path.join(ROOT, file)))
  }
  return h.digest('hex').slice(0, 16)
}
const SOCKET = path.join(privateFolder(), `${hostKey()}-${process.version}.sock`)
const LOG = `${SOCKET}.log`
let logStart = -1

/** Starts a host unless another process is starting one (the `.starting` file, removed by the host once it listens). */
function startHost(): void {
  const lock = `${SOCKET}.starting`
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
  } catch {
    const held = fs.statSync(lock, { throwIfNoEntry: false })
    if (held && Date.now() - held.mtimeMs > START_PATIENCE_MS) fs.rmSync(lock, { force: true })
    return
  }
  const log = fs.openSync(LOG, 'a')
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS$|TAP|_TAPJS_)/.test(k)))
  const child = spawn(process.execPath, ['--enable-source-maps', '--import', LOADER, HOST, SOCKET], { cwd: ROOT, env, detached: true, stdio: ['ignore', log, log] })
  child.unref()
  fs.closeSync(log)
}

async function hostConnection(): Promise<net.Socket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectUnixSocket(SOCKET)
    } catch (err) {
      const code = (err as { code?: string }).code
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || attempt > 600) throw err
      startHost()
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/** Sends `request` to the host; resolves with the connection and the rest of its answer once it starts with `expected`. */
async function ask(request: Record<string, string | undefined>, expected: string): Promise<{ socket: net.Socket; rest: string }> {
  const socket = await hostConnection()
  if (logStart < 0) logStart = fs.statSync(LOG, { throwIfNoEntry: false })?.size ?? 0
  socket.write(`${JSON.stringify(request)}\n`)
  const reply = await firstLine(socket).catch((err: Error) => `no answer, ${err.message} (its log: ${LOG})`)
  if (reply !== expected && !reply.startsWith(`${expected} `)) {
    socket.destroy()
    throw new Error(`PGlite test host: ${reply}`)
  }
  return { socket, rest: reply.slice(expected.length + 1) }
}

/**
 * A connection to the database in `folder`, started by the host when it is not running: straight to the
 * database's socket, while the connection to the host that answered stays open beside it (the host counts it
 * as in use). Either closing closes the other.
 */
async function connect(folder: string, sharedBuffers: string | undefined): Promise<net.Socket> {
  const { socket: host, rest: socketPath } = await ask({ open: folder, sharedBuffers }, 'ok')
  let db: net.Socket
  try {
    db = await connectUnixSocket(socketPath)
  } catch (err) {
    host.destroy()
    throw err
  }
  host.on('error', () => {})
  host.once('close', () => db.destroy())
  db.once('close', () => host.destroy())
  return db
}

// A test file that failed shows what the host wrote meanwhile: a crash of the host (or of Node.js in it) is
// seen in the file's output.
process.once('exit', (code) => {
  if (code === 0 || logStart < 0) return
  try {
    const text = fs.readFileSync(LOG, 'utf8').slice(logStart).trim()
    if (text) process.stderr.write(`\nThe PGlite test host wrote while this file ran (${LOG}):\n${text.slice(-4000)}\n`)
  } catch { /* no log, nothing to show */ }
})

/** The PGlite database in the data folder `folder`, opened in the run's host. */
export function hostedDatabase(folder: string, options: Omit<OpenOptions, 'databaseUrl' | 'dataDir'>): Database {
  return embeddedDatabase(() => connect(folder, options.sharedBuffers), options, () => true, async () => {
    (await ask({ close: folder }, 'closed')).socket.destroy()
  })
}

/**
 * The PGlite database in the data folder `dataDir` (embeddedFolder, as the app lays it out), begun as a copy of
 * the data folder `from` when given, else made by initdb: in the run's host, or in this process, as the app
 * opens it, when hosting is off.
 */
export async function openTestPglite(dataDir: string, options: Omit<OpenOptions, 'dataDir' | 'copyFrom'>, from?: string): Promise<Database> {
  if (!HOSTED) return openDatabase({ ...options, dataDir, copyFrom: from })
  const folder = embeddedFolder(dataDir)
  if (from) fs.cpSync(from, folder, { recursive: true })
  else fs.mkdirSync(dataDir, { recursive: true })
  return hostedDatabase(folder, options)
}

/** Whether test databases on PGlite are hosted (KYSO_TEST_PGLITE_HOST=0 opens each in the test process, as the app does). */
export const HOSTED = process.env.KYSO_TEST_PGLITE_HOST !== '0' && os.platform() !== 'win32'
