import crypto from 'node:crypto'

/** Standard Webhooks secrets: "whsec_" followed by the base64 of the key (24 to 64 bytes). */
const SECRET_PATTERN = /^whsec_([A-Za-z0-9+/]{32,88}={0,2})$/

export function generateSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`
}

/** The key of a whsec_ secret, or null when the secret is not one. */
export function secretKey(secret: string): Buffer | null {
  const m = SECRET_PATTERN.exec(secret)
  if (!m) return null
  const key = Buffer.from(m[1], 'base64')
  // Buffer.from ignores bad base64 silently: a round trip proves the text was canonical.
  if (key.toString('base64').replace(/=+$/, '') !== m[1].replace(/=+$/, '')) return null
  return key.length >= 24 && key.length <= 64 ? key : null
}

/** The webhook-signature header value: "v1,<base64 HMAC-SHA256 of id.timestamp.body>". */
export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = secretKey(secret)
  if (!key) throw new Error('not a whsec_ secret')
  const mac = crypto.createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64')
  return `v1,${mac}`
}

export function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': sign(secret, id, timestampSeconds, body),
  }
}
