import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import { personalFeed } from '../core/mail/calendar.ts';
import { organiserOf, type MailContext } from '../core/mail/mail-context.ts';
import type { Participant, Session, StoredRegistration } from '../core/model.ts';

/** What one feed request reads: the participant, their registrations and those sessions (one query, one batch read). */
export interface FeedReader {
  feedOf(participantId: string): Promise<{ participant?: Participant; registrations: StoredRegistration[]; sessions: Map<string, Session> }>;
}

export type FeedDeps = { reader: FeedReader; clock: Clock; context: Pick<MailContext, 'from' | 'fromName' | 'publicUrl'> };

/** A cancelled session stays in the feed, marked CANCELLED, until this long after its end, so calendars show why it went. */
export const KEEP_CANCELLED_MS = 30 * 86_400_000;

export type Feed = { body: string; etag: string; lastModified: Date };

const latest = (...instants: Array<string | undefined>) => Math.max(0, ...instants.filter((i): i is string => Boolean(i)).map((i) => Date.parse(i)));

/**
 * A registrant's calendar feed: every session they hold a seat in (past ones too), moved sessions at
 * their new time, titles and join links as they are now, cancelled sessions as STATUS:CANCELLED for
 * KEEP_CANCELLED_MS after their end; a seat given up disappears, and so does the entry. Each entry's
 * SEQUENCE and DTSTAMP are the time it last changed (the seat's or the session's), so the body, its ETag
 * and Last-Modified change only when the registrant's calendar does. Refused (404) once the participant
 * is erased or their links were signed out since the token was made. With `onlySession`, the file of
 * that one session (404 unless the feed holds it).
 */
export async function calendarFeed(deps: FeedDeps, claim: { subject: string; generation?: number }, onlySession?: string): Promise<Feed> {
  const { participant, registrations, sessions } = await deps.reader.feedOf(claim.subject);
  if (!participant || participant.erasedAt || (participant.linkGeneration ?? 0) !== (claim.generation ?? 0)) throw new RequestError(404, 'not_found', 'Not found.');
  const now = deps.clock.now().getTime();
  const lang = participant.language;
  const entries = registrations.flatMap((registration) => {
    const session = sessions.get(registration.sessionId);
    if (!session || registration.status !== 'confirmed') return [];
    const cancelled = session.status === 'cancelled';
    if (cancelled && Date.parse(session.endsAt) + KEEP_CANCELLED_MS < now) return [];
    return [{ session, cancelled, at: new Date(latest(registration.updatedAt, session.changedAt)) }];
  });
  // One session's file (the manage page's "add to my calendar"): the same event as the feed's, alone.
  if (onlySession !== undefined) {
    entries.splice(0, entries.length, ...entries.filter((entry) => entry.session.sessionId === onlySession));
    if (entries.length === 0) throw new RequestError(404, 'not_found', 'Not found.');
  }
  entries.sort((a, b) => Date.parse(a.session.startsAt) - Date.parse(b.session.startsAt) || (a.session.sessionId < b.session.sessionId ? -1 : 1));
  const organiser = organiserOf(deps.context, lang);
  const body = personalFeed({ name: organiser.name, lang, organiser, publicUrl: deps.context.publicUrl, entries });
  // Whatever changed last in what the feed shows (a seat taken or given up, a session edited).
  const changed = latest(participant.createdAt, ...registrations.map((r) => r.updatedAt), ...entries.map((e) => e.session.changedAt));
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`, lastModified: new Date(Math.floor(changed / 1000) * 1000) };
}

/**
 * Whether a conditional GET may be answered 304 (RFC 9110 §13.1.2, weak comparison): only on an
 * If-None-Match that names the body's ETag. If-Modified-Since alone is not trusted (a server may ignore
 * it, §13.1.3): some changes of the body have no time of their own here (the registrant's language, a
 * cancelled session dropping out after 30 days), and a client must never keep a stale calendar.
 */
export function notModified(feed: Feed, headers: Record<string, string | undefined>): boolean {
  const ifNoneMatch = headers['if-none-match'];
  return ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === feed.etag || tag.trim() === '*');
}
