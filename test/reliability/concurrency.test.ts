import { describe, expect, it } from 'vitest';
import { apiUrl, futureSession, importSessions, postJson, registrationBody } from '../support/api.ts';

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
});
