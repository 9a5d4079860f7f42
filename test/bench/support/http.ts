import * as z from 'zod';
import { adminClient } from '../../../infra/cli/admin-client.ts';
import type { SessionInput } from '../../../functions/core/model.ts';
import { urls } from './config.ts';
import { sleep } from './stats.ts';

/** POST /registrations (JSON), timed in this process. */
export async function postRegistration(body: unknown): Promise<{ status: number; body: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${urls.api}/registrations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text, ms: performance.now() - started };
}

/** Waits until the runtime has no pending event, stream record or invocation. */
export async function drain(): Promise<void> {
  const response = await fetch(`${urls.api}/_local/drain`, { method: 'POST', signal: AbortSignal.timeout(300_000) });
  if (!response.ok) throw new Error(`drain failed: ${response.status} ${await response.text()}`);
}

export async function runSchedule(name: string, time: Date, options: { drain?: boolean } = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${urls.api}/_local/schedules/${name}/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ time: time.toISOString(), drain: options.drain ?? true }),
    signal: AbortSignal.timeout(300_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`schedule ${name} failed: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

const frontStats = z.object({ bulkCalls: z.number(), bulkEntries: z.number(), sendCalls: z.number() });
export async function sesFrontStats(): Promise<z.infer<typeof frontStats>> {
  return frontStats.parse(await (await fetch(`${urls.ses}/_front/stats`)).json());
}

/** The SES account the front plays (GET), or a change of it (POST, partial). */
export async function sesAccount(change?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${urls.ses}/_front/account`, change ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) } : {});
  if (!response.ok) throw new Error(`/_front/account: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Empties the SES emulator's store, so the mail of earlier runs does not pile up in the runtime's memory. */
export async function clearMailStore(): Promise<void> {
  const response = await fetch(`${urls.sesEmulator}/clear-store`, { method: 'POST' });
  if (!response.ok) throw new Error(`clear-store failed: ${response.status}`);
}

const storedMail = z.object({ messageId: z.string(), destination: z.object({ to: z.array(z.string()) }), at: z.number() });
export type StoredMailHeader = z.infer<typeof storedMail>;
/** Mail stored at or after `sinceSeconds` (epoch seconds, the emulator's own filter). */
export async function mailSince(sinceSeconds: number): Promise<StoredMailHeader[]> {
  const response = await fetch(`${urls.sesEmulator}/store?since=${Math.floor(sinceSeconds)}`);
  return z.object({ emails: z.array(storedMail) }).parse(await response.json()).emails;
}

/**
 * Polls the emulator's store every `pollMs` and hands each stored mail to `onMail` (a mail may be seen
 * twice: the store's `since` is in whole seconds, so each poll re-reads from one second before the
 * previous one began). `stop()` ends the polling after the poll in progress.
 */
export function watchMail(onMail: (mail: StoredMailHeader) => void, pollMs: number): { stop(): Promise<void> } {
  let polling = true;
  let cursor = Math.floor(Date.now() / 1000) - 1;
  const poller = (async () => {
    while (polling) {
      const pollStarted = Date.now();
      for (const mail of await mailSince(cursor)) onMail(mail);
      cursor = Math.floor(pollStarted / 1000) - 1;
      await sleep(pollMs);
    }
  })();
  return {
    stop: async () => {
      polling = false;
      await poller;
    },
  };
}

const admin = adminClient(urls.api);
/** PUT /admin/sessions/{id} through the SigV4-signed admin client. */
export async function createSession(session: SessionInput): Promise<void> {
  await admin('PUT', `/admin/sessions/${session.sessionId}`, session);
}

const rescheduled = z.object({ changed: z.boolean(), version: z.number(), session: z.record(z.string(), z.unknown()) });
export async function rescheduleSession(sessionId: string, startsAt: string, endsAt: string): Promise<z.infer<typeof rescheduled>> {
  const { body } = await admin('POST', `/admin/sessions/${sessionId}/reschedule`, { startsAt, endsAt });
  return rescheduled.parse(body);
}

let counter = 0;
/** A unique lowercase id (sessions, addresses) that never collides within or across bench runs. */
export function uniqueId(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

const titles = { en: 'Digital inclusion workshop', fr: 'Atelier sur l’inclusion numérique', es: 'Taller de inclusión digital', ru: 'Семинар по цифровой интеграции', zh: '数字包容研讨会', ar: 'ورشة عمل حول الشمول الرقمي' };
const iso = (at: Date) => at.toISOString().replace('.000Z', '+00:00');

/** A session `daysAhead` days from now, on the hour, 90 minutes long (as test/support/api.ts futureSession). */
export function benchSession(overrides: Partial<SessionInput> & { daysAhead?: number } = {}): SessionInput {
  const { daysAhead = 7, ...rest } = overrides;
  const start = new Date(Date.now() + daysAhead * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  return {
    sessionId: uniqueId('bench').toLowerCase(),
    title: titles,
    kind: 'thematic-workshop',
    startsAt: iso(start),
    endsAt: iso(new Date(start.getTime() + 90 * 60_000)),
    capacity: 100_000,
    joinUrl: 'https://meet.example.org/room',
    ...rest,
  };
}

/** A valid registration body, as test/support/api.ts registrationBody builds it, to a fresh address. */
export function registrationBody(sessionIds: string[], email = `${uniqueId('amina')}@example.org`) {
  return {
    name: 'Amina Diallo',
    email,
    organisation: 'Ministry of Digital Economy',
    stakeholderType: 'government',
    country: 'SN',
    language: 'fr',
    timeZone: 'Africa/Dakar',
    sessionIds,
    consent: true,
  };
}
