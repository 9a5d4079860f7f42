/**
 * The bare loop of the fan-out benchmark, in a fresh process: reads a prepared plan (per language the
 * template and destinations with their data, exactly as Convene's fan-out builds them) and sends the same
 * messages: per recipient one SendEmail with raw content (the template filled, the recipient's
 * invitation, composed by the same MIME code), 50 at a time, with a plain SESv2Client to the same SES
 * front. No pacing, no progress records, no retries. Arg: the plan file. Prints its result line.
 */
import { readFileSync } from 'node:fs';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { fillTemplate } from '../../functions/core/mail/bulk-mailer.ts';
import { sessionInvite } from '../../functions/core/mail/calendar.ts';
import { composeMime } from '../../functions/core/mail/mime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/settings.ts';
import { emitResult } from './support/child.ts';
import { MAIL_FROM, urls } from './support/config.ts';
import type { BulkPlan } from './support/fanout-plan.ts';

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as BulkPlan;
const client = new SESv2Client({ endpoint: urls.ses, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
const at = new Date(plan.at);

let calls = 0;
let failed = 0;
const started = performance.now();
for (const group of plan.groups) {
  for (let start = 0; start < group.entries.length; start += 50) {
    calls++;
    await Promise.all(
      group.entries.slice(start, start + 50).map(async (entry) => {
        const fill = (template: string) => fillTemplate(template, entry.data);
        const raw = await composeMime(
          {
            to: entry.to,
            lang: group.language,
            subject: fill(group.template.subject),
            html: fill(group.template.html),
            text: fill(group.template.text),
            calendar: [sessionInvite({ session: plan.session, lang: group.language, organiser: { name: 'Forum', email: MAIL_FROM }, attendee: { email: entry.to, name: entry.data.name ?? '' }, publicUrl: urls.api, method: 'request', at })],
          },
          { name: 'Forum', address: MAIL_FROM },
        );
        try {
          await client.send(
            new SendEmailCommand({
              FromEmailAddress: MAIL_FROM,
              Destination: { ToAddresses: [entry.to] },
              ConfigurationSetName: 'convene',
              EmailTags: Object.entries({ ...group.tags, ...entry.tags }).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_-]/g, '_') })),
              Content: { Raw: { Data: raw } },
            }),
          );
        } catch {
          failed++;
        }
      }),
    );
  }
}
const wallMs = performance.now() - started;
emitResult({ wallMs, calls, failed, maxRssMb: process.resourceUsage().maxRSS / 1024 });
