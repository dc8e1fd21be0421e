import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import { guardedLookup, isPrivateAddress, TargetRefused } from './address-guard.ts'
import { signedHeaders } from './signature.ts'

export type SendResult = { ok: boolean; statusCode: number | null; error: string | null }

/** At most this much of an answer is read; the rest is dropped with the connection. */
const MAX_RESPONSE_BYTES = 64 * 1024

export type WebhookTarget = { url: string; secret: string }

/**
 * POSTs one signed event. Never follows redirects; bounded in time (connect, answer and body) and in
 * the bytes read. The error text names what failed, never the secret.
 */
export function sendWebhook(target: WebhookTarget, id: string, timestampSeconds: number, body: string,
  options: { allowPrivate: boolean; timeoutMs: number }): Promise<SendResult> {
  let url: URL
  try {
    url = new URL(target.url)
  } catch {
    return Promise.resolve({ ok: false, statusCode: null, error: 'The URL is not valid.' })
  }
  const literal = url.hostname.replace(/^\[|\]$/g, '')
  if (net.isIP(literal) && !options.allowPrivate && isPrivateAddress(literal)) {
    return Promise.resolve({ ok: false, statusCode: null, error: `${literal} is a private address: refused.` })
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise((resolve) => {
    let settled = false
    const done = (result: SendResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(result)
    }
    const req = client.request(url, {
      method: 'POST',
      lookup: guardedLookup(options.allowPrivate),
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Kyso-Webhooks/1',
        ...signedHeaders(target.secret, id, timestampSeconds, body),
      },
      agent: false,
    }, (res) => {
      let read = 0
      res.on('data', (chunk: Buffer) => {
        read += chunk.length
        if (read > MAX_RESPONSE_BYTES) res.destroy()
      })
      const status = res.statusCode ?? 0
      const finish = () => done({
        ok: status >= 200 && status < 300, statusCode: status,
        error: status >= 200 && status < 300 ? null : `The receiver answered ${status}.`,
      })
      res.on('end', finish)
      res.on('close', finish)
      res.on('error', finish)
    })
    const timer = setTimeout(() => {
      req.destroy()
      done({ ok: false, statusCode: null, error: `No answer within ${options.timeoutMs} ms.` })
    }, options.timeoutMs)
    req.on('error', (err: Error & { code?: string }) => {
      done({ ok: false, statusCode: null, error: err instanceof TargetRefused ? err.message : `Connection failed (${err.code ?? err.name}).` })
    })
    req.end(body)
  })
}
