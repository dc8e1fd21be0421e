/**
 * Child process of the benchmark: the real app (buildApp + listen on 127.0.0.1:0) on DATABASE_URL,
 * and beside it a bare Fastify route that returns a constant (the baseline of HTTP reads; /constant-sized?bytes=N
 * returns one of N bytes). Runs in its own process so that the load generator does not share the app's event loop. Tells its parent the two
 * URLs over IPC; answers {type:'memory'} with process.memoryUsage() and process.cpuUsage(); stops on SIGTERM. {type:'profile', file} starts, then stops and writes, a CPU profile of one phase.
 * The database must already be migrated (the benchmark prepares it).
 */
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import Fastify from 'fastify'
import { loadConfig } from '../../src/config.ts'
import { openDatabase } from '../../src/db/open.ts'
import { openOptions } from '../../src/bootstrap.ts'
import { buildApp } from '../../src/app.ts'

const config = loadConfig(process.env)
const database = await openDatabase(openOptions(config))
const listen = database.kind === 'postgres' ? database.client.listen.bind(database.client) : undefined
const app = await buildApp({ db: database.db, config, ping: database.ping, listen })
const appUrl = await app.listen({ port: 0, host: '127.0.0.1' })

const constant = Fastify({ logger: false })
constant.get('/constant', async () => ({ status: 'ok' }))
// A constant body of ?bytes= bytes (JSON, made once per size): what sending an answer of that size costs alone.
const sized = new Map<number, Buffer>()
constant.get('/constant-sized', async (request, reply) => {
  const bytes = Math.min(Math.max(Number((request.query as { bytes?: string }).bytes) || 2, 2), 1 << 20)
  if (!sized.has(bytes)) sized.set(bytes, Buffer.from(`"${'x'.repeat(bytes - 2)}"`))
  return reply.type('application/json; charset=utf-8').send(sized.get(bytes))
})
const constantUrl = await constant.listen({ port: 0, host: '127.0.0.1' })

// {type:'profile', file}: starts the V8 CPU profiler; {type:'profile', file} again stops it and writes the profile to file.
let session: Session | null = null
const onMessage = async (m: { type?: string; file?: string }) => {
  if (m?.type === 'memory') process.send!({ type: 'memory', memory: process.memoryUsage(), cpu: process.cpuUsage() })
  if (m?.type === 'profile') {
    if (!session) {
      session = new Session()
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 200 })
      await session.post('Profiler.start')
    } else {
      const { profile } = await session.post('Profiler.stop')
      fs.writeFileSync(m.file!, JSON.stringify(profile))
      session.disconnect()
      session = null
    }
    process.send!({ type: 'profiled' })
  }
}
process.on('message', (m: { type?: string; file?: string }) => { void onMessage(m) })
let closing = false
const stop = async () => {
  if (closing) return
  closing = true
  await Promise.allSettled([app.close(), constant.close()])
  await database.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('disconnect', () => void stop())
process.send!({ type: 'ready', appUrl, constantUrl })
