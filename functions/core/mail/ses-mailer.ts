import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { headerSafe, senderName, sesTags, type Mailer, type OutgoingMail, type Sender } from './mailer.ts';
import { composeMime } from './mime.ts';

/**
 * Sends through SES v2 SendEmail with raw content (the MIME message of mime.ts, so an invitation is the
 * message's text/calendar part) and a configuration set. From is `"<display name>" <address>`, the name
 * RFC 2047-encoded by MailComposer where it is not ASCII.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly sender: Sender,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const raw = await composeMime(
      { ...mail, subject: headerSafe(mail.subject), headers: mail.headers?.map((h) => ({ name: h.name, value: headerSafe(h.value) })) },
      { name: senderName(this.sender, mail.lang), address: this.sender.address },
    );
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.sender.address,
        Destination: { ToAddresses: [mail.to] },
        ConfigurationSetName: this.configurationSet,
        EmailTags: sesTags(mail.tags ?? {}),
        Content: { Raw: { Data: raw } },
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
