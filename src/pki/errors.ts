export type PkiInputErrorCode = 'malformed' | 'private_key_material'

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
