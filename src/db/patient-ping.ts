/**
 * A readiness check for a database with a single connection (the embedded one): its ping waits in line
 * behind the queries already sent, so a long report would make /health as slow as the report. A ping
 * that has waited less than `patienceMs` counts as an answer (the database is working, on earlier
 * queries); one that has waited longer, or failed, does not. At most one ping is in line at a time.
 */
export function patientPing(query: () => Promise<unknown>, patienceMs: number, promptMs = 50): () => Promise<void> {
  let pending: { done: Promise<void>; since: number } | null = null
  return async () => {
    if (!pending) {
      const current = { done: query().then(() => {}), since: Date.now() }
      pending = current
      void current.done.then(() => {}, () => {}).finally(() => { if (pending === current) pending = null })
    }
    const { done, since } = pending
    let timer: NodeJS.Timeout | undefined
    const waited = new Promise<'waiting'>((resolve) => { timer = setTimeout(() => resolve('waiting'), promptMs) })
    try {
      if ((await Promise.race([done, waited])) !== 'waiting') return
    } finally {
      clearTimeout(timer)
    }
    if (Date.now() - since < patienceMs) return
    throw Object.assign(new Error('The database did not answer in time'), { code: 'CONNECT_TIMEOUT' })
  }
}
