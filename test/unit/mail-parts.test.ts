import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { inMemorySession } from '../../functions/core/in-memory-session.ts';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { fillTemplate } from '../../functions/core/mail/bulk-mailer.ts';
import { foldLine, sessionInvite } from '../../functions/core/mail/calendar.ts';
import { senderName } from '../../functions/core/mail/mailer.ts';
import { composeMime } from '../../functions/core/mail/mime.ts';
import { SesBulkMailer } from '../../functions/core/mail/ses-bulk-mailer.ts';
import { entryRefusal } from '../../functions/core/mail/ses-personal-mailer.ts';
import type { Session } from '../../functions/core/model.ts';
import { readCalendar } from '../support/calendars.ts';

const session = (id: string): Session =>
  inMemorySession({ sessionId: id, title: { en: 'Open data; open minds, Q&A', ar: 'البيانات المفتوحة' }, startsAt: '2027-02-01T09:00:00Z', endsAt: '2027-02-01T10:00:00Z', joinUrl: 'https://meet.example.org/j/123?pwd=a;b,c&x=1' });
const invite = (id: string, method: 'request' | 'cancel' = 'request') =>
  sessionInvite({ session: session(id), lang: 'ar', organiser: { name: 'المنتدى الافتراضي', email: 'forum@example.org' }, attendee: { email: 'layla@example.org', name: 'ليلى' }, publicUrl: 'https://forum.example.org', method, at: new Date('2027-01-10T08:00:00Z') });
const mail = { to: 'layla@example.org', lang: 'ar' as const, subject: 'تأكيد', html: '<p>مرحبا</p>', text: 'مرحبا' };

