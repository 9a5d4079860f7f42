import { createHash, randomUUID } from 'node:crypto';
import { BatchGetCommand, GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RegistrationConfirmed } from '../../events/index.ts';
import type { Language, Participant, Registration, SessionInput } from '../../functions/shared/model.ts';
import { outboxItem } from '../../functions/shared/outbox.ts';
import { manageUrl } from '../../functions/shared/registration/submit-registration.ts';
import { registrationItem } from '../../functions/shared/store/dynamo-registration-store.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { createTokenSigner, type TokenSigner } from '../../functions/shared/tokens.ts';
import { BENCH_TOKEN_SECRET, TABLE_NAME, urls } from './support/config.ts';
import { benchDocumentClient } from './support/dynamo.ts';
import { benchSession, clearMailStore, createSession, drain, postRegistration, registrationBody, uniqueId } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { percentile, pool, round, summarize } from './support/stats.ts';

export type IntakeOptions = { runs: number; count: number; concurrency: number; sessions: number; progress: (line: string) => void };
export type IntakeOutcome = { result: BenchmarkResult; sessionIds: string[]; postP50Ms: number };

type SideMeasure = { perSecond: number; seconds: number; failures: number; latencies: number[] };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The DynamoDB work of one registration, issued directly: the reads submitRegistration makes (stored
 * answer by submission key, the session, the email index) and commitSubmission's one transaction, with
 * items built by the same helpers (keys, registrationItem, outboxItem) and the same conditions. Convene
 * additionally reads the FORUM item (forumEndsAt); the brief's baseline leaves that read out.
 */
export async function directRegistration(client: DynamoDBDocumentClient, tokens: TokenSigner, body: ReturnType<typeof registrationBody>): Promise<void> {
  const sessionId = body.sessionIds[0]!;
  const submissionKey = `auto#${sha256(`${body.email.toLowerCase()}|${sessionId}`)}`;
  const payloadHash = sha256(JSON.stringify({ ...body, email: body.email.toLowerCase(), sessionIds: [sessionId] }));

  const stored = await client.send(new GetCommand({ TableName: TABLE_NAME, Key: keys.submission(submissionKey), ConsistentRead: true }));
  if (stored.Item) throw new Error('submission unexpectedly stored already');
  const sessions = await client.send(new BatchGetCommand({ RequestItems: { [TABLE_NAME]: { Keys: [keys.session(sessionId)], ConsistentRead: true } } }));
  const session = sessions.Responses?.[TABLE_NAME]?.[0];
  if (!session) throw new Error(`unknown session ${sessionId}`);
  const existing = await client.send(new GetCommand({ TableName: TABLE_NAME, Key: keys.email(body.email), ConsistentRead: true }));
  if (existing.Item) throw new Error('email unexpectedly known');

  const now = new Date();
  const stamp = now.toISOString();
  const participantId = randomUUID();
  const ttl = Math.floor((Date.parse(String(session.endsAt)) + 90 * 86_400_000) / 1000);
  const participant: Participant = {
    participantId,
    name: body.name,
    email: body.email,
    organisation: body.organisation,
    stakeholderType: 'government',
    country: body.country,
    language: body.language as Language,
    timeZone: body.timeZone,
    createdAt: stamp,
  };
  const registration: Registration = { participantId, sessionId, status: 'confirmed', registeredAt: stamp, updatedAt: stamp };
  const answer = { participantId, sessions: [{ sessionId, status: 'confirmed' as const }], manageUrl: manageUrl(urls.api, tokens.sign(participantId, new Date(now.getTime() + 180 * 86_400_000))) };
  const expiresAt = new Date(now.getTime() + 24 * 3_600_000).toISOString();

  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: TABLE_NAME, Item: { ...keys.participant(participantId), type: 'participant', ...participant, ttl }, ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: TABLE_NAME,
            Item: { ...keys.email(body.email), type: 'email', participantId, ttl },
            ConditionExpression: 'attribute_not_exists(pk) OR participantId = :pid',
            ExpressionAttributeValues: { ':pid': participantId },
          },
        },
        {
          Update: {
            TableName: TABLE_NAME,
            Key: keys.session(sessionId),
            ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' },
            UpdateExpression: 'ADD seatsTaken :one',
            ConditionExpression: '#status = :scheduled AND seatsTaken < #capacity AND waitlistCount = :zero',
            ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':scheduled': 'scheduled' },
          },
        },
        { Put: { TableName: TABLE_NAME, Item: registrationItem(registration), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: TABLE_NAME,
            Item: { ...keys.submission(submissionKey), type: 'submission', answer, payloadHash, expiresAt, ttl: Math.floor(Date.parse(expiresAt) / 1000) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: TABLE_NAME, Item: outboxItem(RegistrationConfirmed, { participantId, submissionId: submissionKey, sessions: [{ sessionId, status: 'confirmed' }] }, now) } },
      ],
    }),
  );
}

