import { promises as dns } from 'node:dns';
import { parseArgs } from 'node:util';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetAccountCommand, GetEmailIdentityCommand, NotFoundException, SESv2Client } from '@aws-sdk/client-sesv2';
import { BULK_DAILY_SHARE, BULK_SHARE } from '../../functions/delivery/send-pace.ts';
import { queues } from '../topology.ts';

/** What the target account has, read through the SDK (SES v2 and Lambda). */
export type AccountFacts = {
  ses: { productionAccess: boolean; sendingEnabled: boolean; enforcement: string; maxSendRate: number; max24HourSend: number };
  identity: { name: string; found: false } | { name: string; found: true; verified: boolean; dkim: string; mailFrom?: { domain: string; status: string } };
  /** The `_dmarc` TXT record of the sending domain, if it publishes one. */
  dmarc?: string;
  lambda: { concurrentExecutions: number; unreservedConcurrentExecutions: number };
};

/** What the forum needs of it: its largest notice, how soon it must be out, its busiest day. */
export type ForumNeeds = { noticeRecipients: number; noticeWithinMinutes: number; mailsPerDay: number };

export type Finding = { ok: boolean; item: string; detail: string; todo?: string };

/**
 * Concurrent executions Convene can use at its busiest: every consumer queue at its maximum concurrency,
 * both bulk jobs, the other schedules, and the HTTP functions through an opening minute (a cold start
 * per 10 requests a second at 83 registrations a second, with margin).
 */
export const CONCURRENCY_NEEDED = queues.reduce((sum, q) => sum + q.maxConcurrency, 0) + 2 + 3 + 50;

/**
 * What must be done before the forum, from the account as it is: every finding says what it saw, and
 * what to do when it falls short.
 */
export function assessAccount(facts: AccountFacts, needs: ForumNeeds): Finding[] {
  const rateNeeded = Math.ceil(needs.noticeRecipients / (needs.noticeWithinMinutes * 60) / BULK_SHARE);
  const findings: Finding[] = [
    {
      ok: facts.ses.productionAccess,
      item: 'SES production access',
      detail: facts.ses.productionAccess ? 'granted' : 'the account is in the SES sandbox: mail reaches verified addresses only',
      todo: 'Request production access (SES console, Account dashboard, or aws sesv2 put-account-details --production-access-enabled …); AWS answers within a day.',
    },
    {
      ok: facts.ses.sendingEnabled && facts.ses.enforcement === 'HEALTHY',
      item: 'SES sending enabled',
      detail: `sending ${facts.ses.sendingEnabled ? 'enabled' : 'paused'}, enforcement ${facts.ses.enforcement}`,
      todo: 'Resolve the review in the SES console (Reputation metrics) before the forum.',
    },
    {
      ok: facts.ses.maxSendRate >= rateNeeded,
      item: 'SES sending rate',
      detail: `${facts.ses.maxSendRate}/s; a notice to ${needs.noticeRecipients} within ${needs.noticeWithinMinutes} min needs ${rateNeeded}/s (bulk mail takes ${Math.round(BULK_SHARE * 100)} % of the rate)`,
      todo: `Ask for a sending rate of at least ${rateNeeded}/s (Service Quotas, "Sending rate") a few weeks before the final week.`,
    },
    {
      // Bulk mail pauses at BULK_DAILY_SHARE of the quota, keeping the rest for confirmations.
      ok: facts.ses.max24HourSend * BULK_DAILY_SHARE >= needs.mailsPerDay,
      item: 'SES daily quota',
      detail: `${facts.ses.max24HourSend} in 24 h (bulk mail pauses at ${Math.round(BULK_DAILY_SHARE * 100)} %); the busiest day needs ${needs.mailsPerDay}`,
      todo: `Ask for a 24-hour quota of at least ${Math.ceil(needs.mailsPerDay / BULK_DAILY_SHARE)} (Service Quotas, "Sending quota").`,
    },
    facts.identity.found
      ? {
          // An address identity is not DKIM-signed in its own name: its mail fails DMARC where the domain says p=reject.
          ok: facts.identity.verified && facts.identity.dkim === 'SUCCESS' && facts.identity.mailFrom?.status === 'SUCCESS',
          item: `SES identity ${facts.identity.name}`,
          detail: `verified for sending: ${facts.identity.verified ? 'yes' : 'no'}, DKIM ${facts.identity.dkim}, MAIL FROM ${facts.identity.mailFrom ? `${facts.identity.mailFrom.domain} ${facts.identity.mailFrom.status}` : 'none (SPF then aligns with amazonses.com, not the domain)'}`,
          todo: 'Deploy with -c convene:domainName and -c convene:hostedZoneId (the DKIM and MAIL FROM records go to the zone), then wait for SES to verify them.',
        }
      : {
          ok: false,
          item: `SES identity ${facts.identity.name}`,
          detail: 'not in this account and region',
          todo: 'Deploy the stack (it creates the identity), or check the account and region.',
        },
    {
      ok: /^v=DMARC1\b/i.test(facts.dmarc ?? ''),
      item: 'DMARC record',
      detail: facts.dmarc ? `_dmarc.${sendingDomain(facts.identity.name)}: ${facts.dmarc}` : `no _dmarc.${sendingDomain(facts.identity.name)} TXT record`,
      todo: `Publish _dmarc.${sendingDomain(facts.identity.name)} TXT "v=DMARC1; p=none; rua=mailto:…" (Gmail and Yahoo require one from bulk senders), then tighten it to p=quarantine.`,
    },
    {
      ok: facts.lambda.concurrentExecutions >= CONCURRENCY_NEEDED,
      item: 'Lambda concurrency quota',
      detail: `${facts.lambda.concurrentExecutions} concurrent executions (${facts.lambda.unreservedConcurrentExecutions} unreserved); Convene can use ${CONCURRENCY_NEEDED} at its busiest`,
      todo: `Ask for a "Concurrent executions" quota of at least ${Math.max(1000, CONCURRENCY_NEEDED)} (Service Quotas, AWS Lambda); new accounts may start at 10.`,
    },
  ];
  return findings;
}

