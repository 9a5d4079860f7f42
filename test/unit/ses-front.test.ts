import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetAccountCommand, SendBulkEmailCommand, SendEmailCommand, SESv2Client, type Destination } from '@aws-sdk/client-sesv2';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeServer, LOOPBACK } from '../../infra/local/http-server.ts';
import { SendingAccount, startSesFront, type SesAccount } from '../../infra/local/ses-front.ts';
import { startSesLocal } from '../../infra/local/ses-local.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localSettings, sesAccountOf } from '../../infra/local/settings.ts';

// The real emulator and the real front, each on a free port the system picks (loopback only), driven by
// the real SES v2 client: the outcomes are those a handler meets.
let emulator: Server;
let emulatorUrl: string;
let front: Awaited<ReturnType<typeof startSesFront>> | undefined;
let frontUrl: string;

const portOf = (server: Server) => (server.address() as AddressInfo).port;

beforeAll(async () => {
  emulator = await startSesLocal(0);
  emulatorUrl = `http://${LOOPBACK}:${portOf(emulator)}`;
});
afterAll(async () => {
  await closeServer(emulator);
});
beforeEach(async () => {
  await fetch(`${emulatorUrl}/clear-store`, { method: 'POST' });
});
afterEach(async () => {
  if (front) await closeServer(front.server);
  front = undefined;
});

async function startFront(account?: SesAccount) {
  front = await startSesFront(0, portOf(emulator), account);
  frontUrl = `http://${LOOPBACK}:${portOf(front.server)}`;
  return front;
}

const clientOf = (maxAttempts = 1) => new SESv2Client({ endpoint: frontUrl, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts });

const sendTo = (client: SESv2Client, destination: Destination) =>
  client.send(
    new SendEmailCommand({
      FromEmailAddress: 'forum@example.org',
      Destination: destination,
      Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hello there' } } } },
    }),
  );

const sendBulk = (client: SESv2Client, to: string[]) =>
  client.send(
    new SendBulkEmailCommand({
      FromEmailAddress: 'forum@example.org',
      DefaultContent: { Template: { TemplateContent: { Subject: 'Notice {{n}}', Text: 'Notice {{n}}' }, TemplateData: '{}' } },
      BulkEmailEntries: to.map((address, n) => ({
        Destination: { ToAddresses: [address] },
        ReplacementEmailContent: { ReplacementTemplate: { ReplacementTemplateData: JSON.stringify({ n }) } },
      })),
    }),
  );

/** The message ids the emulator holds: what was really sent. */
async function storedIds(): Promise<string[]> {
  const store = (await (await fetch(`${emulatorUrl}/store`)).json()) as { emails: Array<{ messageId: string }> };
  return store.emails.map((email) => email.messageId);
}

async function frontStats(): Promise<Record<string, number>> {
  return (await (await fetch(`${frontUrl}/_front/stats`)).json()) as Record<string, number>;
}

