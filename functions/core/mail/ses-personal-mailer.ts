import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { BulkEntryResult, BulkMailer, BulkSend } from './bulk-mailer.ts';
import { fillTemplate } from './bulk-mailer.ts';
import { SesMailer } from './ses-mailer.ts';
import type { Sender } from './mailer.ts';

/**
 * A refusal of one SendEmail, as SendBulkEmail would report it for its entry. Refusals that say nothing
 * about the recipient (`ACCOUNT_…`: the rate, the daily quota, sending paused or suspended, a missing
 * configuration set, or a fault of Convene's own before SES answered) stay retryable and never count
 * towards giving a recipient up (fan-out.ts); only SES's verdict on the message itself is final.
 */
export function entryRefusal(error: unknown): BulkEntryResult & { ok: false } {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? '';
  const message = `${e?.message ?? String(error)}`;
  if (!e?.$metadata) return { ok: false, retryable: true, error: `ACCOUNT_INTERNAL: not sent (${name || 'Error'}: ${message})` };
  if (name === 'TooManyRequestsException' || e.$metadata.httpStatusCode === 429) return { ok: false, retryable: true, error: `ACCOUNT_THROTTLED: ${message}` };
  if (name === 'LimitExceededException') return { ok: false, retryable: true, error: `ACCOUNT_DAILY_QUOTA_EXCEEDED: ${message}` };
  if (name === 'SendingPausedException' || name === 'AccountSuspendedException') return { ok: false, retryable: true, error: `ACCOUNT_SENDING_PAUSED: ${message}` };
  if (name === 'NotFoundException') return { ok: false, retryable: true, error: `ACCOUNT_CONFIGURATION: ${message}` };
  if (name === 'MessageRejected' || name === 'MailFromDomainNotVerifiedException' || name === 'BadRequestException') return { ok: false, retryable: false, error: `MESSAGE_REJECTED: ${message}` };
  return { ok: false, retryable: true, error: `TRANSIENT_FAILURE: ${message}` };
}

/**
 * The bulk port over one SendEmail per destination, for jobs whose mail differs per destination beyond
 * template data: a notice's calendar invitation names its recipient as ATTENDEE (RFC 5546), and an
 * invitation must be the message's text/calendar part, which SendBulkEmail's templates cannot carry. A
 * "call" of up to 50 destinations is one paced reservation (fan-out takes the rate for all of them
 * first), sent as concurrent SendEmails; each answer becomes that entry's status in SendBulkEmail's terms,
 * so fan-out retries, resumes and records failures the same way. The client does not retry: fan-out does.
 */
export class SesPersonalMailer implements BulkMailer {
  readonly maxEntries = 50;
  private readonly mailer: SesMailer;

  constructor(client: SESv2Client, sender: Sender, configurationSet?: string) {
    this.mailer = new SesMailer(client, sender, configurationSet);
  }

  async sendBulk(send: BulkSend): Promise<BulkEntryResult[]> {
    if (send.entries.length > this.maxEntries) throw new Error(`At most ${this.maxEntries} destinations per call`);
    if (!send.lang) throw new Error('A personal send needs the language of its content');
    const lang = send.lang;
    return Promise.all(
      send.entries.map(async (entry): Promise<BulkEntryResult> => {
        const fill = (template: string) => fillTemplate(template, entry.data);
        try {
          const { messageId } = await this.mailer.send({
            to: entry.to,
            lang,
            subject: fill(send.template.subject),
            html: fill(send.template.html),
            text: fill(send.template.text),
            ...(entry.invite && send.invitation ? { calendar: [send.invitation({ email: entry.to, name: entry.data.name ?? '' })] } : {}),
            ...(send.attachments ? { attachments: send.attachments } : {}),
            headers: [...(send.headers ?? []), ...(entry.headers ?? [])],
            tags: { ...send.tags, ...entry.tags },
          });
          return { ok: true, messageId };
        } catch (error) {
          return entryRefusal(error);
        }
      }),
    );
  }
}

/** One attempt per SendEmail: fan-out's back-off and rounds are the retry policy. */
export const personalSesClient = new SESv2Client({ maxAttempts: 1 });
