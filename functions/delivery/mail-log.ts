import * as z from 'zod';
import type { Mailer, OutgoingMail } from '../core/mail/mailer.ts';

/** One mail sent to one participant, as stored (items are parsed with this schema, never cast). */
export const mailRecord = z.object({
  messageId: z.string(),
  participantId: z.string(),
  kind: z.string(),
  sessionId: z.string().optional(),
  sentAt: z.string(),
  status: z.enum(['sent', 'delivered', 'bounced', 'complained']),
});
export type MailRecord = z.infer<typeof mailRecord>;

/** The record of every mail sent (SES message id → participant, kind, session), for delivery tracking and exports. */
export interface MailLog {
  record(records: MailRecord[]): Promise<void>;
}

/**
 * A Mailer that records each mail it sent, from the mail's tags. Recording happens after SES accepted
 * the mail; if it fails the error escapes and the consumer is retried (the idempotency record of that
 * event is then not completed, so the retry may send again: logging is kept to one cheap Put to make
 * that window small).
 */
export class LoggingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly log: MailLog,
    private readonly clock: { now(): Date },
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const result = await this.inner.send(mail);
    const tags = mail.tags ?? {};
    if (tags.participant) {
      await this.log.record([
        {
          messageId: result.messageId,
          participantId: tags.participant,
          kind: tags.kind ?? 'mail',
          ...(tags.session ? { sessionId: tags.session } : {}),
          sentAt: this.clock.now().toISOString(),
          status: 'sent',
        },
      ]);
    }
    return result;
  }
}
