import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { recipientsOf } from '../../functions/delivery/recipients.ts';
import { languages, type Language, type Participant, type Session } from '../../functions/core/model.ts';
import { visibleDifferences, visibleState, type PendingNotice } from '../../functions/programme/change-session.ts';
import { noticeContent, noticeLetters } from '../../functions/programme/send-notices.ts';
import type { StoredRegistration } from '../../functions/core/model.ts';
import { createTokenSigner } from '../../functions/identity/tokens.ts';
import { runChild } from './support/child.ts';
import { BENCH_TOKEN_SECRET, FORUM_TIME_ZONE, MAIL_FROM, resultsDir, urls } from './support/config.ts';
import { addSeatsTaken, batchWriteAll, benchDocumentClient } from './support/dynamo.ts';
import { confirmedRegistrantItems } from '../support/registrants.ts';
import type { BulkPlan } from './support/fanout-plan.ts';
import { benchSession, clearMailStore, createSession, drain, rescheduleSession, sesFrontStats } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { round, summarize } from './support/stats.ts';

export type FanOutOptions = { runs: number; registrants: number; progress: (line: string) => void };

/**
 * Writes `count` confirmed registrants of a session straight into the table (confirmedRegistrantItems, as
 * test/support/seed.ts does), and sets the session's seat counter to match.
 */
export async function seedRegistrants(sessionId: string, count: number): Promise<Participant[]> {
  const client = benchDocumentClient();
  const { participants, items } = confirmedRegistrantItems(sessionId, count, { registeredAt: new Date(Date.now() - 86_400_000), emailPrefix: 'fanout' });
  await batchWriteAll(client, items);
  await addSeatsTaken(client, sessionId, count);
  return participants;
}

/**
 * The messages Convene's fan-out sends for this notice, prepared ahead for the bare loop: the same
 * recipients (recipientsOf, in the order the session query returns them), the same per-recipient data
 * (noticeLetters) and signed links, the same per-language template (noticeContent); the loop makes each
 * recipient's invitation as the notice does.
 */
export function bulkPlan(session: Session, notice: PendingNotice, participants: readonly Participant[], now: Date): BulkPlan {
  const byId = new Map(participants.map((p) => [p.participantId, p]));
  const registrations: StoredRegistration[] = [...participants]
    .sort((a, b) => (a.participantId < b.participantId ? -1 : 1))
    .map((p) => ({ participantId: p.participantId, sessionId: session.sessionId, status: 'confirmed', registeredAt: p.createdAt, updatedAt: p.createdAt }));
  const context = { from: MAIL_FROM, publicUrl: urls.api, forumTimeZone: FORUM_TIME_ZONE };
  const changes = visibleDifferences(notice.baseline, visibleState(session));
  const letter = noticeLetters(session, notice, changes, context);
  const recipients = recipientsOf({
    reached: new Set(),
    registrations,
    participants: byId,
    statuses: new Set(['confirmed', 'offered', 'waitlisted']),
    tokens: createTokenSigner(BENCH_TOKEN_SECRET),
    publicUrl: urls.api,
    tokenExpiresAt: new Date(Date.now() + 180 * 86_400_000),
    extra: (participant) => ({ data: letter(participant.language, participant.timeZone, { seat: true, sawBefore: true }), invite: true }),
  });
  const groups = new Map<Language, BulkPlan['groups'][number]>();
  for (const recipient of recipients) {
    let group = groups.get(recipient.language);
    if (!group) {
      const content = noticeContent(recipient.language, session, context, now);
      // Tagged as fanOut tags them: kind and session for the call, the participant per destination.
      group = { language: recipient.language, template: content.template, tags: { ...content.tags, kind: 'notice', session: session.sessionId }, entries: [] };
      groups.set(recipient.language, group);
    }
    group.entries.push({ to: recipient.email, data: recipient.data, tags: { participant: recipient.participantId } });
  }
  return { session, at: now.toISOString(), groups: [...groups.values()] };
}

