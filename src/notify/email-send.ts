import type { Transporter } from 'nodemailer'
import type { SendResult } from './webhook-send.ts'
import { renderEmail, type EventPayload } from './email-render.ts'

export type Mailer = { send(to: string[], id: string, event: EventPayload): Promise<SendResult>; close(): void }

/** One SMTP transport per process (SMTP_URL); a notice without SMTP configured fails and is retried. */
export function createMailer(smtpUrl: string | null, from: string, timeoutMs: number): Mailer {
  let transport: Transporter | null = null
  return {
    async send(to, id, event) {
      if (!smtpUrl) return { ok: false, statusCode: null, error: 'SMTP_URL is not set: e-mail cannot be sent.' }
      if (!transport) {
        // Loaded with the first message: nodemailer is 39 modules that a process without e-mail never needs.
        const { default: nodemailer } = await import('nodemailer')
        const url = new URL(smtpUrl)
        transport ??= nodemailer.createTransport({
          host: url.hostname, port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25), secure: url.protocol === 'smtps:',
          auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
          connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, disableFileAccess: true, disableUrlAccess: true,
        })
      }
      const mail = renderEmail(event)
      try {
        await transport.sendMail({
          from, to, subject: mail.subject, text: mail.text, html: mail.html,
          // The notice id lets a mail client (and a test) tell a repeated message from a new one.
          messageId: `<${id}@kyso>`, headers: { 'X-Kyso-Event': event.type, 'X-Kyso-Notice': id },
        })
        return { ok: true, statusCode: null, error: null }
      } catch (err) {
        const e = err as { code?: string; responseCode?: number }
        return { ok: false, statusCode: e.responseCode ?? null, error: `SMTP delivery failed (${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}).` }
      }
    },
    close() {
      transport?.close()
      transport = null
    },
  }
}
