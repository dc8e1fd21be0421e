import { seal, unseal } from '../lib/seal.ts'

/**
 * Webhook secrets at rest. With WEBHOOK_SECRET_KEY set they are sealed with AES-256-GCM, bound to their
 * subscription id (a sealed secret copied to another row does not open); without it they are stored as
 * given. Either way no answer and no log ever carries them after creation.
 */
const PREFIX = 'enc1:'

export function sealSecret(key: Buffer | null, subscriptionId: string, secret: string): string {
  return key ? PREFIX + seal(key, subscriptionId, secret) : secret
}

/** The secret, or null when it is sealed and cannot be opened with this key. */
export function openSecret(key: Buffer | null, subscriptionId: string, stored: string): string | null {
  if (!stored.startsWith(PREFIX)) return stored
  return key ? unseal(key, subscriptionId, stored.slice(PREFIX.length)) : null
}
