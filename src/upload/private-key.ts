/** A private key sent to Kyso is refused whole, before anything reads it, and never stored or logged. */
import { Unprocessable } from '../lib/errors.ts'
import { PRIVATE_KEY_REFUSAL } from '../pki/errors.ts'

const PRIVATE_KEY_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/

/** 422 `private_key_material`. `advice` follows the refusal (for one certificate: send it alone). */
export function privateKeyRefusal(advice = 'Send the certificate alone.'): Unprocessable {
  return new Unprocessable(advice ? `${PRIVATE_KEY_REFUSAL} ${advice}` : PRIVATE_KEY_REFUSAL, undefined, 'private_key_material')
}

/** A PEM private key anywhere in the text, or in any string of a JSON value (a few levels deep). */
export function holdsPrivateKey(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return PRIVATE_KEY_PEM.test(value)
  if (depth > 5 || value === null || typeof value !== 'object') return false
  return Object.values(value as Record<string, unknown>).some((v) => holdsPrivateKey(v, depth + 1))
}
