import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/core/clock.ts';
import { ConcurrencyConflict, RequestError } from '../../functions/core/errors.ts';
import { registrationRequest, type RegistrationRequest } from '../../functions/intake/registration-request.ts';
import { submitRegistration, type SubmitDeps } from '../../functions/intake/submit-registration.ts';
import { InMemoryRegistrationStore } from '../../functions/intake/in-memory-registration-store.ts';

const NOW = '2026-12-01T08:00:00Z';

function request(overrides: Partial<RegistrationRequest> = {}): RegistrationRequest {
  return registrationRequest.parse({
    name: 'Li Wei',
    email: 'li.wei@example.org',
    organisation: 'Academy of ICT',
    stakeholderType: 'academia',
    country: 'CN',
    language: 'zh',
    timeZone: 'Asia/Shanghai',
    sessionIds: ['open'],
    consent: true,
    ...overrides,
  });
}

describe('submitRegistration', () => {
  let store: InMemoryRegistrationStore;
  let deps: SubmitDeps;

  beforeEach(() => {
    store = new InMemoryRegistrationStore();
    store.addSession({ sessionId: 'open', capacity: 2, startsAt: '2026-12-10T09:00:00Z', endsAt: '2026-12-10T10:00:00Z' });
    store.addSession({ sessionId: 'restricted', capacity: 5, restricted: true, startsAt: '2026-12-10T09:00:00Z', endsAt: '2026-12-10T10:00:00Z' });
    store.addSession({ sessionId: 'ended', startsAt: '2026-11-01T09:00:00Z', endsAt: '2026-11-01T10:00:00Z' });
    deps = {
      store,
      clock: fixedClock(NOW),
      personalDataDays: 90,
      backoff: async () => {},
    };
  });

  it('confirms while seats are left, then waitlists with increasing positions', async () => {
    // Act
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await submitRegistration(deps, request({ email: `p${i}@example.org` }), { lang: 'en' }));
    // Assess
    expect(answers.map((a) => a.sessions[0])).toEqual([
      { sessionId: 'open', status: 'confirmed' },
      { sessionId: 'open', status: 'confirmed' },
      { sessionId: 'open', status: 'waitlisted', waitlistPosition: 1 },
      { sessionId: 'open', status: 'waitlisted', waitlistPosition: 2 },
    ]);
    expect(store.sessions.get('open')).toMatchObject({ seatsTaken: 2, waitlistCount: 2 });
  });

  it('marks restricted sessions pending approval without taking a seat', async () => {
    const answer = await submitRegistration(deps, request({ sessionIds: ['restricted'] }), { lang: 'en' });
    expect(answer.sessions).toEqual([{ sessionId: 'restricted', status: 'pending' }]);
    expect(store.sessions.get('restricted')).toMatchObject({ seatsTaken: 0, pendingCount: 1 });
  });

  it('writes exactly one outbox event per submission, with each new session outcome', async () => {
    await submitRegistration(deps, request({ sessionIds: ['open', 'restricted'] }), { lang: 'en' });
    expect(store.outbox).toHaveLength(1);
    expect(store.outbox[0]!.detailType).toBe('Registration.Confirmed');
    expect(JSON.parse(store.outbox[0]!.detail).sessions).toEqual([
      { sessionId: 'open', status: 'confirmed' },
      { sessionId: 'restricted', status: 'pending' },
    ]);
  });

  describe('with address confirmation', () => {
    const held = () => ({ ...deps, confirmation: { holdMinutes: 60 } });

    it('holds each new place as what it becomes, counted, and answers without positions until when it is held', async () => {
      store.sessions.get('open')!.capacity = 1;
      const first = await submitRegistration(held(), request({ email: 'a@example.org', sessionIds: ['open', 'restricted'] }), { lang: 'en' });
      const second = await submitRegistration(held(), request({ email: 'b@example.org' }), { lang: 'en' });
      expect(first).toEqual({
        sessions: [{ sessionId: 'open', status: 'confirmed' }, { sessionId: 'restricted', status: 'pending' }],
        mailedTo: 'a•••@example.org',
        heldUntil: '2026-12-01T09:00:00.000Z',
      });
      expect(second.sessions).toEqual([{ sessionId: 'open', status: 'waitlisted' }]);
      const statuses = [...store.registrations.values()].map((r) => [r.sessionId, r.status, r.heldAs, r.waitlistPosition]);
      expect(statuses).toEqual([['open', 'held', 'confirmed', undefined], ['restricted', 'held', 'pending', undefined], ['open', 'held', 'waitlisted', 1]]);
      expect(store.sessions.get('open')).toMatchObject({ seatsTaken: 1, seatsHeld: 1, waitlistCount: 1 });
      // One Registration.Held per submission, with the true positions for the mail; no Registration.Confirmed.
      expect(store.outbox.map((item) => item.detailType)).toEqual(['Registration.Held', 'Registration.Held']);
      expect(JSON.parse(store.outbox[1]!.detail).sessions).toEqual([{ sessionId: 'open', status: 'waitlisted', waitlistPosition: 1 }]);
    });

    it('answers for sessions the address already has what a newcomer would get, and tells the truth only in the mail', async () => {
      store.sessions.get('open')!.capacity = 1;
      await submitRegistration(deps, request({ email: 'owner@example.org' }), { lang: 'en' }); // confirmed, the only seat
      const answer = await submitRegistration(held(), request({ email: 'owner@example.org', name: 'Someone else', sessionIds: ['open', 'restricted'] }), { lang: 'en' });
      expect(answer.sessions).toEqual([{ sessionId: 'open', status: 'waitlisted' }, { sessionId: 'restricted', status: 'pending' }]);
      const event = JSON.parse(store.outbox.at(-1)!.detail);
      expect(event.sessions).toEqual([{ sessionId: 'open', status: 'confirmed', already: true }, { sessionId: 'restricted', status: 'pending' }]);
      // The profile is the owner's, untouched.
      expect([...store.participants.values()].map((p) => p.name)).toEqual(['Li Wei']);
    });

    it('lets a later submission’s mail confirm a place still held from an earlier one', async () => {
      await submitRegistration(held(), request({ email: 'late@example.org' }), { lang: 'en' });
      await submitRegistration(held(), request({ email: 'late@example.org', sessionIds: ['open', 'restricted'] }), { lang: 'en' });
      const holdIds = [...store.registrations.values()].find((r) => r.sessionId === 'open')!.holdIds!;
      const events = store.outbox.map((item) => JSON.parse(item.detail) as { holdId: string });
      expect([...holdIds].sort()).toEqual(events.map((e) => e.holdId).sort());
    });
  });

  it('gives the same answer to the same submission sent twice, and stores it once', async () => {
    const first = await submitRegistration(deps, request(), { lang: 'en' });
    const second = await submitRegistration(deps, request(), { lang: 'en' });
    expect(second).toEqual(first);
    expect(store.commits).toBe(1);
    expect(store.outbox).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for a different payload with 409', async () => {
    await submitRegistration(deps, request(), { lang: 'en', idempotencyKey: 'k1' });
    await expect(submitRegistration(deps, request({ name: 'Someone Else' }), { lang: 'en', idempotencyKey: 'k1' })).rejects.toMatchObject({ statusCode: 409 });
  });

  it('adds new sessions to the same participant and never registers a session twice', async () => {
    const first = await submitRegistration(deps, request({ sessionIds: ['open'] }), { lang: 'en' });
    const second = await submitRegistration(deps, request({ sessionIds: ['open', 'restricted'] }), { lang: 'en' });
    expect(second.mailedTo).toBe(first.mailedTo);
    expect(store.participants.size).toBe(1);
    expect(JSON.parse(store.outbox[1]!.detail).participantId).toBe(JSON.parse(store.outbox[0]!.detail).participantId);
    expect(second.sessions).toEqual([
      { sessionId: 'open', status: 'confirmed' },
      { sessionId: 'restricted', status: 'pending' },
    ]);
    expect(store.sessions.get('open')!.seatsTaken).toBe(1);
    expect(JSON.parse(store.outbox[1]!.detail).sessions).toEqual([{ sessionId: 'restricted', status: 'pending' }]);
  });

  it('answers without a manage link, a token or a participant id: only the outcomes and the masked address', async () => {
    const answer = await submitRegistration(deps, request({ email: 'amina.diallo@example.org' }), { lang: 'en' });
    expect(answer).toEqual({ sessions: [{ sessionId: 'open', status: 'confirmed' }], mailedTo: 'a•••@example.org' });
    const participantId = [...store.participants.keys()][0]!;
    expect(JSON.stringify(answer)).not.toContain(participantId);
  });

  it('never changes an existing profile from the public form (the submitter may not own the address)', async () => {
    await submitRegistration(deps, request({ sessionIds: ['open'], name: 'Amina Diallo', language: 'fr' }), { lang: 'fr' });
    await submitRegistration(deps, request({ sessionIds: ['restricted'], name: 'Mallory https://evil.example', language: 'en' }), { lang: 'en' });
    expect([...store.participants.values()]).toEqual([expect.objectContaining({ name: 'Amina Diallo', language: 'fr' })]);
  });

  it('starts a new participant for an address whose data was erased, instead of replaying the old answer', async () => {
    // Prepare: a registration, then erasure (the profile is anonymised, the address index removed)
    await submitRegistration(deps, request(), { lang: 'en' });
    const [erasedId, erased] = [...store.participants.entries()][0]!;
    store.participants.set(erasedId, { ...erased, erasedAt: NOW, name: '', email: '' });
    store.emails.clear();
    store.registrations.get(`open|${erasedId}`)!.status = 'cancelled';
    // Act: the same submission again
    await submitRegistration(deps, request(), { lang: 'en' });
    // Assess: stored, for a new participant
    expect(store.commits).toBe(2);
    expect(store.participants.size).toBe(2);
    expect(JSON.parse(store.outbox[1]!.detail).participantId).not.toBe(erasedId);
  });

  it('registers again a session cancelled since the same submission was answered (no replay of a stale answer)', async () => {
    // Prepare: registered, then cancelled (as the manage link does), within the 24 h memory of the answer
    await submitRegistration(deps, request(), { lang: 'en' });
    const participantId = [...store.participants.keys()][0]!;
    store.registrations.get(`open|${participantId}`)!.status = 'cancelled';
    store.sessions.get('open')!.seatsTaken--;
    // Act
    const again = await submitRegistration(deps, request(), { lang: 'en' });
    // Assess: stored and evented again, the seat taken again
    expect(again.sessions).toEqual([{ sessionId: 'open', status: 'confirmed' }]);
    expect(store.commits).toBe(2);
    expect(store.outbox).toHaveLength(2);
    expect(store.registrations.get(`open|${participantId}`)!.status).toBe('confirmed');
    expect(store.sessions.get('open')!.seatsTaken).toBe(1);
  });

  it('answers 422 for unknown sessions and 409 for ended ones, storing nothing', async () => {
    await expect(submitRegistration(deps, request({ sessionIds: ['nope'] }), { lang: 'fr' })).rejects.toSatisfy(
      (error: unknown) => error instanceof RequestError && error.statusCode === 422 && error.message.includes('nope'),
    );
    await expect(submitRegistration(deps, request({ sessionIds: ['ended'] }), { lang: 'en' })).rejects.toMatchObject({ statusCode: 409 });
    expect(store.commits).toBe(0);
  });

  it('retries a transaction that lost to a concurrent writer (TransactionConflict) and succeeds', async () => {
    // Prepare: DynamoDB Local never raises TransactionConflict, so the conflict is injected here.
    store.conflictsToInject = 3;
    // Act
    const answer = await submitRegistration(deps, request(), { lang: 'en' });
    // Assess
    expect(answer.sessions[0]!.status).toBe('confirmed');
    expect(store.commits).toBe(1);
    expect(store.sessions.get('open')!.seatsTaken).toBe(1);
  });

  it('gives up with ConcurrencyConflict when conflicts never stop, having stored nothing', async () => {
    store.conflictsToInject = 1000;
    await expect(submitRegistration(deps, request(), { lang: 'en' })).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(store.commits).toBe(0);
  });

  it('moves to the waiting list when the last seat is taken between read and write', async () => {
    // Prepare: the session looks open when read, but a concurrent registrant takes the last seat first.
    const session = store.sessions.get('open')!;
    session.capacity = 1;
    const original = store.getSessions.bind(store);
    let reads = 0;
    store.getSessions = async (ids) => {
      const result = await original(ids);
      if (reads++ === 0) session.seatsTaken = 1;
      return result;
    };
    // Act
    const answer = await submitRegistration(deps, request(), { lang: 'en' });
    // Assess
    expect(answer.sessions[0]).toEqual({ sessionId: 'open', status: 'waitlisted', waitlistPosition: 1 });
    expect(session.seatsTaken).toBe(1);
  });

  it('sets personal data to expire 90 days after the forum’s last session', async () => {
    store.forumEnd = '2027-01-15T17:00:00.000Z';
    await submitRegistration(deps, request(), { lang: 'en' });
    expect(store.lastPlan?.personalDataExpiresAt?.toISOString()).toBe('2027-04-15T17:00:00.000Z');
  });

  it('refuses with 409 when the session is cancelled while the submission is being retried', async () => {
    // Prepare: the first read sees the session open; it is cancelled before the write.
    const original = store.getSessions.bind(store);
    let reads = 0;
    store.getSessions = async (ids) => {
      const result = await original(ids);
      if (reads++ === 0) store.sessions.get('open')!.status = 'cancelled';
      return result;
    };
    // Act + Assess
    await expect(submitRegistration(deps, request(), { lang: 'en' })).rejects.toMatchObject({ statusCode: 409 });
    expect(store.commits).toBe(0);
  });
});
