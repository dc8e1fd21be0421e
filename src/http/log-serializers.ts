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

/** A URL as logged: the path, and the query's parameter names with every value replaced. */
export function redactedUrl(url: string | undefined): string {
  if (!url) return ''
  const q = url.indexOf('?')
  if (q < 0) return url
  const names = url.slice(q + 1).split('&').filter(Boolean).map((pair) => `${pair.split('=')[0].slice(0, 50)}=[redacted]`)
  return `${url.slice(0, q)}?${names.join('&')}`
}
