import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { apiUrl, drain, futureSession, importSessions, invitationMethod, mails, postJson, registrationBody, sesFront } from '../support/api.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..', '..');

/** `npm run admin -- <args> --json` against this suite's runtime, as an operator would run it. */
async function admin(...args: string[]): Promise<{ code: number; out: unknown }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'infra/cli/admin.ts', ...args, '--json', '--api', apiUrl()], { cwd: root, timeout: 300_000 });
    return { code: 0, out: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, out: failed.stdout ? JSON.parse(failed.stdout) : undefined };
  }
}

type Listed = Array<{ kind: string; queue: string; messages: number; latestError?: string }>;

describe('dead letters and redrive', () => {
  it('lists a mail that failed every receive, and delivers it once after the cause is fixed', async () => {
    const session = futureSession();
    await importSessions(session);
    const account = await sesFront('/_front/account');
    const body = registrationBody([session.sessionId], { language: 'en' });
    try {
      // The cause: an account in the SES sandbox refuses every unverified recipient (MessageRejected).
      await sesFront('/_front/account', { sandbox: true, verified: [] });
      expect((await postJson('/registrations', body)).status).toBe(201);
      const deadline = Date.now() + 90_000;
      let listed: Listed = [];
      while (Date.now() < deadline) {
        listed = (await admin('dead-letters')).out as Listed;
        if (listed.some((q) => q.queue === 'registration-mail')) break;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const dead = listed.find((q) => q.queue === 'registration-mail');
      expect(dead).toMatchObject({ kind: 'consumer-queue', messages: 1 });
      // As with SQS, the dead letter holds the message, not the error: a partial batch response names only the record.
      expect(dead!.latestError).toBe('reported as a batch item failure');
      expect(await mails(body.email)).toEqual([]);
    } finally {
      await sesFront('/_front/account', account);
    }

    // Fixed: the redrive moves the record back to its queue, and the consumer sends it, once.
    const redriven = await admin('redrive');
    expect(redriven.code).toBe(0);
    expect(redriven.out).toEqual([{ kind: 'consumer-queue', queue: 'registration-mail', redriven: 1, left: 0 }]);
    await drain();
    const received = await mails(body.email);
    expect(received.map((mail) => mail.subject)).toHaveLength(1);
    expect(await invitationMethod(received[0]!)).toBe('REQUEST');
    expect(await admin('dead-letters')).toEqual({ code: 0, out: [] });
  });
});
