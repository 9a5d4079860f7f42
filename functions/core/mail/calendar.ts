import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Language, Session } from '../model.ts';
import { pickText } from '../model.ts';

/** The UID every calendar file of a session shares, so calendars update the entry instead of adding one. */
export function sessionUid(sessionId: string, domain: string): string {
  return `${sessionId}@${domain}`;
}

const SEQUENCE_EPOCH = Date.UTC(2024, 0, 1);

/**
 * SEQUENCE is the time of the change a file describes (seconds since 2024), not the time it is sent. So a
 * file describing a later change supersedes one describing an earlier change, whatever happened in
 * between (cancel, re-register, reschedule), and whichever mail arrives last: mails are sent by separate
 * consumers and may leave out of order. Two changes within the same second tie, and calendars then keep
 * the file they received last (RFC 5546 breaks the tie on DTSTAMP, which is the same second).
 */
export function calendarSequence(at: Date): number {
  return Math.max(0, Math.floor((at.getTime() - SEQUENCE_EPOCH) / 1000));
}

/**
 * One VEVENT for one session with the session's stable UID; METHOD:CANCEL with STATUS:CANCELLED removes
 * the entry from the registrant's calendar, METHOD:REQUEST adds or moves it.
 */
export function sessionInvite(input: {
  session: Session;
  lang: Language;
  organiser: string;
  /** Omitted in bulk sends, where one file serves every recipient. */
  attendee?: string;
  publicUrl: string;
  method: 'request' | 'cancel';
  /** When the change this file describes happened: its SEQUENCE and DTSTAMP. */
  at: Date;
}): { filename: string; contentType: string; content: string } {
  const { session, lang } = input;
  const domain = new URL(input.publicUrl).hostname;
  const method = input.method === 'cancel' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const calendar = ical({ prodId: { company: 'Convene', product: 'forum', language: lang.toUpperCase() }, method });
  calendar.createEvent({
    id: sessionUid(session.sessionId, domain),
    sequence: calendarSequence(input.at),
    stamp: input.at,
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    summary: pickText(session.title, lang),
    description: session.description ? pickText(session.description, lang) : null,
    location: session.joinUrl ?? null,
    url: session.joinUrl ?? null,
    organizer: { name: 'Forum', email: input.organiser },
    attendees: input.attendee ? [{ email: input.attendee, rsvp: false }] : [],
    status: input.method === 'cancel' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    timezone: null,
  });
  return {
    filename: `${session.sessionId}.ics`,
    contentType: `text/calendar; charset=UTF-8; method=${method}`,
    content: calendar.toString(),
  };
}
