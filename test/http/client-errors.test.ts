/**
 * Errors raised outside the router's hooks (bad URL encoding, overlong path segment, Node's HTTP parser
 * refusing oversized headers or garbage) are problem+json with the security headers too.
 */
import net from 'node:net'
import t from 'tap'
import { testApp } from '../helpers/app.ts'

const PROBLEM = 'application/problem+json; charset=utf-8'

t.test('framework errors are problem+json with security headers', async (t) => {
  const { app } = await testApp(t, { seed: false })
  for (const [url, status] of [['/v1/units/%ED%A0%80', 400], ['/v1/units/%FF', 400], [`/v1/units/${'9'.repeat(400)}`, 414]] as const) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, status, `${url.slice(0, 30)}: status`)
    t.equal(res.headers['content-type'], PROBLEM, `${url.slice(0, 30)}: problem+json`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${url.slice(0, 30)}: security headers`)
    t.match(res.headers['content-security-policy'], /default-src/)
    t.equal(res.json().status, status)
  }
})

/** Sends raw bytes to a listening server and returns the raw answer. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let out = ''
    socket.on('data', (d) => { out += d.toString('latin1') })
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
    socket.write(request)
  })
}

function parse(answer: string): { status: number; headers: Record<string, string>; body: string } {
  const [head, body] = answer.split('\r\n\r\n')
  const [statusLine, ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine.split(' ')[1]), headers, body }
}

t.test('client errors from the HTTP parser (431, 400) are problem+json with security headers', async (t) => {
  const { app } = await testApp(t, { seed: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as net.AddressInfo).port
  const cases = [
    ['oversized headers', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['overlong URL', `GET /health?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    ['garbage', 'NOT HTTP AT ALL\r\n\r\n', 400],
  ] as const
  for (const [name, request, status] of cases) {
    const answer = parse(await raw(port, request))
    t.equal(answer.status, status, `${name}: status`)
    t.equal(answer.headers['content-type'], PROBLEM, `${name}: problem+json`)
    t.equal(answer.headers['x-content-type-options'], 'nosniff', `${name}: security headers`)
    t.equal(JSON.parse(answer.body).status, status, `${name}: the body says it`)
  }
})
