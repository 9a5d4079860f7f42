import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, mails, postJson, registrationBody, runSchedule } from '../support/api.ts';

/** Writes the DynamoDB front refused because an in-flight transaction held their item (not injected). */
async function dynamoConflicts(): Promise<number> {
  const state = (await (await fetch(`${apiUrl()}/_local/faults`)).json()) as { counters: { dynamo: { conflicts: number } } };
  return state.counters.dynamo.conflicts;
}

describe('concurrency', () => {
  it('gives 1,000 concurrent registrants for a 100-seat session exactly 100 seats, 900 unique positions and no 5xx', async () => {
    // Prepare
    const session = futureSession({ capacity: 100 });
    await importSessions(session);
    const conflictsBefore = await dynamoConflicts();
    // Act: all at once, through the HTTP API
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 1000 }, () => postJson('/registrations', registrationBody([session.sessionId]))));
    const seconds = (Date.now() - started) / 1000;
    // Assess
    const serverErrors = responses.filter((r) => r.status >= 500).length;
    const outcomes = responses.filter((r) => r.status === 201).map((r) => (r.body as { sessions: Array<{ status: string; waitlistPosition?: number }> }).sessions[0]!);
    const confirmed = outcomes.filter((o) => o.status === 'confirmed').length;
    const positions = outcomes.filter((o) => o.status === 'waitlisted').map((o) => o.waitlistPosition);
    const conflicts = (await dynamoConflicts()) - conflictsBefore;
    const { sessions } = (await (await fetch(`${apiUrl()}/sessions`)).json()) as { sessions: Array<{ sessionId: string; seatsLeft: number }> };
    console.log(
      `concurrency: registrations 1000, seats 100 -> confirmed ${confirmed}, waitlisted ${positions.length}, unique positions ${new Set(positions).size}, 5xx ${serverErrors}, transaction conflicts met ${conflicts} (${seconds.toFixed(1)} s)`,
    );
    expect(serverErrors).toBe(0);
    // The DynamoDB front's concurrency model is on: a rush on one session item does conflict, as in DynamoDB.
    expect(conflicts).toBeGreaterThan(0);
    expect(confirmed).toBe(100);
    expect(positions).toHaveLength(900);
    expect(new Set(positions).size).toBe(900);
    expect(sessions.find((s) => s.sessionId === session.sessionId)?.seatsLeft).toBe(0);
  });

  it('runs one notices run at a time without reserved concurrency: two started together, one mails everyone once, the other finds the lease held', async () => {
    // Prepare: 40 registrants of a session that organisers then move.
    const session = futureSession({ capacity: 100 });
    await importSessions(session);
    const people = await Promise.all(Array.from({ length: 40 }, async () => {
      const body = registrationBody([session.sessionId], { language: 'en' });
      expect((await postJson('/registrations', body)).status).toBe(201);
      return body.email;
    }));
    await drain();
    const start = Date.parse(session.startsAt);
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
    await adminClient(apiUrl())('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    // Act: two runs of the schedule at once (a run that outlasted its interval, and the next one).
    const at = new Date(Date.now() + 11 * 60_000);
    const runs = await Promise.all([runSchedule('notices', at), runSchedule('notices', at)]);
    const after = await runSchedule('notices', at);
    await drain();
    // Assess
    const results = runs.map((run) => run.body.result as Record<string, unknown>);
    expect(results.filter((r) => r.skipped === 'lease-held')).toHaveLength(1);
    expect(results.find((r) => r.skipped === undefined)?.sent).toBe(people.length);
    // The lease was given back: the next run runs (and finds nothing left to send).
    expect((after.body.result as Record<string, unknown>).skipped).toBeUndefined();
    const notices = (await mails()).filter((mail) => mail.subject.includes('Session moved'));
    for (const email of people) expect(notices.filter((mail) => mail.destination.to.includes(email)), email).toHaveLength(1);
  });
});
