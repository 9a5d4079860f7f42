import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { Language, Session } from '../model.ts';
import { pickText } from '../model.ts';

/** The UID every calendar file of a session shares, so calendars update the entry instead of adding one. */
export function sessionUid(sessionId: string, domain: string): string {
  return `${sessionId}@${domain}`;
}

/**
 * One VEVENT for one session. SEQUENCE is the session's version, so each change supersedes the last;
 * METHOD:CANCEL with STATUS:CANCELLED removes the entry from the registrant's calendar.
 */
export function sessionInvite(input: {
  session: Session;
  lang: Language;
  organiser: string;
  attendee: string;
  publicUrl: string;
  method: 'request' | 'cancel';
}): { filename: string; contentType: string; content: string } {
  const { session, lang } = input;
  const domain = new URL(input.publicUrl).hostname;
  const method = input.method === 'cancel' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const calendar = ical({ prodId: { company: 'Convene', product: 'forum', language: lang.toUpperCase() }, method });
  calendar.createEvent({
    id: sessionUid(session.sessionId, domain),
    sequence: session.version,
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    summary: pickText(session.title, lang),
    description: session.description ? pickText(session.description, lang) : null,
    location: session.joinUrl ?? null,
    url: session.joinUrl ?? null,
    organizer: { name: 'Forum', email: input.organiser },
    attendees: [{ email: input.attendee, rsvp: false }],
    status: input.method === 'cancel' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    timezone: null,
  });
  return {
    filename: `${session.sessionId}.ics`,
    contentType: `text/calendar; charset=UTF-8; method=${method}`,
    content: calendar.toString(),
  };
}
