import { describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { keys, programmeIndex } from '../../functions/core/store/keys.ts';
import { testDocumentClient } from '../support/seed.ts';
import { answeredAndMailed, apiUrl, attachmentText, drain, futureSession, importSessions, mailAbout, mails, postJson, registrationBody } from '../support/api.ts';

type Answer = { participantId: string; sessions: Array<{ sessionId: string; status: string; waitlistPosition?: number }>; manageUrl: string };

const tokenOf = (answer: Answer) => new URL(answer.manageUrl).searchParams.get('token')!;

async function register(sessionIds: string[], overrides: Record<string, unknown> = {}) {
  const body = registrationBody(sessionIds, { language: 'en', ...overrides });
  const response = await postJson('/registrations', body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return { email: body.email, answer: (await answeredAndMailed(body.email, response.body)) as unknown as Answer };
}

async function manage(token: string) {
  const response = await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: { accept: 'application/json' } });
  return { status: response.status, body: (await response.json()) as { registrations: Array<{ sessionId: string; status: string; offerExpiresAt?: string }> } };
}

async function runSchedule(name: string, time: Date) {
  const response = await fetch(`${apiUrl()}/_local/schedules/${name}/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ time: time.toISOString() }) });
  expect(response.status).toBe(200);
  return response.json();
}

async function seatsLeft(sessionId: string) {
  const { sessions } = (await (await fetch(`${apiUrl()}/sessions`)).json()) as { sessions: Array<{ sessionId: string; seatsLeft: number }> };
  return sessions.find((s) => s.sessionId === sessionId)?.seatsLeft;
}

describe('capacity and waiting lists', () => {
  it('keeps the programme index out of every seat taken: a registration rewrites the session item, never its index entry', async () => {
    // Prepare: a session as imported, and its keys in the keys-only programme index.
    const session = futureSession({ capacity: 10 });
    await importSessions(session);
    const client = testDocumentClient();
    // Act: what a registration does to the session's counters, with the capacity it consumed per index.
    const out = await client.send(new UpdateCommand({
      TableName: 'convene',
      Key: keys.session(session.sessionId),
      UpdateExpression: 'SET seatsTaken = seatsTaken + :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnConsumedCapacity: 'INDEXES',
    }));
    // Assess: the table item was written, no index entry was (gsi1, which holds registrations, has none of it either).
    expect(out.ConsumedCapacity?.Table?.CapacityUnits).toBeGreaterThan(0);
    expect(out.ConsumedCapacity?.GlobalSecondaryIndexes ?? {}).toEqual({});
    const listed = (await (await fetch(`${apiUrl()}/sessions`)).json()) as { sessions: Array<{ sessionId: string; seatsLeft: number }> };
    expect(listed.sessions.find((s) => s.sessionId === session.sessionId)?.seatsLeft).toBe(9);
    // The control: moving the session (its index key) does write the index entry, and DynamoDB Local says so.
    const moved = await client.send(new UpdateCommand({
      TableName: 'convene',
      Key: keys.session(session.sessionId),
      UpdateExpression: 'SET programmeSk = :later',
      ExpressionAttributeValues: { ':later': programmeIndex.sortKey(new Date(Date.parse(session.startsAt) + 60_000).toISOString(), session.sessionId) },
      ReturnConsumedCapacity: 'INDEXES',
    }));
    expect(moved.ConsumedCapacity?.GlobalSecondaryIndexes?.programme?.CapacityUnits).toBeGreaterThan(0);
  });

  it('gives 60 concurrent registrants for a 20-seat session exactly 20 seats and 40 unique waiting-list positions', async () => {
    // Prepare
    const session = futureSession({ capacity: 20 });
    await importSessions(session);
    // Act
    const responses = await Promise.all(Array.from({ length: 60 }, () => postJson('/registrations', registrationBody([session.sessionId]))));
    // Assess
    expect(responses.map((r) => r.status)).toEqual(Array(60).fill(201));
    const outcomes = responses.map((r) => (r.body as unknown as Answer).sessions[0]!);
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(20);
    const positions = outcomes.filter((o) => o.status === 'waitlisted').map((o) => o.waitlistPosition);
    expect(positions).toHaveLength(40);
    expect(new Set(positions).size).toBe(40);
    expect(await seatsLeft(session.sessionId)).toBe(0);
  });

  it('offers a freed seat to position 1, passes an expired offer to position 2, and confirms an accepted one', async () => {
    // Prepare: one seat, taken; two people waiting.
    const session = futureSession({ capacity: 1, claimWindowHours: 24 });
    await importSessions(session);
    const holder = await register([session.sessionId]);
    const first = await register([session.sessionId]);
    const second = await register([session.sessionId]);
    expect(first.answer.sessions[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(second.answer.sessions[0]).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    await drain();

    // Act 1: the holder cancels.
    const cancel = await postJson('/me/cancel', { token: tokenOf(holder.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    await drain();

    // Assess 1: position 1 is offered the seat, by mail; the holder's calendar entry is cancelled.
    expect(cancel.status).toBe(200);
    const holderMails = await mails(holder.email);
    expect(holderMails.map((m) => m.subject)).toEqual([expect.stringContaining('Registration received'), expect.stringContaining('Cancelled')]);
    expect(attachmentText(holderMails[1]!)).toContain('METHOD:CANCEL');
    expect((await manage(tokenOf(first.answer))).body.registrations[0]).toMatchObject({ status: 'offered' });
    expect((await mails(first.email)).at(-1)!.subject).toContain('A seat is free for you');

    // Act 2: the claim window passes.
    await runSchedule('offers', new Date(Date.now() + 25 * 3_600_000));

    // Assess 2: position 1 is told the offer expired; position 2 now has the offer.
    expect((await manage(tokenOf(first.answer))).body.registrations[0]).toMatchObject({ status: 'expired' });
    expect((await mails(first.email)).at(-1)!.subject).toContain('Offer expired');
    expect((await manage(tokenOf(second.answer))).body.registrations[0]).toMatchObject({ status: 'offered' });

    // Act 3: position 2 accepts.
    const accept = await postJson('/me/offers/accept', { token: tokenOf(second.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    await drain();

    // Assess 3: confirmed, with a calendar invitation; the seat count never went above capacity.
    expect(accept.status).toBe(200);
    expect((await manage(tokenOf(second.answer))).body.registrations[0]).toMatchObject({ status: 'confirmed' });
    const promoted = (await mails(second.email)).at(-1)!;
    expect(promoted.subject).toContain('Confirmed');
    expect(attachmentText(promoted)).toContain('METHOD:REQUEST');
    expect(await seatsLeft(session.sessionId)).toBe(0);
  });

  it('confirms the next in line at once when the claim window is 0', async () => {
    const session = futureSession({ capacity: 1, claimWindowHours: 0 });
    await importSessions(session);
    const holder = await register([session.sessionId]);
    const waiting = await register([session.sessionId]);
    await postJson('/me/cancel', { token: tokenOf(holder.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    await drain();
    expect((await manage(tokenOf(waiting.answer))).body.registrations[0]).toMatchObject({ status: 'confirmed' });
    expect(attachmentText(await mailAbout(waiting.email, 'Confirmed'))).toContain('METHOD:REQUEST');
  });

  it('refuses to accept an offer that has expired', async () => {
    const session = futureSession({ capacity: 1, claimWindowHours: 1 });
    await importSessions(session);
    const holder = await register([session.sessionId]);
    const waiting = await register([session.sessionId]);
    await postJson('/me/cancel', { token: tokenOf(holder.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    await drain();
    await runSchedule('offers', new Date(Date.now() + 2 * 3_600_000));
    const accept = await postJson('/me/offers/accept', { token: tokenOf(waiting.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    expect(accept.status).toBe(409);
  });
});

describe('approval for restricted sessions', () => {
  it('keeps a restricted registration pending until an organiser approves, then confirms it by mail', async () => {
    // Prepare
    const session = futureSession({ capacity: 5, restricted: true, kind: 'ministerial-round-table' });
    await importSessions(session);
    const { email, answer } = await register([session.sessionId]);
    expect(answer.sessions[0]).toEqual({ sessionId: session.sessionId, status: 'pending' });
    await drain();
    // Act
    const call = adminClient(apiUrl());
    const decision = await call('POST', `/admin/registrations/${answer.participantId}/${session.sessionId}/approve`);
    await drain();
    // Assess
    expect(decision.body).toMatchObject({ status: 'confirmed' });
    const received = await mails(email);
    expect(received.map((m) => m.subject)).toEqual([expect.stringContaining('Registration received'), expect.stringContaining('Approved')]);
    expect(attachmentText(received[1]!)).toContain('METHOD:REQUEST');
    expect(await seatsLeft(session.sessionId)).toBe(4);
  });

  it('tells a rejected registrant by mail and takes no seat', async () => {
    const session = futureSession({ capacity: 5, restricted: true });
    await importSessions(session);
    const { email, answer } = await register([session.sessionId]);
    await adminClient(apiUrl())('POST', `/admin/registrations/${answer.participantId}/${session.sessionId}/reject`);
    await drain();
    expect(await mails(email)).toHaveLength(2);
    expect((await mailAbout(email, 'not approved')).attachments).toEqual([]);
    expect(await seatsLeft(session.sessionId)).toBe(5);
  });

  it('refuses approval calls without a valid SigV4 signature', async () => {
    const response = await fetch(`${apiUrl()}/admin/registrations/x/y/approve`, { method: 'POST' });
    expect(response.status).toBe(403);
  });
});

describe('manage links', () => {
  it('refuses a tampered token with 403 and changes nothing', async () => {
    const session = futureSession({ capacity: 3 });
    await importSessions(session);
    const { answer } = await register([session.sessionId]);
    const token = tokenOf(answer);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = `${Buffer.from(JSON.stringify({ p: answer.participantId, x: 4102444800 })).toString('base64url')}.${token.split('.')[1]}`;
    for (const bad of [tampered, forged, 'garbage']) {
      expect((await postJson('/me/cancel', { token: bad, sessionId: session.sessionId }, { accept: 'application/json' })).status).toBe(403);
      expect((await fetch(`${apiUrl()}/me?token=${encodeURIComponent(bad)}`, { headers: { accept: 'application/json' } })).status).toBe(403);
    }
    expect(await seatsLeft(session.sessionId)).toBe(2);
  });

  it('adds sessions to the same participant and reports each status', async () => {
    const a = futureSession({ capacity: 3 });
    const b = futureSession({ capacity: 3 });
    await importSessions(a, b);
    const { answer } = await register([a.sessionId]);
    const added = await postJson('/me/sessions', { token: tokenOf(answer), sessionIds: [b.sessionId] }, { accept: 'application/json' });
    expect(added.status).toBe(200);
    const view = await manage(tokenOf(answer));
    expect(view.body.registrations.map((r) => [r.sessionId, r.status]).sort()).toEqual([[a.sessionId, 'confirmed'], [b.sessionId, 'confirmed']].sort());
  });
});

describe('idempotent submissions', () => {
  it('gives one registration, one mail and the same answer for the same Idempotency-Key', async () => {
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId]);
    const first = await postJson('/registrations', body, { 'idempotency-key': `k-${body.email}` });
    const second = await postJson('/registrations', body, { 'idempotency-key': `k-${body.email}` });
    await drain();
    expect(second.body).toEqual(first.body);
    expect(await mails(body.email)).toHaveLength(1);
    expect(await seatsLeft(session.sessionId)).toBe(99);
  });

  it('gives the same answer to the same email and sessions sent twice without a key', async () => {
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId]);
    const [first, second] = await Promise.all([postJson('/registrations', body), postJson('/registrations', body)]);
    await drain();
    expect(first.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await mails(body.email)).toHaveLength(1);
  });
});