describe('an invitation as calendar clients read it', () => {
  it('names the forum as ORGANIZER and the recipient as ATTENDEE, keeps the join link whole, ends in CRLF', () => {
    const file = invite('s1');
    const [event] = readCalendar(file.content).events;
    expect(readCalendar(file.content).method).toBe('REQUEST');
    expect(event).toMatchObject({ organizer: 'forum@example.org', attendees: ['layla@example.org'], url: 'https://meet.example.org/j/123?pwd=a;b,c&x=1', status: 'CONFIRMED', summary: 'البيانات المفتوحة' });
    expect(file.content).toContain('URL;VALUE=URI:https://meet.example.org/j/123?pwd=a;b,c&x=1\r\n');
    expect(file.content.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(readCalendar(invite('s1', 'cancel').content).events[0]!.status).toBe('CANCELLED');
  });

  it('keeps a quote in a name from posing as parameters of ATTENDEE', () => {
    const file = sessionInvite({ session: session('s1'), lang: 'en', organiser: { name: 'Forum "2027"', email: 'forum@example.org' }, attendee: { email: 'eve@example.org', name: 'Eve";RSVP=TRUE;PARTSTAT=ACCEPTED;X="' }, publicUrl: 'https://forum.example.org', method: 'request', at: new Date() });
    const attendee = new ICAL.Component(ICAL.parse(file.content)).getFirstSubcomponent('vevent')!.getFirstProperty('attendee')!;
    expect(attendee.getParameter('rsvp')).toBe('FALSE');
    expect(attendee.getParameter('partstat')).toBeUndefined();
    expect(attendee.getParameter('cn')).toBe('Eve’;RSVP=TRUE;PARTSTAT=ACCEPTED;X=’');
    expect(readCalendar(file.content).events[0]!.attendees).toEqual(['eve@example.org']);
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const folded = foldLine(`URL;VALUE=URI:https://x.example.org/${'a'.repeat(200)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const arabic = foldLine(`SUMMARY:${'ب'.repeat(100)}`);
    expect(arabic.split('\r\n ').join('')).toBe(`SUMMARY:${'ب'.repeat(100)}`);
    for (const line of arabic.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });
});

describe('the MIME message (read back by mailparser)', () => {
  it('carries one session as the text/calendar part with its method, and the same file as invite.ics', async () => {
    const raw = await composeMime({ ...mail, calendar: [invite('s1')] }, { name: 'المنتدى الافتراضي', address: 'forum@example.org' });
    const parsed = await simpleParser(raw);
    const calendar = parsed.attachments.find((a) => a.contentType === 'text/calendar')!;
    const type = calendar.headers.get('content-type') as { params: Record<string, string> };
    expect(type.params).toMatchObject({ method: 'REQUEST', charset: 'utf-8' });
    expect(parsed.attachments.filter((a) => a.contentType === 'application/ics').map((a) => a.filename)).toEqual(['invite.ics']);
    expect(calendar.content.toString('utf8')).toBe(invite('s1').content);
    expect(parsed.from?.value[0]).toEqual({ address: 'forum@example.org', name: 'المنتدى الافتراضي' });
    expect(parsed.text?.trim()).toBe('مرحبا');
    // Every part declares its transfer encoding (the UTF-8 calendar too).
    expect(raw.toString('latin1').match(/Content-Transfer-Encoding: (base64|quoted-printable)/g)?.length).toBeGreaterThanOrEqual(4);
  });

  it('carries several sessions as one .ics file each and no invitation part (clients act on one event per message)', async () => {
    const raw = await composeMime({ ...mail, calendar: [invite('s1'), invite('s2')], attachments: [{ filename: 'x.csv', contentType: 'text/csv; charset=UTF-8', content: 'a,b\n' }] }, { name: 'Forum', address: 'forum@example.org' });
    const parsed = await simpleParser(raw);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['s1.ics', 'application/ics'],
      ['s2.ics', 'application/ics'],
      ['x.csv', 'text/csv'],
    ]);
  });

  it('gives the configured display name, or the forum’s name in the mail’s language', () => {
    expect(senderName({ address: 'forum@example.org', name: 'WSIS Forum 2027' }, 'ar')).toBe('WSIS Forum 2027');
    expect(senderName({ address: 'forum@example.org' }, 'fr')).not.toBe(senderName({ address: 'forum@example.org' }, 'zh'));
  });
});

describe('templates', () => {
  it('fill in one pass: organiser text that looks like a placeholder stays text', () => {
    expect(fillTemplate('{{subject}} / {{name}}', { subject: 'Workshop {{name}} {{#each x}}', name: 'Ada' })).toBe('Workshop {{name}} {{#each x}} / Ada');
    expect(fillTemplate('{{missing}}!', {})).toBe('!');
  });

  it('SendBulkEmail refuses a per-recipient invitation instead of sending one file to everyone', async () => {
    const bulk = new SesBulkMailer(new SESv2Client({ region: 'eu-central-2', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }), { address: 'forum@example.org' });
    await expect(bulk.sendBulk({ lang: 'en', template: { subject: 's', html: 'h', text: 't' }, invitation: () => invite('s1'), entries: [{ to: 'a@example.org', data: {}, invite: true }] })).rejects.toThrow(/per-destination invitation/);
  });
});

describe('a SendEmail refusal in SendBulkEmail’s terms (SesPersonalMailer)', () => {
  const sesError = (name: string, status: number) => Object.assign(new Error(`${name} said no`), { name, $metadata: { httpStatusCode: status } });
  it('is final only for SES’s verdict on the message, and never blames the recipient for the account or a fault of ours', () => {
    expect(entryRefusal(sesError('MessageRejected', 400))).toMatchObject({ retryable: false, error: expect.stringMatching(/^MESSAGE_REJECTED/) });
    expect(entryRefusal(sesError('BadRequestException', 400))).toMatchObject({ retryable: false });
    expect(entryRefusal(sesError('TooManyRequestsException', 429))).toMatchObject({ retryable: true, error: expect.stringMatching(/^ACCOUNT_THROTTLED/) });
    expect(entryRefusal(sesError('LimitExceededException', 400))).toMatchObject({ retryable: true, error: expect.stringMatching(/^ACCOUNT_DAILY_QUOTA/) });
    expect(entryRefusal(sesError('AccountSuspendedException', 400))).toMatchObject({ retryable: true, error: expect.stringMatching(/^ACCOUNT_/) });
    expect(entryRefusal(sesError('NotFoundException', 404))).toMatchObject({ retryable: true, error: expect.stringMatching(/^ACCOUNT_CONFIGURATION/) });
    expect(entryRefusal(sesError('InternalFailure', 500))).toMatchObject({ retryable: true, error: expect.stringMatching(/^TRANSIENT_FAILURE/) });
    // A bug before SES answered (no $metadata) must not count against 10,000 recipients.
    expect(entryRefusal(new TypeError('x is undefined'))).toMatchObject({ retryable: true, error: expect.stringMatching(/^ACCOUNT_INTERNAL/) });
  });
});
