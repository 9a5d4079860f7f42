import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { headerSafe, sesTags, type Mailer, type OutgoingMail } from './mailer.ts';

/** SES tag values allow only letters, digits, '_', '-', '.', '@' (and at most 256 characters). */

/** Sends through SES v2 SendEmail (simple content with attachments and headers) and a configuration set. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [mail.to] },
        ConfigurationSetName: this.configurationSet,
        EmailTags: sesTags(mail.tags ?? {}),
        Content: {
          Simple: {
            Subject: { Data: headerSafe(mail.subject), Charset: 'UTF-8' },
            Body: { Html: { Data: mail.html, Charset: 'UTF-8' }, Text: { Data: mail.text, Charset: 'UTF-8' } },
            Headers: mail.headers?.map((h) => ({ Name: h.name, Value: headerSafe(h.value) })),
            Attachments: mail.attachments?.map((a) => ({
              FileName: a.filename,
              ContentType: a.contentType,
              ContentDisposition: 'ATTACHMENT',
              RawContent: Buffer.from(a.content, 'utf8'),
            })),
          },
        },
      }),
    );
    if (!out.MessageId) throw new Error('SES returned no MessageId');
    return { messageId: out.MessageId };
  }
}

export const sesClient = new SESv2Client({});

/**
 * For the queue consumers' mail (answers, offers, status changes): the SDK's adaptive retry mode, whose
 * client-side rate limiter slows this instance down when SES answers "Maximum sending rate exceeded",
 * and more attempts, so a rush of registrations waits for the account's rate inside the invocation
 * instead of failing records back to the queue. (The HTTP paths keep the standard client: a visitor
 * should not wait on it.)
 */
export const queuedSesClient = new SESv2Client({ retryMode: 'adaptive', maxAttempts: 8 });
