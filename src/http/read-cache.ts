/** A cached answer: its body as sent, the headers that describe it, and the data version it was computed at. */
export type CachedAnswer = {
  version: number
  body: Buffer
  /** Content type and disposition, ETag, Cache-Control. */
  headers: Record<string, string>
  /** An answer kept for everyone: all the headers of its 200 and of its 304, for the front (read-cache-front.ts). */
  sent?: Record<string, string>
  notModified?: Record<string, string>
}

/** Approximate bookkeeping bytes of an entry beside its key and body (Map slot, object, header strings). */
const ENTRY_OVERHEAD = 256

/**
 * Answers by key, one version per key, least recently used first out when the bytes held (bodies, keys and
 * headers) would exceed maxBytes. An answer bigger than the whole budget is not kept.
 */
export class ReadCache {
  private readonly entries = new Map<string, CachedAnswer & { bytes: number }>()
  private held = 0
  /** Lookups answered and not answered, since the start. */
  hits = 0
  misses = 0

  readonly maxBytes: number

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes
  }

  get bytes(): number { return this.held }
  get size(): number { return this.entries.size }

  /** The answer for key computed at exactly this version, if kept. */
  get(key: string, version: number): CachedAnswer | undefined {
    const entry = this.entries.get(key)
    if (!entry || entry.version !== version) {
      // An older version is never useful again: versions only grow.
      if (entry && entry.version < version) this.remove(key)
      this.misses++
      return undefined
    }
    this.hits++
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry
  }

  set(key: string, answer: CachedAnswer): void {
    const existing = this.entries.get(key)
    if (existing && existing.version > answer.version) return
    const bytes = sizeOf(key, answer)
    if (existing) this.remove(key)
    if (bytes > this.maxBytes) return
    while (this.held + bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string
      this.remove(oldest)
    }
    this.entries.set(key, { ...answer, bytes })
    this.held += bytes
  }

  private remove(key: string): void {
    const entry = this.entries.get(key)
    if (!entry) return
    this.entries.delete(key)
    this.held -= entry.bytes
  }
}

function sizeOf(key: string, answer: CachedAnswer): number {
  let bytes = ENTRY_OVERHEAD + key.length * 2 + answer.body.byteLength
  for (const headers of [answer.headers, answer.sent, answer.notModified]) {
    for (const [name, value] of Object.entries(headers ?? {})) bytes += (name.length + value.length) * 2
  }
  return bytes
}