const postJson = (path: string, body: unknown) => fetch(`${frontUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** What the SDK made of a rejected call. */
const failure = (reason: unknown) => reason as { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } };

describe('the SES front plays an SES account', () => {
  it('answers GetAccount with the account\'s quotas, which the SDK parses, and counts recipients in SentLast24Hours', async () => {
    // Prepare
    await startFront({ maxSendRate: 10, max24HourSend: 200, sandbox: false });
    const client = clientOf();
    // Act
    const before = await client.send(new GetAccountCommand({}));
    await sendTo(client, { ToAddresses: ['a@example.org', 'b@example.org'], CcAddresses: ['c@example.org'] });
    const after = await client.send(new GetAccountCommand({}));
    // Assess
    expect(before.SendQuota).toEqual({ MaxSendRate: 10, Max24HourSend: 200, SentLast24Hours: 0 });
    expect(before).toMatchObject({ ProductionAccessEnabled: true, SendingEnabled: true, EnforcementStatus: 'HEALTHY' });
    expect(after.SendQuota?.SentLast24Hours).toBe(3);
    expect((await frontStats()).sentLast24Hours).toBe(3);
  });

  it('takes account changes at runtime from POST /_front/account (partial, validated), and GetAccount shows them', async () => {
    await startFront();
    const client = clientOf();
    // Without an account, GetAccount goes to the emulator as before (which has none configured: a 400).
    await expect(client.send(new GetAccountCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    for (const bad of [{ maxSendRate: 0 }, { maxSendRate: 'fast' }, { sandbox: 'on' }, { unknown: 1 }]) expect((await postJson('/_front/account', bad)).status, JSON.stringify(bad)).toBe(400);
    expect(front!.account()).toBeUndefined();
    const set = await postJson('/_front/account', { maxSendRate: 3 });
    expect(await set.json()).toEqual({ maxSendRate: 3, max24HourSend: 50_000, sandbox: false, verified: [] });
    await postJson('/_front/account', { sandbox: true, verified: ['a@example.org'] });
    const account = await client.send(new GetAccountCommand({}));
    expect(account.SendQuota).toMatchObject({ MaxSendRate: 3, Max24HourSend: 50_000 });
    expect(account.ProductionAccessEnabled).toBe(false);
  });

  it('refuses single sends above the rate with 429 TooManyRequestsException, and never lets a second hold more than the rate', async () => {
    // Prepare
    await startFront({ maxSendRate: 10, max24HourSend: 50_000, sandbox: false });
    const client = clientOf(1);
    // Act: 30 sends at once.
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, n) => sendTo(client, { ToAddresses: [`r${n}@example.org`] })));
    // Assess
    const sent = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => failure(o.reason));
    expect(sent.length).toBeGreaterThanOrEqual(10);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error.name).toBe('TooManyRequestsException');
      expect(error.message).toBe('Maximum sending rate exceeded.');
      expect(error.$metadata.httpStatusCode).toBe(429);
    }
    const stats = await frontStats();
    expect(stats.peakRate).toBeGreaterThan(0);
    expect(stats.peakRate).toBeLessThanOrEqual(10);
    expect(stats.throttled).toBe(refused.length);
    expect((await storedIds()).sort()).toEqual(sent.map((o) => o.value.MessageId!).sort());
  });

  it('gets a throttled send retried by the SDK\'s standard retry', async () => {
    await startFront({ maxSendRate: 1, max24HourSend: 50_000, sandbox: false });
    const client = clientOf(3);
    const outcomes = await Promise.allSettled([sendTo(client, { ToAddresses: ['a@example.org'] }), sendTo(client, { ToAddresses: ['b@example.org'] })]);
    // One of the two was throttled at first: the SDK tried it again, whatever came of it.
    const attempts = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.$metadata.attempts : failure(o.reason).$metadata.attempts) ?? 1);
    expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
    expect((await frontStats()).throttled).toBeGreaterThanOrEqual(1);
  });

  it('counts every To, Cc and Bcc address against the rate', async () => {
    await startFront({ maxSendRate: 5, max24HourSend: 50_000, sandbox: false });
    const client = clientOf(1);
    await sendTo(client, { ToAddresses: ['a@example.org', 'b@example.org'], CcAddresses: ['c@example.org'] });
    await expect(sendTo(client, { ToAddresses: ['d@example.org'], BccAddresses: ['e@example.org', 'f@example.org'] })).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    await sendTo(client, { ToAddresses: ['d@example.org'], BccAddresses: ['e@example.org'] });
    expect(await frontStats()).toMatchObject({ peakRate: 5, throttled: 3, sentLast24Hours: 5 });
  });

  it('sends at most one second\'s worth of a bulk call and answers the rest ACCOUNT_THROTTLED, unsent', async () => {
    // Prepare
    await startFront({ maxSendRate: 10, max24HourSend: 50_000, sandbox: false });
    // Act
    const answer = await sendBulk(clientOf(1), Array.from({ length: 25 }, (_, n) => `r${n}@example.org`));
    // Assess
    const results = answer.BulkEmailEntryResults ?? [];
    expect(results).toHaveLength(25);
    const successes = results.filter((r) => r.Status === 'SUCCESS');
    expect(successes.length).toBeLessThanOrEqual(10);
    expect(successes.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.Status !== 'SUCCESS').map((r) => r.Status)).toEqual(Array(25 - successes.length).fill('ACCOUNT_THROTTLED'));
    expect((await storedIds()).sort()).toEqual(successes.map((r) => r.MessageId!).sort());
    expect(await frontStats()).toMatchObject({ peakRate: successes.length, throttled: 25 - successes.length, bulkEntries: 25 });
  });

  it('refuses past the 24-hour quota: SendEmail with LimitExceededException, bulk entries ACCOUNT_DAILY_QUOTA_EXCEEDED', async () => {
    // Prepare
    await startFront({ maxSendRate: 100, max24HourSend: 3, sandbox: false });
    const client = clientOf(1);
    // Act and assess
    await sendTo(client, { ToAddresses: ['a@example.org', 'b@example.org'] });
    const over = await sendTo(client, { ToAddresses: ['c@example.org', 'd@example.org'] }).catch(failure);
    expect(over).toMatchObject({ name: 'LimitExceededException', message: 'Daily message quota exceeded.', $metadata: { httpStatusCode: 400 } });
    await sendTo(client, { ToAddresses: ['c@example.org'] });
    const bulk = await sendBulk(client, ['e@example.org', 'f@example.org']);
    expect(bulk.BulkEmailEntryResults?.map((r) => r.Status)).toEqual(['ACCOUNT_DAILY_QUOTA_EXCEEDED', 'ACCOUNT_DAILY_QUOTA_EXCEEDED']);
    expect((await client.send(new GetAccountCommand({}))).SendQuota?.SentLast24Hours).toBe(3);
    expect(await storedIds()).toHaveLength(2);
    expect(await frontStats()).toMatchObject({ quotaRefused: 4, sentLast24Hours: 3 });
  });

  it('accepts in the sandbox only verified recipients and the mailbox simulator, refusing others as SES does', async () => {
    // Prepare
    await startFront({ maxSendRate: 100, max24HourSend: 200, sandbox: true, verified: ['reader@example.org', 'example.net'] });
    const client = clientOf(1);
    // Act and assess
    await sendTo(client, { ToAddresses: ['Reader@Example.org'] });
    await sendTo(client, { ToAddresses: ['someone@example.net', 'success@simulator.amazonses.com'] });
    const rejected = await sendTo(client, { ToAddresses: ['reader@example.org', 'x@example.com'], CcAddresses: ['"Why" <y@example.com>'] }).catch(failure);
    expect(rejected).toMatchObject({
      name: 'MessageRejected',
      message: 'Email address is not verified. The following identities failed the check in region EU-CENTRAL-1: x@example.com, y@example.com',
      $metadata: { httpStatusCode: 400 },
    });
    const bulk = await sendBulk(client, ['reader@example.org', 'x@example.com']);
    expect(bulk.BulkEmailEntryResults?.map((r) => r.Status)).toEqual(['SUCCESS', 'MESSAGE_REJECTED']);
    expect(await storedIds()).toHaveLength(3);
    expect(await frontStats()).toMatchObject({ sandboxRefused: 4, sentLast24Hours: 4 });
    // Out of the sandbox, anyone.
    await postJson('/_front/account', { sandbox: false });
    await sendTo(client, { ToAddresses: ['x@example.com'] });
  });

  it('keeps injecting faults, before the account is asked', async () => {
    await startFront({ maxSendRate: 100, max24HourSend: 200, sandbox: false });
    const client = clientOf(1);
    await postJson('/_front/faults', { throttleShare: 1 });
    await expect(sendTo(client, { ToAddresses: ['a@example.org'] })).rejects.toMatchObject({ name: 'TooManyRequestsException', message: 'injected TooManyRequestsException' });
    await postJson('/_front/faults', { failEntryShare: 1 });
    expect((await sendBulk(client, ['a@example.org'])).BulkEmailEntryResults?.map((r) => r.Status)).toEqual(['TRANSIENT_FAILURE']);
    expect(await frontStats()).toMatchObject({ injectedFaults: 2, throttled: 0, sentLast24Hours: 0 });
  });

  it('sends without limits when given no account, as before', async () => {
    await startFront();
    const client = clientOf(1);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, n) => sendTo(client, { ToAddresses: [`r${n}@example.org`] })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(30);
    expect(await frontStats()).toMatchObject({ throttled: 0, sentLast24Hours: 30 });
  });
});

describe('the account model over time', () => {
  const recipients = (n: number) => Array.from({ length: n }, (_, i) => `r${i}@example.org`);
  const HOUR = 3600 * 1000;

  it('frees the rate as its one-second window slides, never early', () => {
    const account = new SendingAccount({ maxSendRate: 2, max24HourSend: 1000, sandbox: false });
    expect(account.admit(recipients(1), 1_000)).toHaveProperty('grant');
    expect(account.admit(recipients(1), 1_400)).toHaveProperty('grant');
    expect(account.admit(recipients(1), 1_999)).toEqual({ refusal: { reason: 'rate' } });
    expect(account.admit(recipients(1), 2_001)).toHaveProperty('grant');
    expect(account.admit(recipients(1), 2_300)).toEqual({ refusal: { reason: 'rate' } });
    expect(account.peakRate).toBe(2);
  });

  it('lets one mail with more recipients than the rate through an empty window, then holds the account for their time', () => {
    const account = new SendingAccount({ maxSendRate: 2, max24HourSend: 1000, sandbox: false });
    expect(account.admit(recipients(5), 10_000)).toHaveProperty('grant');
    expect(account.admit(recipients(1), 12_000)).toEqual({ refusal: { reason: 'rate' } });
    expect(account.admit(recipients(1), 12_600)).toHaveProperty('grant');
  });

  it('counts the 24-hour quota over a rolling day, and takes back what was not sent', () => {
    const account = new SendingAccount({ maxSendRate: 100, max24HourSend: 3, sandbox: false });
    expect(account.admit(recipients(2), 0)).toHaveProperty('grant');
    expect(account.admit(recipients(1), 12 * HOUR)).toHaveProperty('grant');
    expect(account.admit(recipients(1), 23 * HOUR)).toEqual({ refusal: { reason: 'quota' } });
    expect(account.sentLast24Hours(24 * HOUR - 1000)).toBe(3);
    expect(account.sentLast24Hours(24 * HOUR + 1000)).toBe(1);
    const later = account.admit(recipients(2), 24 * HOUR + 1000);
    expect(account.sentLast24Hours(24 * HOUR + 1000)).toBe(3);
    if (!('grant' in later)) throw new Error('expected the two to fit once the first two had aged out');
    account.release(later.grant);
    expect(account.sentLast24Hours(24 * HOUR + 2000)).toBe(1);
  });

  it('reads the account from the CONVENE_SES_* settings', () => {
    const flags = { faults: false, inMemory: true, fresh: false, seed: false, clockSchedules: false };
    const names = ['CONVENE_SES_MAX_SEND_RATE', 'CONVENE_SES_MAX_24H_SEND', 'CONVENE_SES_SANDBOX', 'CONVENE_SES_VERIFIED'] as const;
    const saved = names.map((name) => process.env[name]);
    try {
      for (const name of names) delete process.env[name];
      expect(sesAccountOf(localSettings(flags))).toEqual({ maxSendRate: 14, max24HourSend: 50_000, sandbox: false, verified: [] });
      Object.assign(process.env, { CONVENE_SES_MAX_SEND_RATE: '2.5', CONVENE_SES_MAX_24H_SEND: '200', CONVENE_SES_SANDBOX: 'On', CONVENE_SES_VERIFIED: 'a@example.org, example.net' });
      expect(sesAccountOf(localSettings(flags))).toEqual({ maxSendRate: 2.5, max24HourSend: 200, sandbox: true, verified: ['a@example.org', 'example.net'] });
      for (const [value, sandbox] of [['0', false], ['false', false], ['1', true], ['true', true], ['off', false]] as const) {
        process.env.CONVENE_SES_SANDBOX = value;
        expect(localSettings(flags).CONVENE_SES_SANDBOX, value).toBe(sandbox);
      }
      process.env.CONVENE_SES_SANDBOX = 'maybe';
      expect(() => localSettings(flags)).toThrow();
    } finally {
      names.forEach((name, i) => (saved[i] === undefined ? delete process.env[name] : (process.env[name] = saved[i])));
    }
  });
});
