import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, mails, postJson, registrationBody, runSchedule, sesFront } from '../support/api.ts';

const RATE = 20;
const PEOPLE = 1000;

async function localFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${apiUrl()}/_local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  expect(response.status).toBe(200);
  return (await response.json()) as { counters: { dynamo: { injectedConflicts: number } } };
}

describe('at the account’s real limits', () => {
  it('confirms a registration rush and sends a large notice at 20 mails/s, losing and doubling nothing, never above the rate', async () => {
    // Prepare: an account at a new SES account's order of rate, and 2 % of DynamoDB writes refused as conflicts.
    const session = futureSession({ capacity: PEOPLE * 2 });
    await importSessions(session);
    const account = await sesFront('/_front/account');
    await sesFront('/_front/account', { maxSendRate: RATE });
    const before = await localFaults({ dynamoConflictShare: 0.02 });
    try {
      // Act: everyone registers at once; then organisers move the session and the notice goes out.
      const responses = await Promise.all(Array.from({ length: PEOPLE }, () => {
        const body = registrationBody([session.sessionId], { language: 'en' });
        return postJson('/registrations', body).then((response) => ({ email: body.email, status: response.status }));
      }));
      await drain();
      const start = Date.parse(session.startsAt);
      const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
      await adminClient(apiUrl())('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
      const run = await runSchedule('notices', new Date(Date.now() + 11 * 60_000));
      const during = await localFaults({});
      const stats = await sesFront('/_front/stats');
      const dead = (await (await fetch(`${apiUrl()}/_local/dlq`)).json()) as { queues: unknown[]; events: unknown[]; streams: unknown[] };

      // Assess
      const all = await mails();
      const per = (subject: string) => {
        const counts = new Map<string, number>();
        for (const mail of all) if (mail.subject.includes(subject)) for (const to of mail.destination.to) counts.set(to, (counts.get(to) ?? 0) + 1);
        return responses.map((r) => counts.get(r.email) ?? 0);
      };
      const confirmations = per('Registration received');
      const notices = per('Session moved');
      const lost = [...confirmations, ...notices].filter((n) => n === 0).length;
      const duplicates = [...confirmations, ...notices].filter((n) => n > 1).length;
      const serverErrors = responses.filter((r) => r.status >= 500).length;
      const conflicts = during.counters.dynamo.injectedConflicts - before.counters.dynamo.injectedConflicts;
      console.log(
        `limits: ses ${RATE}/s, registrations ${PEOPLE} + notice ${PEOPLE} -> confirmations ${confirmations.filter((n) => n === 1).length}/${PEOPLE}, notices ${notices.filter((n) => n === 1).length}/${PEOPLE}, lost ${lost}, duplicates ${duplicates}, peak rate ${stats.peakRate}/s ≤ ${RATE}/s; conflicts injected ${conflicts} -> 5xx ${serverErrors}; dead letters ${dead.queues.length + dead.events.length + dead.streams.length}; run ${JSON.stringify(run.body.result)}`,
      );
      expect(serverErrors).toBe(0);
      expect(responses.every((r) => r.status === 201)).toBe(true);
      expect(conflicts).toBeGreaterThan(0);
      expect(lost).toBe(0);
      expect(duplicates).toBe(0);
      expect(Number(stats.peakRate)).toBeLessThanOrEqual(RATE);
      expect([...dead.queues, ...dead.events, ...dead.streams]).toEqual([]);
    } finally {
      await localFaults({});
      await sesFront('/_front/account', account);
    }
  });
});
