import { LambdaClient } from '@aws-sdk/client-lambda';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { inject, describe, expect, it } from 'vitest';
import { assessAccount, CONCURRENCY_NEEDED, formatFindings, readAccountFacts, type TxtResolver } from '../../infra/cli/deploy-check.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/settings.ts';
import { inboxUrl, sesFront } from '../support/api.ts';

/** `npm run deploy:check` read through the SDK against the local runtime's SES account and Lambda settings. */
const clients = () => ({
  ses: new SESv2Client({ endpoint: inboxUrl(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  lambda: new LambdaClient({ endpoint: inject('awsUrl'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
});
/** DNS is no part of the local runtime: the forum's domain publishes DMARC once `published` holds it. */
const published = new Map<string, string>();
const dnsStandIn: TxtResolver = async (name) => {
  const record = published.get(name);
  if (!record) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return [[record]];
};
const facts = (identity: string) => readAccountFacts(identity, clients(), dnsStandIn);
const needs = { noticeRecipients: 10_000, noticeWithinMinutes: 10, mailsPerDay: 50_000 };
const byItem = (findings: ReturnType<typeof assessAccount>) => Object.fromEntries(findings.map((f) => [f.item.replace(/ identity .*/, ' identity'), f.ok]));

describe('npm run deploy:check', () => {
  it('says what a new account lacks (sandbox, 14 mails/s, 200 a day, no identity) and nothing once it has it all', async () => {
    const before = await sesFront('/_front/account');
    try {
      // Prepare: a new SES account; the forum's domain not verified in it.
      await sesFront('/_front/account', { sandbox: true, maxSendRate: 14, max24HourSend: 200, verified: ['someone@example.org'] });
      // Act
      const fresh = assessAccount(await facts('forum.example.org'), needs);
      // Assess
      console.log(`deploy:check on a new account:\n${formatFindings(fresh)}`);
      expect(byItem(fresh)).toEqual({ 'SES production access': false, 'SES sending enabled': true, 'SES sending rate': false, 'SES daily quota': false, 'SES identity': false, 'DMARC record': false, 'Lambda concurrency quota': true });
      for (const finding of fresh.filter((f) => !f.ok)) expect(finding.todo, finding.item).toBeTruthy();
      expect(fresh.find((f) => f.item === 'SES sending rate')?.detail).toContain('needs 24/s');

      // An address identity is verified but not DKIM-signed for its domain: still short.
      await sesFront('/_front/account', { sandbox: false, maxSendRate: 50, max24HourSend: 100_000, verified: ['forum@example.org'] });
      expect(byItem(assessAccount(await facts('forum@example.org'), needs))['SES identity']).toBe(false);

      // Production access, a raised rate and quota, the domain verified with DKIM and MAIL FROM, DMARC published.
      published.set('_dmarc.forum.example.org', 'v=DMARC1; p=none; rua=mailto:dmarc@forum.example.org');
      await sesFront('/_front/account', { sandbox: false, maxSendRate: 50, max24HourSend: 100_000, verified: ['forum.example.org'] });
      const ready = assessAccount(await facts('forum.example.org'), needs);
      expect(ready.filter((f) => !f.ok)).toEqual([]);
      expect(ready.find((f) => f.item === 'Lambda concurrency quota')?.detail).toContain(`Convene can use ${CONCURRENCY_NEEDED}`);
    } finally {
      await sesFront('/_front/account', before);
    }
  });
});
