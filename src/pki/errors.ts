export type PkiInputErrorCode = 'malformed' | 'private_key_material'

/** Why an upload holding a private key is refused, wherever it is read. */
export const PRIVATE_KEY_REFUSAL = 'The upload contains a private key. A private key must never leave its token or signing server; nothing was stored or logged.'

/** Thrown by the readers. The message is safe to show: it never quotes the input. */
export class PkiInputError extends Error {
  readonly code: PkiInputErrorCode
  constructor(code: PkiInputErrorCode, message: string) {
    super(message)
    this.name = 'PkiInputError'
    this.code = code
  }
}

export function malformed(message: string): PkiInputError {
  return new PkiInputError('malformed', message)
}