/** The domain mail from an identity (a domain, or an address) is sent from. */
const sendingDomain = (identity: string) => identity.split('@').pop()!.toLowerCase();

export type TxtResolver = (name: string) => Promise<string[][]>;

/**
 * Reads the facts through the SDK, from the endpoints the environment names (AWS, or the local runtime),
 * and the domain's DMARC record from DNS.
 */
export async function readAccountFacts(
  identity: string,
  clients = { ses: new SESv2Client({}), lambda: new LambdaClient({}) },
  resolveTxt: TxtResolver = (name) => dns.resolveTxt(name),
): Promise<AccountFacts> {
  const dmarc = await resolveTxt(`_dmarc.${sendingDomain(identity)}`).then(
    (records) => records.map((chunks) => chunks.join('')).find((record) => /^v=DMARC1\b/i.test(record)),
    () => undefined,
  );
  const account = await clients.ses.send(new GetAccountCommand({}));
  const settings = await clients.lambda.send(new GetAccountSettingsCommand({}));
  let found: AccountFacts['identity'];
  try {
    const answer = await clients.ses.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
    found = {
      name: identity,
      found: true,
      verified: answer.VerifiedForSendingStatus === true,
      dkim: answer.DkimAttributes?.Status ?? 'NOT_STARTED',
      ...(answer.MailFromAttributes?.MailFromDomain ? { mailFrom: { domain: answer.MailFromAttributes.MailFromDomain, status: answer.MailFromAttributes.MailFromDomainStatus ?? 'PENDING' } } : {}),
    };
  } catch (error) {
    if (!(error instanceof NotFoundException)) throw error;
    found = { name: identity, found: false };
  }
  return {
    ses: {
      productionAccess: account.ProductionAccessEnabled === true,
      sendingEnabled: account.SendingEnabled === true,
      enforcement: account.EnforcementStatus ?? 'UNKNOWN',
      maxSendRate: account.SendQuota?.MaxSendRate ?? 0,
      max24HourSend: account.SendQuota?.Max24HourSend ?? 0,
    },
    identity: found,
    ...(dmarc ? { dmarc } : {}),
    lambda: {
      concurrentExecutions: settings.AccountLimit?.ConcurrentExecutions ?? 0,
      unreservedConcurrentExecutions: settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0,
    },
  };
}

export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.ok ? '✓' : '✗'} ${f.item}: ${f.detail}${f.ok || !f.todo ? '' : `\n    → ${f.todo}`}`).join('\n');
}

const usage = `Usage: npm run deploy:check -- --identity <domain or sender address> [--region <region>]
       [--notice-recipients 10000] [--notice-within-minutes 10] [--mails-per-day 50000]

Reads the target account (SES production access, sending rate and quota, the sender identity and its
DKIM, the Lambda concurrency quota) with the credentials in the environment, and says what must be done
before the forum. Exits 1 while something falls short.`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      identity: { type: 'string' },
      region: { type: 'string' },
      'notice-recipients': { type: 'string', default: '10000' },
      'notice-within-minutes': { type: 'string', default: '10' },
      'mails-per-day': { type: 'string', default: '50000' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.identity) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const needs = { noticeRecipients: Number(values['notice-recipients']), noticeWithinMinutes: Number(values['notice-within-minutes']), mailsPerDay: Number(values['mails-per-day']) };
  if (!Object.values(needs).every((n) => Number.isFinite(n) && n > 0)) {
    console.error('--notice-recipients, --notice-within-minutes and --mails-per-day must be positive numbers');
    return 2;
  }
  const region = values.region ? { region: values.region } : {};
  const findings = assessAccount(await readAccountFacts(values.identity, { ses: new SESv2Client(region), lambda: new LambdaClient(region) }), needs);
  console.log(formatFindings(findings));
  const short = findings.filter((f) => !f.ok).length;
  console.log(short === 0 ? '\nReady for the forum.' : `\n${short} thing(s) to do before the forum.`);
  return short === 0 ? 0 : 1;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
