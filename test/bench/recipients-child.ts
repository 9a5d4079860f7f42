/**
 * Diagnosis of the fan-out's recipient build, in a fresh process: recipientsOf (as sendDueNotices calls
 * it) for `count` participants in six languages, with the notice's per-recipient times either formatted
 * as Convene does (timeIn: formatRange + zoneLabel, a new Intl.DateTimeFormat per call) or replaced by
 * constant strings. Reports CPU time and RSS growth of that synchronous loop.
 * Args: count, variant (intl | constant). Prints its result line.
 */
import { randomUUID } from 'node:crypto';
import { recipientsOf } from '../../functions/delivery/recipients.ts';
import { languages, type Language, type Participant } from '../../functions/core/model.ts';
import type { StoredRegistration } from '../../functions/core/model.ts';
import { createTokenSigner } from '../../functions/identity/tokens.ts';
import { emitResult } from './support/child.ts';
import { BENCH_TOKEN_SECRET, FORUM_TIME_ZONE } from './support/config.ts';
import { timeIn } from './support/fanout-plan.ts';

const count = Number(process.argv[2] ?? 3000);
const variant = process.argv[3] === 'constant' ? 'constant' : 'intl';
const zones: Record<Language, string> = { ar: 'Asia/Riyadh', en: 'America/New_York', es: 'America/Bogota', fr: 'Africa/Dakar', ru: 'Europe/Moscow', zh: 'Asia/Shanghai' };

const participants = new Map<string, Participant>();
const registrations: StoredRegistration[] = [];
for (let i = 0; i < count; i++) {
  const language = languages[i % languages.length]!;
  const participant: Participant = { participantId: randomUUID(), name: `Registrant ${i}`, email: `r${i}@example.org`, organisation: 'Seeded organisation', stakeholderType: 'academia', country: 'CH', language, timeZone: zones[language], createdAt: '2026-01-01T00:00:00Z' };
  participants.set(participant.participantId, participant);
  registrations.push({ participantId: participant.participantId, sessionId: 'diagnosis', status: 'confirmed', registeredAt: participant.createdAt, updatedAt: participant.createdAt });
}
const time = (a: string, b: string, zone: string, lang: Language) => (variant === 'intl' ? timeIn(a, b, zone, lang) : 'Mon 7 Dec 2026, 14:00–15:30 (CET)');
const [oldStart, oldEnd, newStart, newEnd] = ['2026-12-07T13:00:00Z', '2026-12-07T14:30:00Z', '2026-12-07T14:00:00Z', '2026-12-07T15:30:00Z'];

const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const recipients = recipientsOf({
  reached: new Set(),
  registrations,
  participants,
  statuses: new Set(['confirmed']),
  tokens: createTokenSigner(BENCH_TOKEN_SECRET),
  publicUrl: 'http://127.0.0.1:3300',
  tokenExpiresAt: new Date(Date.now() + 180 * 86_400_000),
  extra: (p) => ({ data: { oldTime: time(oldStart, oldEnd, p.timeZone, p.language), newTime: time(newStart, newEnd, p.timeZone, p.language), forumTime: time(newStart, newEnd, FORUM_TIME_ZONE, p.language) } }),
});
const ms = performance.now() - started;
emitResult({ variant, count: recipients.length, ms, rssGrowthMb: (process.memoryUsage().rss - rssBefore) / 1048576, maxRssMb: process.resourceUsage().maxRSS / 1024 });
