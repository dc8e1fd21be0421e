import { nextAttempt } from './backoff.ts'
import { openSecret } from './secret-box.ts'
import type { Mailer } from './email-send.ts'
import type { ClaimedJob, Outcome } from './queue.ts'
import { sendWebhook, type SendResult } from './webhook-send.ts'

export type DeliverOptions = {
  mailer: Mailer
  allowPrivate: boolean
  timeoutMs: number
  retryHours: number
  now: () => Date
  /** Opens secrets sealed with WEBHOOK_SECRET_KEY. */
  secretKey: Buffer | null
}

/** Sends one claimed notice over its channel. The body is the exact text that is signed. */
export async function sendJob(job: ClaimedJob, options: DeliverOptions): Promise<SendResult> {
  if (job.channel === 'email') return options.mailer.send(job.addresses ?? [], job.id, job.payload)
  const secret = job.secret === null ? null : openSecret(options.secretKey, job.subscriptionId, job.secret)
  if (!job.url || !secret) return { ok: false, statusCode: null, error: 'The subscription\'s secret cannot be read (is WEBHOOK_SECRET_KEY the one it was sealed with?).' }
  const body = JSON.stringify(job.payload)
  const timestamp = Math.floor(options.now().getTime() / 1000)
  return sendWebhook({ url: job.url, secret }, job.id, timestamp, body, { allowPrivate: options.allowPrivate, timeoutMs: options.timeoutMs })
}

/** Sends a round of claimed notices side by side and says what became of each. */
export async function deliverJobs(jobs: ClaimedJob[], options: DeliverOptions, retry = true): Promise<Outcome[]> {
  return Promise.all(jobs.map(async (job) => {
    const started = performance.now()
    const result = await sendJob(job, options).catch((): SendResult => ({ ok: false, statusCode: null, error: 'The send failed.' }))
    const durationMs = Math.round(performance.now() - started)
    const windowStart = job.enqueuedAt > job.dueAt ? job.enqueuedAt : job.dueAt
    const next = result.ok || !retry ? null : nextAttempt(options.now(), windowStart, job.attempts, options.retryHours)
    return {
      jobId: job.id, subscriptionId: job.subscriptionId, attempt: job.attempts, ...result, durationMs,
      status: result.ok ? 'delivered' : next ? 'pending' : 'failed',
      nextAttemptAt: next,
    } satisfies Outcome
  }))
}
