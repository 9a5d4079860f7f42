import { SendBulkEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { BulkEntryResult, BulkMailer, BulkSend } from './bulk-mailer.ts';
import { encodeWords } from 'nodemailer/lib/mime-funcs';
import { headerSafe, senderName, sesTags, type Sender } from './mailer.ts';

/** Per-entry statuses SES documents as transient: worth another try after a pause. */
const RETRYABLE = new Set(['TRANSIENT_FAILURE', 'FAILED', 'ACCOUNT_THROTTLED', 'ACCOUNT_DAILY_QUOTA_EXCEEDED', 'ACCOUNT_SENDING_PAUSED']);

/** SendBulkEmail with inline template content, attachments on the template, headers per destination. */
export class SesBulkMailer implements BulkMailer {
  readonly maxEntries = 50;

  constructor(
    private readonly client: SESv2Client,
    private readonly sender: Sender,
    private readonly configurationSet?: string,
  ) {}

  async sendBulk(send: BulkSend): Promise<BulkEntryResult[]> {
    if (send.entries.length > this.maxEntries) throw new Error(`At most ${this.maxEntries} destinations per SendBulkEmail`);
    // A template's attachments are the same for every destination: an invitation naming its ATTENDEE cannot be one.
    if (send.invitation && send.entries.some((entry) => entry.invite)) throw new Error('SendBulkEmail cannot carry a per-destination invitation: use SesPersonalMailer');
    const name = send.lang ? senderName(this.sender, send.lang) : undefined;
    const out = await this.client.send(
      new SendBulkEmailCommand({
        // SES takes a display name in FromEmailAddress, RFC 2047-encoded where it is not ASCII.
        FromEmailAddress: name ? `${/^[\x20-\x7e]*$/.test(name) ? JSON.stringify(name) : encodeWords(name, 'B', 52, true)} <${this.sender.address}>` : this.sender.address,
        ConfigurationSetName: this.configurationSet,
        DefaultContent: {
          Template: {
            TemplateContent: { Subject: headerSafe(send.template.subject), Html: send.template.html, Text: send.template.text },
            TemplateData: '{}',
            Headers: send.headers?.map((h) => ({ Name: h.name, Value: headerSafe(h.value) })),
            Attachments: send.attachments?.map((a) => ({
              FileName: a.filename,
              ContentType: a.contentType,
              ContentDisposition: 'ATTACHMENT',
              RawContent: Buffer.from(a.content, 'utf8'),
            })),
          },
        },
        BulkEmailEntries: send.entries.map((entry) => ({
          Destination: { ToAddresses: [entry.to] },
          ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(entry.data) } },
          ...(entry.headers ? { ReplacementHeaders: entry.headers.map((h) => ({ Name: h.name, Value: headerSafe(h.value) })) } : {}),
          // SES does not document whether an entry's tags join or replace the default tags, so each entry
          // carries the whole set (the call's and its own) and no default tags are sent.
          ReplacementTags: sesTags({ ...send.tags, ...entry.tags }),
        })),
      }),
    );
    const results = out.BulkEmailEntryResults ?? [];
    return send.entries.map((_, index) => {
      const result = results[index];
      if (result?.Status === 'SUCCESS' && result.MessageId) return { ok: true, messageId: result.MessageId };
      const status = result?.Status ?? 'MISSING';
      return { ok: false, retryable: RETRYABLE.has(status), error: `${status}: ${result?.Error ?? ''}` };
    });
  }
}
