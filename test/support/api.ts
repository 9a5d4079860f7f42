import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { inject } from 'vitest';
import * as z from 'zod';
import { adminClient } from '../../infra/cli/admin-client.ts';
import type { SessionInput } from '../../functions/core/model.ts';

export const apiUrl = () => inject('apiUrl');
export const inboxUrl = () => inject('inboxUrl');

export async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${apiUrl()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: response.headers };
}

export async function drain(): Promise<void> {
  const response = await fetch(`${apiUrl()}/_local/drain`, { method: 'POST', signal: AbortSignal.timeout(150_000) });
  if (!response.ok) throw new Error(`drain failed: ${response.status} ${await response.text()}`);
}

const storedMail = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  attachments: z.array(z.object({ filename: z.string().optional(), content: z.string(), contentType: z.string() })).default([]),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});
export type StoredMail = z.infer<typeof storedMail>;

/** Every mail the SES emulator received, optionally only those to one address. */
export async function mails(to?: string): Promise<StoredMail[]> {
  const response = await fetch(`${inboxUrl()}/store`);
  const all = z.object({ emails: z.array(storedMail) }).parse(await response.json()).emails;
  return to ? all.filter((mail) => mail.destination.to.some((address) => address.toLowerCase() === to.toLowerCase())) : all;
}

/**
 * The one mail to `to` whose subject contains `fragment`. Mails about changes made in quick succession
 * come from separate consumers and may arrive in any order, so tests that do not drain between the
 * changes look a mail up by subject instead of by position.
 */
export async function mailAbout(to: string, fragment: string): Promise<StoredMail> {
  const received = await mails(to);
  const found = received.filter((mail) => mail.subject.includes(fragment));
  if (found.length !== 1) throw new Error(`expected one mail to ${to} about "${fragment}", got ${found.length} in: ${received.map((m) => m.subject).join(' | ')}`);
  return found[0]!;
}

export function attachmentText(mail: StoredMail, index = 0): string {
  const attachment = mail.attachments[index];
  if (!attachment) throw new Error('no attachment');
  return Buffer.from(attachment.content, 'base64').toString('utf8');
}

let counter = 0;
/** A unique id for test data, so tests never collide in the shared runtime. */
export function uniqueId(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${randomUUID().slice(0, 6)}`;
}

/** A session in the near future; override any field. */
export function futureSession(overrides: Partial<SessionInput> = {}): SessionInput {
  const start = new Date(Date.now() + 7 * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  return {
    sessionId: uniqueId('s').toLowerCase(),
    title: { en: 'Digital inclusion workshop', fr: 'Atelier sur l’inclusion numérique', es: 'Taller de inclusión digital', ru: 'Семинар по цифровой интеграции', zh: '数字包容研讨会', ar: 'ورشة عمل حول الشمول الرقمي' },
    kind: 'thematic-workshop',
    startsAt: start.toISOString().replace('.000Z', '+00:00'),
    endsAt: new Date(start.getTime() + 90 * 60_000).toISOString().replace('.000Z', '+00:00'),
    capacity: 100,
    joinUrl: 'https://meet.example.org/room',
    ...overrides,
  };
}

export async function importSessions(...sessions: SessionInput[]): Promise<void> {
  const call = adminClient(apiUrl());
  for (const session of sessions) await call('PUT', `/admin/sessions/${session.sessionId}`, session);
}

/** A valid registration body with a unique address; override any field. */
export function registrationBody(sessionIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    name: 'Amina Diallo',
    email: `${uniqueId('amina')}@example.org`,
    organisation: 'Ministry of Digital Economy',
    stakeholderType: 'government',
    country: 'SN',
    language: 'fr',
    timeZone: 'Africa/Dakar',
    sessionIds,
    consent: true,
    ...overrides,
  };
}

export async function runSchedule(name: string, time: Date): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${apiUrl()}/_local/schedules/${name}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time: time.toISOString() }),
    signal: AbortSignal.timeout(300_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function sesFront(path: '/_front/stats' | '/_front/faults' | '/_front/account', body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${inboxUrl()}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as Record<string, unknown>;
}

/** The SEQUENCE of a calendar attachment. */
export function icsSequence(ics: string): number {
  return Number(/SEQUENCE:(\d+)/.exec(ics)?.[1] ?? Number.NaN);
}

/**
 * What a registrant learns only by mail: the manage link (the HTTP answer never carries it), and through
 * it their participant id (shown on their own manage page). Drains first, so the answer mail has gone.
 */
export async function mailedLink(email: string): Promise<{ token: string; manageUrl: string; participantId: string }> {
  await drain();
  const linked = (await mails(email)).map((mail) => /\/me\?token=([^\s"<>&]+)/.exec(mail.body.text ?? '')?.[1]).filter(Boolean);
  const token = linked.at(-1);
  if (!token) throw new Error(`no mail to ${email} carries a manage link`);
  const decoded = decodeURIComponent(token);
  const manageUrl = `${apiUrl()}/me?token=${encodeURIComponent(decoded)}`;
  const view = await fetch(manageUrl, { headers: { accept: 'application/json' } });
  if (!view.ok) throw new Error(`the mailed manage link answers ${view.status}`);
  const { participant } = z.object({ participant: z.object({ participantId: z.string() }) }).parse(await view.json());
  return { token: decoded, manageUrl, participantId: participant.participantId };
}

/** A registration answer joined with what its mail told the registrant (for tests that act as them). */
export async function answeredAndMailed<A extends Record<string, unknown>>(email: string, answer: A) {
  return { ...answer, ...(await mailedLink(email)) };
}

/** A sent message as SES received it (raw MIME), from the SES front. */
export async function rawMail(messageId: string): Promise<Buffer> {
  const response = await fetch(`${inboxUrl()}/_front/raw/${encodeURIComponent(messageId)}`);
  if (!response.ok) throw new Error(`no raw message ${messageId}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * A message's parts as mailparser (an independent MIME parser) reads them: the calendar invitation part
 * (`text/calendar` with its `method` parameter), the `.ics` attachments, and the headers.
 */
export async function mimeParts(raw: Buffer) {
  const message = await simpleParser(raw);
  const parts = message.attachments.map((a) => {
    const type = a.headers.get('content-type') as { value: string; params: Record<string, string> } | undefined;
    return { contentType: a.contentType, method: type?.params.method, charset: type?.params.charset, filename: a.filename, disposition: a.contentDisposition, text: a.content.toString('utf8') };
  });
  return {
    message,
    invitation: parts.find((p) => p.contentType === 'text/calendar'),
    icsFiles: parts.filter((p) => p.contentType === 'application/ics'),
    /** A header's value as sent (unfolded), or undefined. */
    header: (name: string) => {
      const line = message.headerLines.find((h) => h.key === name.toLowerCase())?.line;
      return line === undefined ? undefined : line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    },
  };
}

/** The calendar text of a message's invitation part (throws when it has none). */
export async function invitationOf(raw: Buffer | Promise<Buffer>): Promise<string> {
  const { invitation } = await mimeParts(await raw);
  if (!invitation) throw new Error('the message has no text/calendar part');
  return invitation.text;
}

/** The METHOD of a mail's invitation part (its Content-Type parameter), undefined when it has none. */
export async function invitationMethod(mail: StoredMail): Promise<string | undefined> {
  return (await mimeParts(await rawMail(mail.messageId))).invitation?.method;
}
