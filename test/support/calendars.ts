import ICAL from 'ical.js';
import nodeIcal, { type VEvent } from 'node-ical';

/** One event as a calendar client reads it. */
export type ParsedEvent = { uid: string; sequence: number; status: string; summary: string; start: string; end: string; url?: string; location?: string; organizer: string; attendees: string[] };
export type ParsedCalendar = { method?: string; events: ParsedEvent[] };

const mailbox = (value: unknown) => String(value ?? '').replace(/^mailto:/i, '').toLowerCase();

/** Reads a calendar file with Mozilla's ical.js (Thunderbird's parser). */
export function readWithIcalJs(text: string): ParsedCalendar {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const method = calendar.getFirstPropertyValue('method');
  return {
    ...(method ? { method: String(method) } : {}),
    events: calendar.getAllSubcomponents('vevent').map((event) => {
      const url = event.getFirstPropertyValue('url');
      const location = event.getFirstPropertyValue('location');
      return {
        uid: String(event.getFirstPropertyValue('uid')),
        sequence: Number(event.getFirstPropertyValue('sequence')),
        status: String(event.getFirstPropertyValue('status')),
        summary: String(event.getFirstPropertyValue('summary')),
        start: (event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate().toISOString(),
        end: (event.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate().toISOString(),
        ...(url ? { url: String(url) } : {}),
        ...(location ? { location: String(location) } : {}),
        organizer: mailbox(event.getFirstPropertyValue('organizer')),
        attendees: event.getAllProperties('attendee').map((p) => mailbox(p.getFirstValue())),
      };
    }),
  };
}

/** Reads a calendar file with node-ical, a parser of its own (not built on ical.js). */
export function readWithNodeIcal(text: string): ParsedCalendar {
  const parsed = nodeIcal.sync.parseICS(text);
  const calendar = Object.values(parsed).find((c) => c?.type === 'VCALENDAR') as { method?: string } | undefined;
  const value = (v: unknown) => (v && typeof v === 'object' && 'val' in v ? (v as { val: unknown }).val : v);
  const events = Object.values(parsed)
    .filter((c): c is VEvent => c?.type === 'VEVENT')
    .map((event) => {
      const attendees = [event.attendee ?? []].flat();
      const e = event as unknown as Record<string, unknown>;
      return {
        uid: event.uid,
        sequence: Number(event.sequence),
        status: String(event.status),
        summary: String(value(event.summary)),
        start: new Date(event.start as Date).toISOString(),
        end: new Date(event.end as Date).toISOString(),
        ...(e.url ? { url: String(value(e.url)) } : {}),
        ...(event.location ? { location: String(value(event.location)) } : {}),
        organizer: mailbox(value(event.organizer)),
        attendees: attendees.map((a) => mailbox(value(a))),
      };
    });
  return { ...(calendar?.method ? { method: String(calendar.method) } : {}), events };
}

/** Reads a calendar file with both parsers and returns what they agree on (it fails the test when they differ). */
export function readCalendar(text: string): ParsedCalendar {
  const a = readWithIcalJs(text);
  const b = readWithNodeIcal(text);
  const sorted = (c: ParsedCalendar) => ({ ...c, events: [...c.events].sort((x, y) => (x.uid < y.uid ? -1 : 1)) });
  if (JSON.stringify(sorted(a)) !== JSON.stringify(sorted(b))) throw new Error(`the two parsers read the calendar differently:\nical.js:   ${JSON.stringify(sorted(a))}\nnode-ical: ${JSON.stringify(sorted(b))}`);
  return a;
}