async function measure(count: number, concurrency: number, one: (index: number) => Promise<boolean>, latencies: number[]): Promise<SideMeasure> {
  let failures = 0;
  const started = performance.now();
  await pool(count, concurrency, async (index) => {
    const t = performance.now();
    const ok = await one(index).catch(() => false);
    latencies.push(performance.now() - t);
    if (!ok) failures++;
  });
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: count / seconds, seconds, failures, latencies };
}

/**
 * Intake throughput: `count` registrations through POST /registrations at `concurrency`, versus the same
 * DynamoDB work issued directly to DynamoDB Local at the same concurrency. Each side starts from a drained
 * pipeline and an empty mail store; the order alternates between runs so drift hits both sides alike.
 */
export async function intakeBenchmark(options: IntakeOptions): Promise<IntakeOutcome> {
  const sessions: SessionInput[] = Array.from({ length: options.sessions }, () => benchSession({ daysAhead: 7 }));
  for (const session of sessions) await createSession(session);
  const sessionIds = sessions.map((s) => s.sessionId);
  const client = benchDocumentClient();
  const tokens = createTokenSigner(BENCH_TOKEN_SECRET);

  const convene: SideMeasure[] = [];
  const direct: SideMeasure[] = [];
  const ratios: number[] = [];
  const postP50s: number[] = [];
  const drainSeconds: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const order = run % 2 === 0 ? (['convene', 'direct'] as const) : (['direct', 'convene'] as const);
    const measured: Partial<Record<'convene' | 'direct', SideMeasure>> = {};
    for (const side of order) {
      const settle = performance.now();
      await drain();
      await clearMailStore();
      drainSeconds.push((performance.now() - settle) / 1000);
      const prefix = uniqueId(`intake-${side}`);
      const body = (index: number) => registrationBody([sessionIds[index % sessionIds.length]!], `${prefix}-${index}@example.org`);
      measured[side] =
        side === 'convene'
          ? await measure(options.count, options.concurrency, async (index) => (await postRegistration(body(index))).status === 201, [])
          : await measure(options.count, options.concurrency, async (index) => {
              await directRegistration(client, tokens, body(index));
              return true;
            }, []);
      options.progress(`intake run ${run + 1}/${options.runs} ${side}: ${measured[side]!.perSecond.toFixed(1)} registrations/s (${measured[side]!.failures} failed)`);
    }
    convene.push(measured.convene!);
    direct.push(measured.direct!);
    ratios.push(measured.convene!.perSecond / measured.direct!.perSecond);
    postP50s.push(percentile(measured.convene!.latencies, 50));
  }
  await drain();
  await clearMailStore();

  const figures = {
    registrationsPerRun: options.count,
    concurrency: options.concurrency,
    sessions: options.sessions,
    conveneRegistrationsPerSecond: summarize(convene.map((m) => m.perSecond), 1),
    directRegistrationsPerSecond: summarize(direct.map((m) => m.perSecond), 1),
    ratio: summarize(ratios),
    convenePostP50Ms: summarize(postP50s, 1),
    convenePostP95Ms: summarize(convene.map((m) => percentile(m.latencies, 95)), 1),
    directP50Ms: summarize(direct.map((m) => percentile(m.latencies, 50)), 1),
    failures: { convene: convene.reduce((n, m) => n + m.failures, 0), direct: direct.reduce((n, m) => n + m.failures, 0) },
    drainBetweenSidesSeconds: summarize(drainSeconds, 1),
  };
  const outcome = await result({
    name: 'intake',
    figures,
    goal: { metric: 'ratio', op: '>=', value: 0.8 },
    notes: [
      `${options.count} registrations per side per run, ${options.runs} runs, concurrency ${options.concurrency}, one session each, spread over ${options.sessions} sessions.`,
      'The direct side issues GetItem (submission), BatchGetItem (session), GetItem (email), TransactWriteItems (participant, email, seat counter, registration, submission, outbox) from this process.',
      'Convene also reads the FORUM item (forumEndsAt) per registration; the direct side does not.',
      'The confirmation-mail pipeline runs during both sides (both write the same outbox event); it is drained between sides and not timed.',
    ],
    analysis: () => intakeAnalysis(figures.ratio.median, figures.convenePostP50Ms.median, figures.directP50Ms.median),
  });
  return { result: outcome, sessionIds, postP50Ms: round(percentile(postP50s, 50), 1) };
}

/** Filled in after profiling (see README): what the register path adds over the bare DynamoDB work. */
function intakeAnalysis(ratio: number, postP50: number, directP50: number): string {
  return `Convene reaches ${(ratio * 100).toFixed(0)} % of direct DynamoDB throughput; a POST takes ${postP50.toFixed(0)} ms at p50 against ${directP50.toFixed(0)} ms for the bare DynamoDB work.`;
}
