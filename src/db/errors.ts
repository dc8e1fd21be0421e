/** Classifies driver errors without ever reading their messages (they may carry SQL, parameters or a PEM). */

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED',
  '57P01', '57P02', '57P03', '57014', '53300', '40P01', '40001', '08000', '08001', '08003', '08004', '08006',
])

function causes(err: unknown): unknown[] {
  const chain: unknown[] = []
  let current = err
  while (current && typeof current === 'object' && chain.length < 10) {
    chain.push(current)
    current = (current as { cause?: unknown }).cause
  }
  return chain
}

function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}

export function pgErrorCode(err: unknown): string | undefined {
  for (const e of causes(err)) {
    const code = codeOf(e)
    if (code && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

export function isUniqueViolation(err: unknown): boolean {
  return pgErrorCode(err) === '23505'
}

/** The database is down, unreachable, shutting down, overloaded, too slow, or lost a deadlock: answer 503 (try again). */
export function isDatabaseUnavailable(err: unknown): boolean {
  return causes(err).some((e) => {
    const code = codeOf(e)
    // PGlite has no error code for a closed database; its fixed message is the only sign.
    return (code !== undefined && UNAVAILABLE_CODES.has(code)) || (e instanceof Error && e.message === 'PGlite is closed')
  })
}