const conveneResult = z.object({
  wallMs: z.number(),
  readUnits: z.number(),
  maxRssMb: z.number(),
  notices: z.number(),
  sent: z.number(),
  calls: z.number(),
  failed: z.number(),
  phasesMs: z.record(z.string(), z.number()),
  attributionMs: z.object({ sendingMs: z.number(), bookkeepingOnlyMs: z.number(), readsOnlyMs: z.number(), noPortCallMs: z.number() }),
  memory: z.object({ rssMb: z.number(), heapUsedMb: z.number(), heapTotalMb: z.number(), externalMb: z.number(), arrayBuffersMb: z.number(), rssPeakDuring: z.string() }),
});
const baselineResult = z.object({ wallMs: z.number(), calls: z.number(), failed: z.number(), maxRssMb: z.number() });
type ConveneRun = z.infer<typeof conveneResult> & { bulkCalls: number };

/**
 * Fan-out of one session change to `registrants` registrants in six languages: Convene's sendDueNotices in
 * a fresh process (metered reads, peak RSS, its paced calls of up to 50 SendEmails, checked against the
 * SES front's count) versus a bare loop sending the same messages in a fresh process. Every run reschedules the session first, so
 * there is a new notice to send; the mail store is cleared after each side.
 */
export async function fanOutBenchmark(options: FanOutOptions): Promise<BenchmarkResult[]> {
  const input = benchSession({ daysAhead: 21, capacity: 100_000 });
  await createSession(input);
  const seedStarted = performance.now();
  const participants = await seedRegistrants(input.sessionId, options.registrants);
  await drain();
  options.progress(`fan-out: seeded ${options.registrants} registrants in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const planFile = path.join(resultsDir, 'fanout-plan.json');
  const convene: ConveneRun[] = [];
  const bare: Array<z.infer<typeof baselineResult>> = [];
  const ratios: number[] = [];
  let previous = { startsAt: input.startsAt, endsAt: input.endsAt };
  for (let run = 0; run < options.runs; run++) {
    // A different time each run: a new version, so a new notice (and job key) to send.
    const startsAt = new Date(Date.parse(input.startsAt) + (run + 1) * 3_600_000).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + 90 * 60_000).toISOString();
    const changed = await rescheduleSession(input.sessionId, startsAt, endsAt);
    await drain();
    const session = changed.session as unknown as Session;
    const baselineState = visibleState({ ...session, startsAt: previous.startsAt, endsAt: previous.endsAt });
    previous = { startsAt, endsAt };
    // The notice is due after the quiet period (NOTICE_QUIET_MINUTES, 10): run as of 11 minutes from now.
    const now = new Date(Date.now() + 11 * 60_000);
    const notice: PendingNotice = { sessionId: input.sessionId, baseline: baselineState, version: changed.version, dueAt: now.toISOString() };
    writeFileSync(planFile, JSON.stringify(bulkPlan(session, notice, participants, now)));

    const order = run % 2 === 0 ? (['convene', 'bare'] as const) : (['bare', 'convene'] as const);
    let conveneRun: ConveneRun | undefined;
    let bareRun: z.infer<typeof baselineResult> | undefined;
    for (const side of order) {
      if (side === 'convene') {
        const before = await sesFrontStats();
        const out = await runChild('fanout-child.ts', [now.toISOString()], conveneResult, { log: 'fanout-child' });
        const after = await sesFrontStats();
        // One SendEmail per recipient (each invitation names its recipient), in paced calls of up to 50.
        if (after.sendCalls - before.sendCalls < out.sent) throw new Error(`the SES front saw ${after.sendCalls - before.sendCalls} SendEmails for ${out.sent} recipients`);
        conveneRun = { ...out, bulkCalls: out.calls };
        options.progress(`fan-out run ${run + 1}/${options.runs} convene: ${out.sent} sent in ${(out.wallMs / 1000).toFixed(1)} s, ${conveneRun.bulkCalls} paced calls of up to 50 SendEmails, ${out.readUnits} read units, peak RSS ${out.maxRssMb.toFixed(0)} MB`);
      } else {
        bareRun = await runChild('fanout-baseline-child.ts', [planFile], baselineResult, { log: 'fanout-baseline' });
        options.progress(`fan-out run ${run + 1}/${options.runs} bare loop: ${bareRun.calls} calls in ${(bareRun.wallMs / 1000).toFixed(1)} s`);
      }
      await clearMailStore();
      await drain();
    }
    convene.push(conveneRun!);
    bare.push(bareRun!);
    ratios.push(conveneRun!.wallMs / bareRun!.wallMs);
  }

  const n = options.registrants;
  const phaseNames = [...new Set(convene.flatMap((r) => Object.keys(r.phasesMs)))];
  const figures = {
    registrants: n,
    languages: languages.length,
    recipientsSent: summarize(convene.map((r) => r.sent), 0),
    failed: convene.reduce((sum, r) => sum + r.failed, 0),
    sendBulkEmailCalls: summarize(convene.map((r) => r.bulkCalls), 0),
    callsPerRecipient: summarize(convene.map((r) => r.bulkCalls / r.sent), 5),
    callsPerRecipientLimit: round(1 / 50 + 6 / n, 5),
    readUnits: summarize(convene.map((r) => r.readUnits), 1),
    readUnitsPerRecipient: summarize(convene.map((r) => r.readUnits / r.sent), 4),
    conveneWallSeconds: summarize(convene.map((r) => r.wallMs / 1000), 2),
    bareLoopWallSeconds: summarize(bare.map((r) => r.wallMs / 1000), 2),
    wallTimeRatio: summarize(ratios),
    peakRssMb: summarize(convene.map((r) => r.maxRssMb), 0),
    bareLoopPeakRssMb: summarize(bare.map((r) => r.maxRssMb), 0),
    // Busy time inside each port (calls may overlap one another).
    portBusySeconds: Object.fromEntries(phaseNames.map((name) => [name, summarize(convene.map((r) => (r.phasesMs[name] ?? 0) / 1000), 2)])),
    // The wall time split without overlap: sending, else bookkeeping writes only, else reads only, else no port call.
    wallSecondsBy: {
      sending: summarize(convene.map((r) => r.attributionMs.sendingMs / 1000), 2),
      bookkeepingOnly: summarize(convene.map((r) => r.attributionMs.bookkeepingOnlyMs / 1000), 2),
      readsOnly: summarize(convene.map((r) => r.attributionMs.readsOnlyMs / 1000), 2),
      noPortCall: summarize(convene.map((r) => r.attributionMs.noPortCallMs / 1000), 2),
    },
  };
  const notes = [
    `${n} confirmed registrants seeded directly (six languages round robin); ${options.runs} runs, each after a reschedule through the admin API, run as of 11 minutes later (past the 10-minute quiet period).`,
    'Both sides run in fresh Node processes started through tsx (as the local runtime runs handlers); wall time excludes process start and module loading, peak RSS (process.resourceUsage().maxRSS) includes them.',
    'A notice is one SendEmail (raw MIME) per recipient, since its invitation names the recipient as ATTENDEE; Convene groups them in paced calls of up to 50 (callsPerRecipient), and the SES front (GET /_front/stats) confirms one SendEmail per recipient. The bare loop sends the same messages 50 at a time, unpaced, without progress records or retries.',
    'portBusySeconds: time inside each port of sendDueNotices (calls may overlap); wallSecondsBy: the wall time split without double counting into sending (a call of SendEmails in flight), bookkeepingOnly (only progress writes in flight), readsOnly and noPortCall (CPU: recipients, links, templates).',
  ];
  const memoryFigures = {
    ...figures,
    heapUsedPeakMb: summarize(convene.map((r) => r.memory.heapUsedMb), 0),
    heapTotalPeakMb: summarize(convene.map((r) => r.memory.heapTotalMb), 0),
    externalPeakMb: summarize(convene.map((r) => r.memory.externalMb), 0),
    rssPeakDuring: convene.map((r) => r.memory.rssPeakDuring),
  };
  // The recipient-build diagnosis runs once, only if a goal it explains was missed.
  let diagnosis: Promise<RecipientDiagnosis> | undefined;
  const diagnose = () => (diagnosis ??= diagnoseRecipients(n, options.progress));
  return Promise.all([
    result({ name: 'fan-out: paced calls per recipient', figures, goal: { metric: 'callsPerRecipient', op: '<=', value: figures.callsPerRecipientLimit }, notes }),
    result({
      name: 'fan-out: wall time vs bare loop',
      figures,
      goal: { metric: 'wallTimeRatio', op: '<=', value: 1.5 },
      notes,
      analysis: async () =>
        fanOutAnalysis(figures, figures.wallSecondsBy.noPortCall.median > 0.15 * figures.conveneWallSeconds.median ? await diagnose() : undefined),
    }),
    result({
      name: 'fan-out: peak RSS',
      figures: memoryFigures,
      goal: { metric: 'peakRssMb', op: '<=', value: 512 },
      notes: [...notes, 'Peaks of heap, heap total and external memory are sampled every 20 ms inside the child; rssPeakDuring names the port call running at each run\'s RSS peak.'],
      analysis: async () => rssAnalysis(memoryFigures, await diagnose()),
    }),
  ]);
}

const diagnosisResult = z.object({ variant: z.string(), count: z.number(), ms: z.number(), rssGrowthMb: z.number(), maxRssMb: z.number() });
type RecipientDiagnosis = { intl: z.infer<typeof diagnosisResult>; constant: z.infer<typeof diagnosisResult> };

/** recipientsOf for `count` recipients with Convene's time formatting and with constant strings, each in a fresh process. */
async function diagnoseRecipients(count: number, progress: (line: string) => void): Promise<RecipientDiagnosis> {
  const intl = await runChild('recipients-child.ts', [String(count), 'intl'], diagnosisResult, { log: 'recipients-child' });
  const constant = await runChild('recipients-child.ts', [String(count), 'constant'], diagnosisResult, { log: 'recipients-child' });
  progress(`fan-out analysis: building ${count} recipients took ${(intl.ms / 1000).toFixed(1)} s (+${intl.rssGrowthMb.toFixed(0)} MB RSS) with Intl formatting, ${(constant.ms / 1000).toFixed(1)} s (+${constant.rssGrowthMb.toFixed(0)} MB) without`);
  return { intl, constant };
}

const describeDiagnosis = (d: RecipientDiagnosis) =>
  `Building the ${d.intl.count} recipients alone (test/bench/recipients-child.ts: recipientsOf in one synchronous loop) takes ${(d.intl.ms / 1000).toFixed(1)} s and +${d.intl.rssGrowthMb.toFixed(0)} MB RSS with Convene's time lines (formatRange and zoneLabel, 6 per recipient), against ${(d.constant.ms / 1000).toFixed(2)} s and +${d.constant.rssGrowthMb.toFixed(0)} MB with constant strings.`;

function rssAnalysis(f: { peakRssMb: { median: number; runs: number[] }; heapUsedPeakMb: { median: number }; heapTotalPeakMb: { median: number }; externalPeakMb: { median: number }; rssPeakDuring: string[] }, d: RecipientDiagnosis): string {
  return `Peak RSS ${f.peakRssMb.median} MB (runs ${f.peakRssMb.runs.join(', ')}) while the JS heap peaked at ${f.heapUsedPeakMb.median} MB used / ${f.heapTotalPeakMb.median} MB committed and external buffers at ${f.externalPeakMb.median} MB: the rest is native memory, reached during ${[...new Set(f.rssPeakDuring)].join(', ')}. ${describeDiagnosis(d)}`;
}

/** Where Convene's extra time went, from the child's interval accounting. */
function fanOutAnalysis(
  f: { conveneWallSeconds: { median: number }; bareLoopWallSeconds: { median: number }; portBusySeconds: Record<string, { median: number }>; wallSecondsBy: Record<'sending' | 'bookkeepingOnly' | 'readsOnly' | 'noPortCall', { median: number }> },
  d: RecipientDiagnosis | undefined,
): string {
  const by = f.wallSecondsBy;
  const busy = (name: string) => (f.portBusySeconds[name]?.median ?? 0).toFixed(1);
  return [
    `Convene took ${f.conveneWallSeconds.median.toFixed(1)} s against ${f.bareLoopWallSeconds.median.toFixed(1)} s for the bare loop.`,
    `Of its wall time, a call of SendEmails was in flight ${by.sending.median.toFixed(1)} s; only bookkeeping writes were in flight ${by.bookkeepingOnly.median.toFixed(1)} s (the sending waited for them: progress.markSent, one PutItem per call listing its recipients and message ids, busy ${busy('progress.markSent')} s);`,
    `only reads ${by.readsOnly.median.toFixed(1)} s (participants.getParticipants ${busy('participants.getParticipants')} s, lifecycle.sessionRegistrationPages ${busy('lifecycle.sessionRegistrationPages')} s, progress.reached ${busy('progress.reached')} s); no port call ${by.noPortCall.median.toFixed(1)} s (recipients, signed links, templates).`,
    `Sending alone took ${(by.sending.median / f.bareLoopWallSeconds.median).toFixed(1)}× the bare loop's time for the same calls: the writes that overlap it load the same 2 cores (DynamoDB Local, and the runtime process that hosts the SES front and reads the table's stream).`,
    ...(d ? [describeDiagnosis(d)] : []),
  ].join(' ');
}
