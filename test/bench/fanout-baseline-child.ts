/**
 * The bare loop of the fan-out benchmark, in a fresh process: reads a prepared plan (per language the
 * template, attachment and destinations, exactly as Convene's fan-out builds them) and sends the same
 * SendBulkEmail calls, one after another, with a plain SESv2Client to the same SES front. Nothing else.
 * Arg: the plan file. Prints its result line.
 */
import { readFileSync } from 'node:fs';
import { SendBulkEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/settings.ts';
import { emitResult } from './support/child.ts';
import { MAIL_FROM, urls } from './support/config.ts';
import type { BulkPlan } from './support/fanout-plan.ts';

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BulkPlan;
const client = new SESv2Client({ endpoint: urls.ses, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

let calls = 0;
let failed = 0;
const started = performance.now();
for (const group of plan.groups) {
  for (let start = 0; start < group.entries.length; start += 50) {
    calls++;
    const out = await client.send(
      new SendBulkEmailCommand({
        FromEmailAddress: MAIL_FROM,
        ConfigurationSetName: 'convene',
        DefaultContent: {
          Template: {
            TemplateContent: { Subject: group.template.subject, Html: group.template.html, Text: group.template.text },
            TemplateData: '{}',
            Attachments: group.attachments.map((a) => ({ FileName: a.filename, ContentType: a.contentType, ContentDisposition: 'ATTACHMENT', RawContent: Buffer.from(a.content, 'utf8') })),
          },
        },
        BulkEmailEntries: group.entries.slice(start, start + 50).map((entry) => ({
          Destination: { ToAddresses: [entry.to] },
          ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify(entry.data) } },
          // As SesBulkMailer: every entry carries the call's tags and its own, and no default tags are sent.
          ReplacementTags: Object.entries({ ...group.tags, ...entry.tags }).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_-]/g, '_') })),
        })),
      }),
    );
    failed += (out.BulkEmailEntryResults ?? []).filter((r) => r.Status !== 'SUCCESS').length;
  }
}
const wallMs = performance.now() - started;
emitResult({ wallMs, calls, failed, maxRssMb: process.resourceUsage().maxRSS / 1024 });
