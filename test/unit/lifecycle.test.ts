import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../functions/core/clock.ts';
import { RequestError } from '../../functions/core/errors.ts';
import { changeSession } from '../../functions/programme/change-session.ts';
import { InMemoryProgrammeStore } from '../../functions/programme/in-memory-programme-store.ts';
import { InMemoryLifecycleStore } from '../../functions/waitlist/in-memory-lifecycle-store.ts';
import { acceptOffer, cancelRegistration, decidePending, expireOffers, promoteWaitlist, type PromotionDeps } from '../../functions/waitlist/lifecycle.ts';

const NOW = '2026-12-01T08:00:00.000Z';
const STARTS = '2026-12-10T09:00:00.000Z';
const hoursAfter = (at: string, hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();

/** A clock a test can move. */
function movableClock(at: string): Clock & { set(at: string): void } {
  let time = new Date(at);
  return { now: () => new Date(time), set: (next) => void (time = new Date(next)) };
}

describe('the waiting list and approvals', () => {
  let store: InMemoryLifecycleStore;
  let programme: InMemoryProgrammeStore;
  let clock: ReturnType<typeof movableClock>;
  let deps: PromotionDeps;

  beforeEach(() => {
    // Retries back off by Math.random() × a bound: 0 lets lost races retry at once.
    vi.spyOn(Math, 'random').mockReturnValue(0);
    store = new InMemoryLifecycleStore();
    // The programme fake writes the same session items, as both adapters write the same table.
    programme = new InMemoryProgrammeStore(store.sessions);
    clock = movableClock(NOW);
    deps = { store, clock, defaultClaimWindowHours: 24 };
  });

  afterEach(() => vi.restoreAllMocks());

  const status = (participantId: string, sessionId = 's1') => store.registration(sessionId, participantId)?.status;
  const types = () => store.events().map((e) => e.detailType);
  const expectCountersConsistent = (sessionId = 's1') => {
    const session = store.sessions.get(sessionId)!;
    expect(session).toMatchObject(store.recount(sessionId));
    expect(session.seatsTaken).toBeLessThanOrEqual(session.capacity);
  };

  describe('promoting the waiting list', () => {
    it('offers a freed seat to the head of the waiting list, held for the claim window', async () => {
      // Prepare: two seats, one freed by a cancellation; two waiting.
      store.addSession({ sessionId: 's1', capacity: 2, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      store.addRegistration({ sessionId: 's1', participantId: 'w2', status: 'waitlisted' });
      // Act
      const result = await promoteWaitlist(deps, 's1');
      // Assess
      expect(result).toEqual({ offered: 1, promoted: 0 });
      expect(store.registration('s1', 'w1')).toMatchObject({ status: 'offered', offerExpiresAt: hoursAfter(NOW, 24), updatedAt: NOW });
      expect(status('w2')).toBe('waitlisted');
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 2, waitlistCount: 1 });
      expect(store.events()).toEqual([
        { detailType: 'Registration.OfferMade', detail: expect.objectContaining({ participantId: 'w1', sessionId: 's1', offerExpiresAt: hoursAfter(NOW, 24) }) },
      ]);
      expectCountersConsistent();
    });

    it('with a claim window of 0, confirms the next in line at once, in position order across gaps', async () => {
      // Prepare: three seats, one taken; positions 2, 5 and 7 remain (others left the list).
      store.addSession({ sessionId: 's1', capacity: 3, startsAt: STARTS, claimWindowHours: 0 });
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'w7', status: 'waitlisted', waitlistPosition: 7 });
      store.addRegistration({ sessionId: 's1', participantId: 'w2', status: 'waitlisted', waitlistPosition: 2 });
      store.addRegistration({ sessionId: 's1', participantId: 'w5', status: 'waitlisted', waitlistPosition: 5 });
      // Act
      const result = await promoteWaitlist(deps, 's1');
      // Assess
      expect(result).toEqual({ offered: 0, promoted: 2 });
      expect([status('w2'), status('w5'), status('w7')]).toEqual(['confirmed', 'confirmed', 'waitlisted']);
      expect(store.events().map((e) => [e.detailType, e.detail.participantId, e.detail.via])).toEqual([
        ['Registration.Promoted', 'w2', 'direct'],
        ['Registration.Promoted', 'w5', 'direct'],
      ]);
      expectCountersConsistent();
    });

    it('never holds an offer past the start of the session', async () => {
      // Prepare: the session starts in three hours; the claim window is a day.
      const startsAt = hoursAfter(NOW, 3);
      store.addSession({ sessionId: 's1', capacity: 1, startsAt, endsAt: hoursAfter(NOW, 4) });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      // Act
      await promoteWaitlist(deps, 's1');
      // Assess
      expect(store.registration('s1', 'w1')).toMatchObject({ status: 'offered', offerExpiresAt: startsAt });
    });

    it('offers nothing in a cancelled session or one that has started', async () => {
      // Prepare
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS, status: 'cancelled' });
      store.addSession({ sessionId: 's2', capacity: 1, startsAt: hoursAfter(NOW, -1), endsAt: hoursAfter(NOW, 1) });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      store.addRegistration({ sessionId: 's2', participantId: 'w1', status: 'waitlisted' });
      // Act
      const results = [await promoteWaitlist(deps, 's1'), await promoteWaitlist(deps, 's2')];
      // Assess
      expect(results).toEqual([
        { offered: 0, promoted: 0 },
        { offered: 0, promoted: 0 },
      ]);
      expect([status('w1', 's1'), status('w1', 's2')]).toEqual(['waitlisted', 'waitlisted']);
      expect(store.outbox).toEqual([]);
    });

    it('lost race: two promotions of the same freed seat make one offer (the loser re-reads and stops)', async () => {
      // Prepare: one free seat, two waiting; a second promotion (a redelivered event) runs between the
      // first one's read and its write.
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      store.addRegistration({ sessionId: 's1', participantId: 'w2', status: 'waitlisted' });
      let concurrent: Awaited<ReturnType<typeof promoteWaitlist>> | undefined;
      store.interleave(async () => void (concurrent = await promoteWaitlist(deps, 's1')));
      // Act
      const result = await promoteWaitlist(deps, 's1');
      // Assess
      expect(concurrent).toEqual({ offered: 1, promoted: 0 });
      expect(result).toEqual({ offered: 0, promoted: 0 });
      expect([status('w1'), status('w2')]).toEqual(['offered', 'waitlisted']);
      expect(types()).toEqual(['Registration.OfferMade']);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 1 });
      expectCountersConsistent();
    });

    it('lost race: a seat gone by the time of the write is offered to nobody and the list keeps its order', async () => {
      // Prepare: one seat of two is free; an organiser cuts the capacity to 1 between the read and the write.
      store.addSession({ sessionId: 's1', capacity: 2, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      store.interleave(() => changeSession({ store: programme, clock, quietPeriodMinutes: 10 }, 's1', { kind: 'update', fields: { capacity: 1 } }).then(() => {}));
      // Act
      const result = await promoteWaitlist(deps, 's1');
      // Assess
      expect(result).toEqual({ offered: 0, promoted: 0 });
      expect(store.registration('s1', 'w1')).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
      expect(store.sessions.get('s1')).toMatchObject({ capacity: 1, seatsTaken: 1, waitlistCount: 1 });
      expect(store.outbox).toEqual([]);
    });
  });

  describe('accepting an offer', () => {
    beforeEach(() => {
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'o1', status: 'offered', waitlistPosition: 1, offerExpiresAt: hoursAfter(NOW, 24) });
      store.addRegistration({ sessionId: 's1', participantId: 'w2', status: 'waitlisted' });
    });

    it('confirms the seat the offer held, without taking another', async () => {
      // Act
      await acceptOffer(deps, 'o1', 's1');
      // Assess
      expect(store.registration('s1', 'o1')).toMatchObject({ status: 'confirmed', updatedAt: NOW });
      expect(store.registration('s1', 'o1')?.offerExpiresAt).toBeUndefined();
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 1 });
      expect(store.events()).toEqual([{ detailType: 'Registration.Promoted', detail: expect.objectContaining({ participantId: 'o1', sessionId: 's1', via: 'offer' }) }]);
      expect(await store.dueOffers(new Date(hoursAfter(NOW, 48)), 10)).toEqual([]);
    });

    it('refuses an offer whose claim window has ended with 409, changing nothing', async () => {
      // Prepare
      clock.set(hoursAfter(NOW, 24));
      // Act + Assess
      await expect(acceptOffer(deps, 'o1', 's1')).rejects.toMatchObject({ statusCode: 409, code: 'no_open_offer' });
      expect(status('o1')).toBe('offered');
      expect(store.outbox).toEqual([]);
    });

    it('refuses with 409 when there is no offer to accept', async () => {
      await expect(acceptOffer(deps, 'w2', 's1')).rejects.toMatchObject({ statusCode: 409, code: 'no_open_offer' });
      await expect(acceptOffer(deps, 'nobody', 's1')).rejects.toMatchObject({ statusCode: 409, code: 'no_open_offer' });
      expect(status('w2')).toBe('waitlisted');
      expect(store.outbox).toEqual([]);
    });

    it('lost race: an offer that expires while being accepted is refused with 409 and its seat released once', async () => {
      // Prepare: the accept reads the offer a minute before its end; the offers schedule expires it before the write.
      clock.set(hoursAfter(NOW, 24 - 1 / 60));
      let expired: number | undefined;
      store.interleave(async () => void (expired = await expireOffers(deps, new Date(hoursAfter(NOW, 24)))));
      // Act
      const accepting = acceptOffer(deps, 'o1', 's1');
      // Assess
      await expect(accepting).rejects.toMatchObject({ statusCode: 409, code: 'no_open_offer' });
      expect(expired).toBe(1);
      expect(status('o1')).toBe('expired');
      expect(types()).toEqual(['Registration.OfferExpired', 'Session.SeatsReleased']);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 0, waitlistCount: 1 });
      expectCountersConsistent();
    });
  });

  describe('expiring offers', () => {
    it('an offer not accepted in time expires and its seat passes to the next in line', async () => {
      // Prepare
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'o1', status: 'offered', waitlistPosition: 1, offerExpiresAt: hoursAfter(NOW, 24) });
      store.addRegistration({ sessionId: 's1', participantId: 'w2', status: 'waitlisted' });
      const at = new Date(hoursAfter(NOW, 24));
      clock.set(at.toISOString());
      // Act: the schedule expires the offer; its Session.SeatsReleased promotes the list.
      const expired = await expireOffers(deps, at);
      const promoted = await promoteWaitlist(deps, 's1');
      // Assess
      expect(expired).toBe(1);
      expect(promoted).toEqual({ offered: 1, promoted: 0 });
      expect(store.registration('s1', 'o1')).toMatchObject({ status: 'expired', updatedAt: at.toISOString() });
      expect(store.registration('s1', 'o1')?.offerExpiresAt).toBeUndefined();
      expect(store.registration('s1', 'w2')).toMatchObject({ status: 'offered', offerExpiresAt: hoursAfter(NOW, 48) });
      expect(store.events().map((e) => [e.detailType, e.detail.participantId ?? e.detail.reason])).toEqual([
        ['Registration.OfferExpired', 'o1'],
        ['Session.SeatsReleased', 'offer-expired'],
        ['Registration.OfferMade', 'w2'],
      ]);
      expectCountersConsistent();
    });

    it('leaves offers whose claim window is still open', async () => {
      // Prepare
      store.addSession({ sessionId: 's1', capacity: 2, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'o1', status: 'offered', waitlistPosition: 1, offerExpiresAt: hoursAfter(NOW, 1) });
      store.addRegistration({ sessionId: 's1', participantId: 'o2', status: 'offered', waitlistPosition: 2, offerExpiresAt: hoursAfter(NOW, 3) });
      // Act
      const expired = await expireOffers(deps, new Date(hoursAfter(NOW, 2)));
      // Assess
      expect(expired).toBe(1);
      expect([status('o1'), status('o2')]).toEqual(['expired', 'offered']);
      expect(store.sessions.get('s1')!.seatsTaken).toBe(1);
    });

    it('lost race: an offer accepted between the read and the write stays confirmed and releases nothing', async () => {
      // Prepare: the registrant accepts (clock still inside the window) while the schedule is expiring the offer.
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'o1', status: 'offered', waitlistPosition: 1, offerExpiresAt: hoursAfter(NOW, 24) });
      store.addRegistration({ sessionId: 's1', participantId: 'w2', status: 'waitlisted' });
      store.interleave(() => acceptOffer(deps, 'o1', 's1'));
      // Act
      const expired = await expireOffers(deps, new Date(hoursAfter(NOW, 24)));
      // Assess
      expect(expired).toBe(0);
      expect([status('o1'), status('w2')]).toEqual(['confirmed', 'waitlisted']);
      expect(types()).toEqual(['Registration.Promoted']);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 1 });
      expectCountersConsistent();
    });

    it('lost race: a transaction conflict on one offer is retried and does not stop the others from expiring', async () => {
      // Prepare: the first expiry write loses a TransactionConflict (another write touched the session item).
      store.addSession({ sessionId: 's1', capacity: 2, startsAt: STARTS });
      store.addRegistration({ sessionId: 's1', participantId: 'o1', status: 'offered', waitlistPosition: 1, offerExpiresAt: hoursAfter(NOW, 1) });
      store.addRegistration({ sessionId: 's1', participantId: 'o2', status: 'offered', waitlistPosition: 2, offerExpiresAt: hoursAfter(NOW, 1) });
      store.conflictsToInject = 1;
      // Act
      const expired = await expireOffers(deps, new Date(hoursAfter(NOW, 2)));
      // Assess
      expect(expired).toBe(2);
      expect([status('o1'), status('o2')]).toEqual(['expired', 'expired']);
      expect(store.events('Session.SeatsReleased')).toHaveLength(2);
      expectCountersConsistent();
    });
  });

  describe('cancelling', () => {
    beforeEach(() => {
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS, restricted: true });
    });

    it('cancelling a confirmed seat releases it, and the head of the waiting list is offered it', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      // Act
      const cancelled = await cancelRegistration(deps, 'c1', 's1', 'participant');
      const promoted = await promoteWaitlist(deps, 's1');
      // Assess
      expect(cancelled?.status).toBe('confirmed');
      expect(promoted).toEqual({ offered: 1, promoted: 0 });
      expect([status('c1'), status('w1')]).toEqual(['cancelled', 'offered']);
      expect(store.events().slice(0, 2)).toEqual([
        { detailType: 'Registration.Cancelled', detail: expect.objectContaining({ participantId: 'c1', previousStatus: 'confirmed', by: 'participant' }) },
        { detailType: 'Session.SeatsReleased', detail: expect.objectContaining({ sessionId: 's1', reason: 'cancellation' }) },
      ]);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 0 });
      expectCountersConsistent();
    });

    it('cancelling a waiting-list place frees no seat and releases nothing', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      // Act
      await cancelRegistration(deps, 'w1', 's1', 'organiser');
      // Assess
      expect(status('w1')).toBe('cancelled');
      expect(await store.waitlistHead('s1', 10)).toEqual([]);
      expect(store.events()).toEqual([{ detailType: 'Registration.Cancelled', detail: expect.objectContaining({ previousStatus: 'waitlisted', by: 'organiser' }) }]);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 0 });
      expectCountersConsistent();
    });

    it('cancelling a pending registration frees its pending slot', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'p1', status: 'pending' });
      // Act
      await cancelRegistration(deps, 'p1', 's1', 'erasure');
      // Assess
      expect(status('p1')).toBe('cancelled');
      expect(types()).toEqual(['Registration.Cancelled']);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 0, pendingCount: 0 });
    });

    it('returns undefined and writes nothing when there is nothing active to cancel', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'x1', status: 'expired' });
      // Act
      const results = [await cancelRegistration(deps, 'x1', 's1', 'participant'), await cancelRegistration(deps, 'nobody', 's1', 'participant')];
      // Assess
      expect(results).toEqual([undefined, undefined]);
      expect(store.outbox).toEqual([]);
      expect(store.applied).toEqual([]);
    });

    it('lost race: a waiting-list place offered a seat in between is cancelled as the offer it became, releasing the seat', async () => {
      // Prepare: a seat is free; the promotion offers it to w1 while w1 is cancelling their place.
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      store.interleave(() => promoteWaitlist(deps, 's1').then(() => {}));
      // Act
      const cancelled = await cancelRegistration(deps, 'w1', 's1', 'participant');
      // Assess: the retry re-read the offer, so the seat it held is freed (not the waiting-list count).
      expect(cancelled?.status).toBe('offered');
      expect(status('w1')).toBe('cancelled');
      expect(store.events().map((e) => [e.detailType, e.detail.previousStatus])).toEqual([
        ['Registration.OfferMade', undefined],
        ['Registration.Cancelled', 'offered'],
        ['Session.SeatsReleased', undefined],
      ]);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 0, waitlistCount: 0 });
      expectCountersConsistent();
    });

    it('lost race: a cancellation that loses transaction conflicts retries and cancels once', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.conflictsToInject = 3;
      // Act
      await cancelRegistration(deps, 'c1', 's1', 'participant');
      // Assess
      expect(status('c1')).toBe('cancelled');
      expect(types()).toEqual(['Registration.Cancelled', 'Session.SeatsReleased']);
      expect(store.sessions.get('s1')!.seatsTaken).toBe(0);
    });
  });

  describe('deciding on a pending registration', () => {
    beforeEach(() => {
      store.addSession({ sessionId: 's1', capacity: 1, startsAt: STARTS, restricted: true });
      store.addRegistration({ sessionId: 's1', participantId: 'p1', status: 'pending' });
    });

    it('approval confirms a pending registration when a seat is free and nobody waits', async () => {
      // Act
      const result = await decidePending(deps, 'p1', 's1', 'approve');
      // Assess
      expect(result).toEqual({ status: 'confirmed' });
      expect(status('p1')).toBe('confirmed');
      expect(store.events()).toEqual([{ detailType: 'Registration.Approved', detail: expect.objectContaining({ participantId: 'p1', status: 'confirmed' }) }]);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, pendingCount: 0 });
      expectCountersConsistent();
    });

    it('approval falls back to the waiting list, behind those already waiting, when the session is full', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      // Act
      const result = await decidePending(deps, 'p1', 's1', 'approve');
      // Assess
      expect(result).toEqual({ status: 'waitlisted', waitlistPosition: 2 });
      expect(store.registration('s1', 'p1')).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
      expect((await store.waitlistHead('s1', 10)).map((r) => r.participantId)).toEqual(['w1', 'p1']);
      expect(store.events()).toEqual([{ detailType: 'Registration.Approved', detail: expect.objectContaining({ participantId: 'p1', status: 'waitlisted', waitlistPosition: 2 }) }]);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 2, pendingCount: 0, waitlistSeq: 2 });
      expectCountersConsistent();
    });

    it('approval does not jump the queue: with people waiting, a free seat still gives a waiting-list place', async () => {
      // Prepare: the seat was just freed and the promotion has not run yet.
      store.addRegistration({ sessionId: 's1', participantId: 'w1', status: 'waitlisted' });
      // Act
      const result = await decidePending(deps, 'p1', 's1', 'approve');
      // Assess
      expect(result).toEqual({ status: 'waitlisted', waitlistPosition: 2 });
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 0, waitlistCount: 2 });
    });

    it('rejection frees the pending slot and takes no seat', async () => {
      // Act
      const result = await decidePending(deps, 'p1', 's1', 'reject');
      // Assess
      expect(result).toEqual({ status: 'rejected' });
      expect(status('p1')).toBe('rejected');
      expect(types()).toEqual(['Registration.Rejected']);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 0, pendingCount: 0 });
    });

    it('answers 404 without a registration and 409 for one that is not pending, writing nothing', async () => {
      // Prepare
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      // Act + Assess
      await expect(decidePending(deps, 'nobody', 's1', 'approve')).rejects.toMatchObject({ statusCode: 404 });
      await expect(decidePending(deps, 'c1', 's1', 'reject')).rejects.toMatchObject({ statusCode: 409, code: 'not_pending' });
      expect(store.outbox).toEqual([]);
    });

    it('lost race: approval that loses the last seat in between falls back to the waiting list with a position, without overbooking', async () => {
      // Prepare: another organiser approves p2 into the last seat between p1's read and write.
      store.addRegistration({ sessionId: 's1', participantId: 'p2', status: 'pending' });
      let concurrent: unknown;
      store.interleave(async () => void (concurrent = await decidePending(deps, 'p2', 's1', 'approve')));
      // Act
      const result = await decidePending(deps, 'p1', 's1', 'approve');
      // Assess
      expect(concurrent).toEqual({ status: 'confirmed' });
      expect(result).toEqual({ status: 'waitlisted', waitlistPosition: 1 });
      expect([status('p1'), status('p2')]).toEqual(['waitlisted', 'confirmed']);
      expect(store.events().map((e) => [e.detail.participantId, e.detail.status, e.detail.waitlistPosition])).toEqual([
        ['p2', 'confirmed', undefined],
        ['p1', 'waitlisted', 1],
      ]);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 1, waitlistCount: 1, pendingCount: 0 });
      expectCountersConsistent();
    });

    it('lost race: two organisers deciding at once, the second gets 409 and the first decision stands', async () => {
      // Prepare: a rejection lands between the approval's read and its write.
      store.interleave(() => decidePending(deps, 'p1', 's1', 'reject').then(() => {}));
      // Act
      const approving = decidePending(deps, 'p1', 's1', 'approve');
      // Assess
      await expect(approving).rejects.toMatchObject({ statusCode: 409, code: 'not_pending' });
      expect(status('p1')).toBe('rejected');
      expect(types()).toEqual(['Registration.Rejected']);
      expect(store.sessions.get('s1')).toMatchObject({ seatsTaken: 0, pendingCount: 0, waitlistCount: 0 });
    });

    it('lost race: concurrent approvals into a full session get distinct waiting-list positions', async () => {
      // Prepare: the session is full; p2 is approved while p1's approval is being written.
      store.addRegistration({ sessionId: 's1', participantId: 'c1', status: 'confirmed' });
      store.addRegistration({ sessionId: 's1', participantId: 'p2', status: 'pending' });
      let concurrent: unknown;
      store.interleave(async () => void (concurrent = await decidePending(deps, 'p2', 's1', 'approve')));
      // Act
      const result = await decidePending(deps, 'p1', 's1', 'approve');
      // Assess
      expect(result).toEqual({ status: 'waitlisted', waitlistPosition: 1 });
      expect(concurrent).toEqual({ status: 'waitlisted', waitlistPosition: 2 });
      expect((await store.waitlistHead('s1', 10)).map((r) => [r.participantId, r.waitlistPosition])).toEqual([
        ['p1', 1],
        ['p2', 2],
      ]);
      expectCountersConsistent();
    });

    it('lost race: approval is refused with 409 when the session is cancelled between the read and the write', async () => {
      // Prepare: the organiser cancels the session while the approval is being written.
      store.interleave(() => changeSession({ store: programme, clock, quietPeriodMinutes: 10 }, 's1', { kind: 'cancel' }).then(() => {}));
      // Act
      const approving = decidePending(deps, 'p1', 's1', 'approve');
      // Assess: not a waiting-list place in a cancelled session.
      await expect(approving).rejects.toSatisfy((error: unknown) => error instanceof RequestError && error.statusCode === 409 && error.code === 'session_closed');
      expect(store.registration('s1', 'p1')).toMatchObject({ status: 'pending' });
      expect(store.registration('s1', 'p1')?.waitlistPosition).toBeUndefined();
      expect(store.events('Registration.Approved')).toEqual([]);
      expect(store.sessions.get('s1')).toMatchObject({ status: 'cancelled', seatsTaken: 0, waitlistCount: 0, pendingCount: 1 });
    });
  });

  describe('under any interleaving of requests', () => {
    type Op =
      | { kind: 'cancel' | 'accept' | 'approve' | 'reject'; who: number }
      | { kind: 'promote' }
      | { kind: 'expire'; afterHours: number };
    const participant = (who: number) => `p${who}`;
    const who = fc.integer({ min: 0, max: 5 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.record({ kind: fc.constant('approve' as const), who }), weight: 4 },
      { arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'accept' as const, 'reject' as const), who }), weight: 3 },
      { arbitrary: fc.constant({ kind: 'promote' as const }), weight: 2 },
      { arbitrary: fc.record({ kind: fc.constant('expire' as const), afterHours: fc.integer({ min: 0, max: 4 }) }), weight: 1 },
    );
    const run = async (step: Op) => {
      try {
        if (step.kind === 'promote') await promoteWaitlist(deps, 's1');
        else if (step.kind === 'expire') await expireOffers(deps, new Date(hoursAfter(NOW, step.afterHours)));
        else if (step.kind === 'cancel') await cancelRegistration(deps, participant(step.who), 's1', 'participant');
        else if (step.kind === 'accept') await acceptOffer(deps, participant(step.who), 's1');
        else await decidePending(deps, participant(step.who), 's1', step.kind);
      } catch (error) {
        // Refusals (no offer, not pending) are answers, not failures.
        if (!(error instanceof RequestError)) throw error;
      }
    };

    it('never overbooks, keeps the counters true and never gives two registrants the same position', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(op, fc.option(op, { nil: undefined })), { minLength: 1, maxLength: 25 }), async (steps) => {
          // Prepare: a fresh restricted session of 2 seats with 6 pending registrations, offers held 2 hours.
          store = new InMemoryLifecycleStore();
          deps = { store, clock: movableClock(NOW), defaultClaimWindowHours: 2 };
          store.addSession({ sessionId: 's1', capacity: 2, startsAt: STARTS, restricted: true });
          for (let who = 0; who < 6; who++) store.addRegistration({ sessionId: 's1', participantId: participant(who), status: 'pending' });
          for (const [step, concurrent] of steps) {
            // Act: each step, with another request interleaved between its read and its write.
            if (concurrent) store.interleave(() => run(concurrent));
            await run(step);
            // Assess
            expectCountersConsistent();
            const positions = [...store.registrations.values()].filter((r) => r.status === 'waitlisted').map((r) => r.waitlistPosition);
            expect(new Set(positions).size).toBe(positions.length);
            expect(positions.every((p) => p !== undefined)).toBe(true);
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});
