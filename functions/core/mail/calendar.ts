import ical, { ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
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

/** One invitation (iTIP message, RFC 5546) as a mail carries it: see mime.ts for how. */
export type CalendarFile = { filename: string; method: 'REQUEST' | 'CANCEL'; content: string };

/** Who the forum is in a calendar: the sender's display name and address (ORGANIZER). */
export type Organiser = { name: string; email: string };

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence; continuation lines
 * start with one space.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/**
 * A display name as a CN parameter value: RFC 5545 quotes it but has no escape inside quotes, so a `"` in
 * a registrant's name would end the value and let the rest pose as parameters (RSVP=TRUE…); it becomes ’.
 */
const commonName = (name: string) => name.replace(/"/g, '’').replace(/[\p{Cc}]+/gu, ' ');

/**
 * Adds one session as a VEVENT: stable UID, SEQUENCE and DTSTAMP from the change it describes, the title
 * and description in the registrant's language, the join link as LOCATION (TEXT, escaped) and as URL.
 * ical-generator escapes URL values as TEXT (`\;`, `\,`), which RFC 5545 §3.3.13 does not allow for a
 * URI and which ical.js then reads as part of the link; so URL is written by `withUrls` instead.
 */
function addSession(
  calendar: ICalCalendar,
  input: { session: Session; lang: Language; organiser: Organiser; publicUrl: string; at: Date; cancelled: boolean; attendee?: { email: string; name: string } },
): void {
  const { session, lang } = input;
  calendar.createEvent({
    id: sessionUid(session.sessionId, new URL(input.publicUrl).hostname),
    sequence: calendarSequence(input.at),
    stamp: input.at,
    start: new Date(session.startsAt),
    end: new Date(session.endsAt),
    summary: pickText(session.title, lang),
    description: session.description ? pickText(session.description, lang) : null,
    location: session.joinUrl ?? null,
    organizer: { name: commonName(input.organiser.name), email: input.organiser.email },
    attendees: input.attendee ? [{ email: input.attendee.email, name: commonName(input.attendee.name), rsvp: false }] : [],
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    timezone: null,
  });
}

/** The calendar's text with each session's URL line (unescaped, folded) and the final CRLF RFC 5545 requires. */
function withUrls(calendar: ICalCalendar, sessions: readonly Session[]): string {
  let index = 0;
  const text = calendar.toString().replace(/\r\nEND:VEVENT/g, () => {
    const url = sessions[index++]?.joinUrl;
    return `${url ? `\r\n${foldLine(`URL;VALUE=URI:${url}`)}` : ''}\r\nEND:VEVENT`;
  });
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/**
 * One invitation for one session and one recipient (RFC 5546 iTIP): METHOD:REQUEST adds or moves the
 * entry, METHOD:CANCEL with STATUS:CANCELLED removes it. ORGANIZER is the forum (its display name) and the
 * recipient is the one ATTENDEE in both: RFC 5546 §3.2.2 and §3.2.5 require ORGANIZER and ATTENDEE in a
 * REQUEST and a CANCEL, and Outlook and Thunderbird act on an invitation only for an address it names.
 * RSVP=FALSE: the forum does not collect replies by mail (a seat is managed on the manage page).
 */
export function sessionInvite(input: {
  session: Session;
  lang: Language;
  organiser: Organiser;
  attendee: { email: string; name: string };
  publicUrl: string;
  method: 'request' | 'cancel';
  /** When the change this file describes happened: its SEQUENCE and DTSTAMP. */
  at: Date;
}): CalendarFile {
  const method = input.method === 'cancel' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST;
  const calendar = ical({ prodId: { company: 'Convene', product: 'forum', language: input.lang.toUpperCase() }, method });
  addSession(calendar, { ...input, cancelled: input.method === 'cancel' });
  return { filename: `${input.session.sessionId}.ics`, method, content: withUrls(calendar, [input.session]) };
}

/**
 * A subscription feed of one registrant's sessions (RFC 5545 with no METHOD: a published calendar, not an
 * iTIP message, so clients replace their copy on each refresh instead of treating it as invitations).
 * Cancelled sessions stay as STATUS:CANCELLED. REFRESH-INTERVAL (RFC 7986 §5.7) and X-PUBLISHED-TTL (its
 * Outlook and Apple predecessor), both written by ical-generator's `ttl`, ask for an hourly refresh;
 * clients set their own floor.
 */
export function personalFeed(input: { name: string; lang: Language; organiser: Organiser; publicUrl: string; entries: Array<{ session: Session; at: Date; cancelled: boolean }> }): string {
  const calendar = ical({ prodId: { company: 'Convene', product: 'forum', language: input.lang.toUpperCase() }, name: input.name, ttl: 3600 });
  for (const entry of input.entries) addSession(calendar, { session: entry.session, lang: input.lang, organiser: input.organiser, publicUrl: input.publicUrl, at: entry.at, cancelled: entry.cancelled });
  return withUrls(calendar, input.entries.map((entry) => entry.session));
}
