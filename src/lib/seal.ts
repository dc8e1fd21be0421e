import crypto from 'node:crypto'

/** AES-256-GCM with a random IV, bound to `context` (as additional data): a sealed text copied elsewhere does not open. */
export function seal(key: Buffer, context: string, text: string): string {
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context))
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
}

/** The text, or null when `sealed` does not open with this key and context. */
export function unseal(key: Buffer, context: string, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64')
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(context))
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
