import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, mailedLink, mails, postJson, registrationBody, runSchedule, type StoredMail } from '../support/api.ts';

const allFaults = {
  duplicateDeliveries: true,
  reorderMs: 200,
  crashBefore: 0.1,
  crashAfter: 0.1,
  sesThrottleShare: 0.05,
  sesServerErrorShare: 0.05,
  sesFailEntryShare: 0.05,
  dynamoThrottleShare: 0.02,
  dynamoConflictShare: 0.02,
};

async function setFaults(faults: Record<string, unknown>) {
  const response = await fetch(`${apiUrl()}/_local/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  expect(response.status).toBe(200);
  return (await response.json()) as { counters: { crashesBefore: number; crashesAfter: number; dynamoThrottles: number; dynamo: { conflicts: number; injectedConflicts: number }; ses: { injectedFaults: number } } };
}

/** A client that does what a browser or integration should: retry a 5xx with the same Idempotency-Key. */
async function postUntilAccepted(path: string, body: unknown, key?: string) {
  for (let attempt = 1; ; attempt++) {
    const response = await postJson(path, body, { accept: 'application/json', ...(key ? { 'idempotency-key': key } : {}) });
    if (response.status < 500) return response;
    if (attempt >= 10) throw new Error(`${path} kept failing: ${response.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
}

/**
 * Schedules fire again and again in AWS; a failed run is simply followed by the next one. At most 10
 * runs, with a short growing pause between them (as between scheduled firings), never a tight spin.
 */
async function runScheduleUntilDone(name: string, time: Date) {
  let last: Awaited<ReturnType<typeof runSchedule>> | undefined;
  for (let attempt = 1; attempt <= 10; attempt++) {
    last = await runSchedule(name, time);
    if (last.status === 200) return last;
    if (attempt < 10) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
  }
  throw new Error(`schedule ${name} never completed in 10 runs; last answer ${last?.status} ${JSON.stringify(last?.body)}`);
}

const count = (all: StoredMail[], to: string, subject: string) => all.filter((m) => m.destination.to.includes(to) && m.subject.includes(subject)).length;

describe('the full pipeline under all faults at once', () => {
  it('sends every mail that should exist exactly once, and nothing ends in the dead-letter list', async () => {
    // Prepare
    const session = futureSession({ capacity: 60, claimWindowHours: 24 });
    await importSessions(session);
    const before = await setFaults(allFaults);

    // Act: registrations, cancellations with offers, a reschedule notice and reminders, all under faults
    const people = await Promise.all(
      Array.from({ length: 80 }, async (_, index) => {
        const body = registrationBody([session.sessionId], { language: 'en' });
        const response = await postUntilAccepted('/registrations', body, `reliability-${index}-${body.email}`);
        expect(response.status).toBe(201);
        const answer = response.body as { sessions: Array<{ status: string; waitlistPosition?: number }> };
        return { email: body.email, ...answer.sessions[0]! };
      }),
    );
    await drain();
    const confirmed = people.filter((p) => p.status === 'confirmed');
    const waitlisted = people.filter((p) => p.status === 'waitlisted').sort((a, b) => a.waitlistPosition! - b.waitlistPosition!);
    const cancellers = confirmed.slice(0, 10);
    // The manage link reaches each registrant only by mail.
    for (const person of cancellers) await postUntilAccepted('/me/cancel', { token: (await mailedLink(person.email)).token, sessionId: session.sessionId });
    await drain();
    const start = Date.parse(session.startsAt);
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
    await adminClient(apiUrl())('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    await runScheduleUntilDone('notices', new Date(Date.now() + 11 * 60_000));
    await runScheduleUntilDone('reminders', new Date(start + 3_600_000 - 24 * 3_600_000 + 60_000));
    await drain();
    const during = await setFaults({});
    const deadBefore = ((await (await fetch(`${apiUrl()}/_local/dlq`)).json()) as { queues: unknown[]; events: unknown[]; streams: unknown[] });
    const replay = await fetch(`${apiUrl()}/_local/dlq/replay`, { method: 'POST' });
    expect(replay.status).toBe(200);
    await drain();

    // Assess: every mail that should exist exists exactly once
    const all = await mails();
    const stillConfirmed = confirmed.filter((p) => !cancellers.includes(p));
    const offered = waitlisted.slice(0, 10);
    const stillWaiting = waitlisted.slice(10);
    const expectations: Array<[string, Array<{ email: string }>, string]> = [
      ['confirmations', people, 'Registration received'],
      ['cancellations', cancellers, 'Cancelled'],
      ['offers', offered, 'A seat is free'],
      ['notices', [...stillConfirmed, ...offered, ...stillWaiting], 'Session moved'],
      ['reminders', stillConfirmed, 'Reminder'],
    ];
    let duplicates = 0;
    let lost = 0;
    const summary: string[] = [];
    for (const [label, group, subject] of expectations) {
      const counts = group.map((p) => count(all, p.email, subject));
      duplicates += counts.filter((n) => n > 1).length;
      lost += counts.filter((n) => n === 0).length;
      summary.push(`${label} ${counts.filter((n) => n === 1).length}/${group.length}`);
    }
    const crashes = during.counters.crashesBefore + during.counters.crashesAfter - (before.counters.crashesBefore + before.counters.crashesAfter);
    console.log(
      `faults: registrations ${people.length}, duplicate deliveries on, crashes ${crashes}, SES faults ${during.counters.ses.injectedFaults - before.counters.ses.injectedFaults}, DynamoDB throttles ${during.counters.dynamoThrottles - before.counters.dynamoThrottles}, transaction conflicts ${during.counters.dynamo.conflicts + during.counters.dynamo.injectedConflicts - before.counters.dynamo.conflicts - before.counters.dynamo.injectedConflicts} -> ${summary.join(', ')}, duplicates ${duplicates}, lost ${lost}, dead letters ${deadBefore.queues.length + deadBefore.events.length + deadBefore.streams.length}`,
    );
    expect(crashes).toBeGreaterThan(0);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    // What went to the dead-letter list, with its errors, so a failure here says why.
    expect([...deadBefore.queues, ...deadBefore.events, ...deadBefore.streams]).toEqual([]);
  });
});
