import { describe, expect, it } from 'vitest';
import { inMemorySession } from '../../functions/core/in-memory-session.ts';
import { fixedClock } from '../../functions/core/clock.ts';
import type { Participant, Session, StoredRegistration } from '../../functions/core/model.ts';
import { calendarFeed, notModified, type FeedReader } from '../../functions/registrant/calendar-feed.ts';
import { readCalendar } from '../support/calendars.ts';

const NOW = '2027-03-01T08:00:00Z';
const session = (id: string, overrides: Partial<Session> = {}): Session =>
  inMemorySession({ sessionId: id, ...overrides }, { title: { en: `Session ${id}` }, startsAt: '2027-03-10T09:00:00Z', endsAt: '2027-03-10T10:00:00Z' });
const registration = (sessionId: string, status: StoredRegistration['status'], updatedAt = '2027-02-01T08:00:00Z'): StoredRegistration => ({ participantId: 'p1', sessionId, status, registeredAt: '2027-02-01T08:00:00Z', updatedAt });
const participant: Participant = { participantId: 'p1', name: 'Ada', email: 'ada@example.org', organisation: 'Org', stakeholderType: 'academia', country: 'CH', language: 'en', timeZone: 'Europe/Zurich', createdAt: '2027-01-01T00:00:00Z', linkGeneration: 2 };

function reader(state: { participant?: Participant; registrations: StoredRegistration[]; sessions: Session[] }): FeedReader {
  return { feedOf: async () => ({ ...(state.participant ? { participant: state.participant } : {}), registrations: state.registrations, sessions: new Map(state.sessions.map((s) => [s.sessionId, s])) }) };
}
const deps = (state: Parameters<typeof reader>[0], now = NOW) => ({ reader: reader(state), clock: fixedClock(now), context: { from: 'forum@example.org', publicUrl: 'https://forum.example.org' } });
const claim = { subject: 'p1', generation: 2 };

describe('the personal calendar feed', () => {
  it('holds the seats only: confirmed sessions, not places in line, offers, requests or given-up seats', async () => {
    const state = {
      participant,
      registrations: [registration('a', 'confirmed'), registration('b', 'waitlisted'), registration('c', 'offered'), registration('d', 'pending'), registration('e', 'cancelled')],
      sessions: ['a', 'b', 'c', 'd', 'e'].map((id) => session(id)),
    };
    const feed = await calendarFeed(deps(state), claim);
    const calendar = readCalendar(feed.body);
    expect(calendar.method).toBeUndefined();
    expect(calendar.events.map((e) => [e.uid, e.status, e.attendees])).toEqual([['a@forum.example.org', 'CONFIRMED', []]]);
    expect(feed.body).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H');
  });

  it('keeps a cancelled session, marked cancelled, for 30 days after its end, then drops it', async () => {
    const state = { participant, registrations: [registration('a', 'confirmed')], sessions: [session('a', { status: 'cancelled', changedAt: '2027-03-05T08:00:00Z' })] };
    expect(readCalendar((await calendarFeed(deps(state), claim)).body).events.map((e) => e.status)).toEqual(['CANCELLED']);
    expect(readCalendar((await calendarFeed(deps(state, '2027-04-09T09:00:00Z'), claim)).body).events.map((e) => e.status)).toEqual(['CANCELLED']);
    expect(readCalendar((await calendarFeed(deps(state, '2027-04-09T11:00:00Z'), claim)).body).events).toEqual([]);
  });

  it('has an ETag and Last-Modified that change only with what it shows, and a SEQUENCE from the last change', async () => {
    const state = { participant, registrations: [registration('a', 'confirmed')], sessions: [session('a')] };
    const first = await calendarFeed(deps(state), claim);
    expect((await calendarFeed(deps(state, '2027-03-02T08:00:00Z'), claim)).etag).toBe(first.etag); // polled a day later: the same
    expect(first.lastModified.toISOString()).toBe('2027-02-01T08:00:00.000Z');
    const moved = { ...state, sessions: [session('a', { startsAt: '2027-03-11T09:00:00Z', endsAt: '2027-03-11T10:00:00Z', changedAt: '2027-02-20T12:00:00Z' })] };
    const second = await calendarFeed(deps(moved), claim);
    expect(second.etag).not.toBe(first.etag);
    expect(second.lastModified.toISOString()).toBe('2027-02-20T12:00:00.000Z');
    expect(readCalendar(second.body).events[0]!.sequence).toBeGreaterThan(readCalendar(first.body).events[0]!.sequence);
    expect(notModified(second, { 'if-none-match': second.etag })).toBe(true);
    expect(notModified(second, { 'if-none-match': `W/${second.etag}, "other"` })).toBe(true);
    expect(notModified(second, { 'if-none-match': first.etag, 'if-modified-since': new Date().toUTCString() })).toBe(false);
    // A date alone never gets a 304: a change of language or a session dropping out has no time of its own.
    expect(notModified(second, { 'if-modified-since': new Date().toUTCString() })).toBe(false);
  });

  it('is refused once the links were signed out or the participant erased', async () => {
    const state = { participant, registrations: [registration('a', 'confirmed')], sessions: [session('a')] };
    await expect(calendarFeed(deps(state), { subject: 'p1', generation: 1 })).rejects.toMatchObject({ statusCode: 404 });
    await expect(calendarFeed(deps({ ...state, participant: { ...participant, erasedAt: NOW } }), claim)).rejects.toMatchObject({ statusCode: 404 });
    await expect(calendarFeed(deps({ registrations: [], sessions: [] }), claim)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('gives one session’s file alone, and 404 for a session it does not hold', async () => {
    const state = { participant, registrations: [registration('a', 'confirmed'), registration('b', 'confirmed')], sessions: [session('a'), session('b')] };
    expect(readCalendar((await calendarFeed(deps(state), claim, 'b')).body).events.map((e) => e.uid)).toEqual(['b@forum.example.org']);
    await expect(calendarFeed(deps(state), claim, 'zz')).rejects.toMatchObject({ statusCode: 404 });
  });
});
