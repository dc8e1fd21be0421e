import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'

export type Received = { id: string; timestamp: string; signature: string; body: string; status: number; at: number }

/**
 * A real webhook receiver on 127.0.0.1. `answer` decides the status of each request (it sees the
 * request count); every request is recorded with its headers and raw body.
 */
export async function startReceiver(answer: (n: number) => number = () => 204) {
  const requests: Received[] = []
  let n = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = answer(++n)
      requests.push({
        id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']), body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now(),
      })
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Verifies a Standard Webhooks signature independently of the code under test. */
export function verifySignature(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const expected = crypto.createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.body}`).digest()
  return r.signature.split(' ').some((part) => {
    const [version, mac] = part.split(',')
    const given = Buffer.from(mac ?? '', 'base64')
    return version === 'v1' && given.length === expected.length && crypto.timingSafeEqual(given, expected)
  })
}

/** A real SMTP server in the process; each message received is parsed. */
export async function startSmtp() {
  const messages: { to: string[]; mail: ParsedMail }[] = []
  const pending: Promise<void>[] = []
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address)
      const parsed = simpleParser(stream).then((mail) => { messages.push({ to, mail }) })
      pending.push(parsed)
      parsed.then(() => callback(), callback)
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    settled: () => Promise.all(pending),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
