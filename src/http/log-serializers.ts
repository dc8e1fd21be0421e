/**
 * Errors are logged by class, code and stack frames only: the message of a driver or parser error may
 * carry SQL parameters, a PEM or a token, and must never reach the log.
 */
export function safeError(err: unknown): { type: string; message: string; stack: string; code?: string } {
  const e = (err && typeof err === 'object' ? err : {}) as { name?: unknown; code?: unknown; stack?: unknown; cause?: { code?: unknown } }
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8) : []
  return {
    type: typeof e.name === 'string' ? e.name : 'Error',
    message: '[withheld]',
    stack: frames.map((l) => l.trim()).join('\n'),
    ...(code ? { code } : {}),
  }
}
