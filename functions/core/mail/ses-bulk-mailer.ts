import { SendBulkEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { BulkEntryResult, BulkMailer, BulkSend } from './bulk-mailer.ts';
import { headerSafe, sesTags } from './mailer.ts';

/** Per-entry statuses SES documents as transient: worth another try after a pause. */
const RETRYABLE = new Set(['TRANSIENT_FAILURE', 'FAILED', 'ACCOUNT_THROTTLED', 'ACCOUNT_DAILY_QUOTA_EXCEEDED', 'ACCOUNT_SENDING_PAUSED']);

/** SendBulkEmail with inline template content, attachments on the template, headers per destination. */
export class SesBulkMailer implements BulkMailer {
  readonly maxEntries = 50;

  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async sendBulk(send: BulkSend): Promise<BulkEntryResult[]> {
    if (send.entries.length > this.maxEntries) throw new Error(`At most ${this.maxEntries} destinations per SendBulkEmail`);
    const out = await this.client.send(
      new SendBulkEmailCommand({
        FromEmailAddress: this.from,
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
