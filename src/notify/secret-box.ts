import crypto from 'node:crypto'

/**
 * Webhook secrets at rest. With WEBHOOK_SECRET_KEY set they are sealed with AES-256-GCM, bound to their
 * subscription id (a sealed secret copied to another row does not open); without it they are stored as
 * given. Either way no answer and no log ever carries them after creation.
 */
const PREFIX = 'enc1:'

export function sealSecret(key: Buffer | null, subscriptionId: string, secret: string): string {
  if (!key) return secret
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(subscriptionId))
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')
}

/** The secret, or null when it is sealed and cannot be opened with this key. */
export function openSecret(key: Buffer | null, subscriptionId: string, stored: string): string | null {
  if (!stored.startsWith(PREFIX)) return stored
  if (!key) return null
  try {
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64')
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(subscriptionId))
    decipher.setAuthTag(raw.subarray(12, 28))
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
  } catch {
    return null
  }
}
