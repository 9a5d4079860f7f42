import path from 'node:path';
import { rmSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { localNames, routeKeys } from '../topology.ts';
import { Activity } from './activity.ts';
import { startAwsEndpoint } from './aws-endpoint.ts';
import { ensureTables, localTableNames, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { LocalEventBus } from './event-bus.ts';
import { startHttpApi, type LocalRoute } from './http-api.ts';
import { closeServer, parseJson } from './http-server.ts';
import { LocalLambdas } from './lambdas.ts';
import { LocalQueues } from './queues.ts';
import { LocalSchedules } from './schedules.ts';
import { startSesFront } from './ses-front.ts';
import { newDynamoDbFrontState, startDynamoDbFront } from './dynamodb-front.ts';
import { faultSettings, InjectedFault, type FaultCounters, type FaultSettings } from './faults.ts';
import { startSesLocal } from './ses-local.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, TOKEN_SECRET_ID, localTokenSecret, sesAccountOf, type LocalSettings, LOCAL_ORIGIN_SECRET } from './settings.ts';
import { settingNames } from '../../functions/core/settings.ts';
import { StreamPoller, streamsClient } from './stream-poller.ts';
import { sesFeedbackEvent, sesFeedbackRequest } from './ses-feedback.ts';

/**
 * `POST /_local/schedules/{name}/run`: run as of `time` (an ISO 8601 instant with offset), or now; then
 * drain, unless `drain` is false (a benchmark that keeps traffic flowing meanwhile would never see idle).
 */
const scheduleRunBody = z.object({ time: z.iso.datetime({ offset: true }).optional(), drain: z.boolean().default(true) });

export type LocalRuntime = {
  urls: { api: string; form: string; inbox: string; dynamodb: string; aws: string };
  drain(timeoutMs?: number): Promise<void>;
  bus: LocalEventBus;
  lambdas: LocalLambdas;
  stop(): Promise<void>;
};

/**
 * Starts the whole local pipeline: DynamoDB Local, the SES emulator, the AWS endpoint (EventBridge,
 * Secrets Manager), the handlers, the stream poller, the schedules and the HTTP API. The handlers reach
 * the stand-ins only through the SDK's AWS_ENDPOINT_URL_* variables.
 */
export async function startLocalRuntime(settings: LocalSettings): Promise<LocalRuntime> {
  const host = '127.0.0.1';
  const urls = {
    api: `http://${host}:${settings.CONVENE_API_PORT}`,
    form: `http://${host}:${settings.CONVENE_API_PORT}/`,
    inbox: `http://${host}:${settings.CONVENE_SES_PORT}`,
    dynamodb: `http://${host}:${settings.CONVENE_DYNAMODB_PORT}`,
    aws: `http://${host}:${settings.CONVENE_AWS_PORT}`,
  };
  const dynamoDir = path.join(settings.CONVENE_DATA_DIR, 'dynamodb');
  if (settings.fresh) rmSync(settings.CONVENE_DATA_DIR, { recursive: true, force: true });

  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    // The handlers talk to DynamoDB through its front (transaction conflicts; faults with --faults).
    AWS_ENDPOINT_URL_DYNAMODB: `http://${host}:${settings.CONVENE_DYNAMODB_FRONT_PORT}`,
    AWS_ENDPOINT_URL_SESV2: urls.inbox,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.aws,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.aws,
    TABLE_NAME: localTableNames.main,
    IDEMPOTENCY_TABLE_NAME: localTableNames.idempotency,
    EVENT_BUS_NAME: localNames.bus,
    PUBLIC_URL: urls.api,
    MAIL_FROM: settings.CONVENE_MAIL_FROM,
    ORGANISER_ADDRESSES: settings.CONVENE_ORGANISERS,
    FORUM_TIME_ZONE: settings.CONVENE_FORUM_TIME_ZONE,
    TOKEN_SECRET_ARN: TOKEN_SECRET_ID,
    CONFIGURATION_SET: localNames.configurationSet,
    ORIGIN_SECRET: LOCAL_ORIGIN_SECRET,
    ROUTE_KEYS: routeKeys,
  });
  // The tunable settings were read into settings.functionSettings; the lambdas hand each function only
  // the ones its topology spec lists, as CDK does, so none may stay in the environment every handler shares.
  for (const name of settingNames) delete process.env[name];

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => {});
  };
  try {
    const dynamoClient = new DynamoDBClient({ endpoint: urls.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: settings.CONVENE_DYNAMODB_PORT,
      client: dynamoClient,
      ...(settings.inMemory ? {} : { dataDir: dynamoDir }),
    });
    stops.push(() => dynamo.stop());
    const { streamArn } = await ensureTables(dynamoClient);

    // The handlers always reach DynamoDB through the front: it raises the transaction conflicts DynamoDB
    // Local never does (and, with --faults, throttling and injected conflicts).
    const dynamoFront = newDynamoDbFrontState();
    const front = await startDynamoDbFront(settings.CONVENE_DYNAMODB_FRONT_PORT, settings.CONVENE_DYNAMODB_PORT, dynamoFront);
    stops.push(() => closeServer(front));

    const ses = await startSesLocal(settings.CONVENE_SES_EMULATOR_PORT);
    stops.push(() => closeServer(ses));
    // The SES front plays an SES account: its send rate, daily quota and sandbox, as SES enforces them.
    const sesFront = await startSesFront(settings.CONVENE_SES_PORT, settings.CONVENE_SES_EMULATOR_PORT, sesAccountOf(settings));
    stops.push(() => closeServer(sesFront.server));

    const activity = new Activity();
    const lambdas = new LocalLambdas(activity, settings.functionSettings);
    const queues = new LocalQueues(lambdas, activity, settings.CONVENE_QUEUE_VISIBILITY_MS);
    stops.push(async () => queues.stop());
    const bus = new LocalEventBus(queues, activity, settings.CONVENE_RETRY_BASE_MS);
    const aws = await startAwsEndpoint(settings.CONVENE_AWS_PORT, bus, { [TOKEN_SECRET_ID]: localTokenSecret(settings) });
    stops.push(() => closeServer(aws));
    await lambdas.warm();

    const poller = new StreamPoller(
      streamsClient(urls.dynamodb),
      streamArn,
      lambdas,
      activity,
      settings.CONVENE_RETRY_BASE_MS,
      settings.inMemory ? undefined : path.join(settings.CONVENE_DATA_DIR, 'stream-checkpoints.json'),
    );
    poller.start();
    stops.push(() => poller.stop());

    const schedules = new LocalSchedules(lambdas);
    if (settings.clockSchedules) schedules.startClock();
    stops.push(async () => schedules.stop());

    let faults: FaultSettings = faultSettings.parse({});
    const faultCounters: FaultCounters = { crashesBefore: 0, crashesAfter: 0, duplicateDeliveries: 0, dynamoThrottles: 0 };
    const applyFaults = (next: FaultSettings) => {
      if (!settings.faults && (next.dynamoThrottleShare > 0 || next.dynamoConflictShare > 0)) throw new Error('DynamoDB faults need the runtime started with --faults');
      faults = next;
      bus.deliveries = next.duplicateDeliveries ? 2 : 1;
      bus.reorderMs = next.reorderMs;
      poller.duplicateBatches = next.duplicateDeliveries;
      dynamoFront.throttleShare = next.dynamoThrottleShare;
      dynamoFront.conflictShare = next.dynamoConflictShare;
      Object.assign(sesFront.faults, { throttleShare: next.sesThrottleShare, serverErrorShare: next.sesServerErrorShare, failEntryShare: next.sesFailEntryShare, failBulkAfterCalls: null });
      lambdas.hook = (name, phase, origin) => {
        if (origin !== 'queue' && origin !== 'stream') return;
        const share = phase === 'before' ? faults.crashBefore : faults.crashAfter;
        if (share > 0 && Math.random() < share) {
          if (phase === 'before') faultCounters.crashesBefore++;
          else faultCounters.crashesAfter++;
          throw new InjectedFault(`${name} crashed ${phase} its work`);
        }
      };
    };
    if (process.env.CONVENE_FAULTS) applyFaults(faultSettings.parse(JSON.parse(process.env.CONVENE_FAULTS)));

    const drain = async (timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (Date.now() > deadline) throw new Error('drain timed out: work is still pending');
        await Promise.race([activity.idle(), new Promise((resolve) => setTimeout(resolve, 1000))]);
        if (activity.busy) continue;
        // A pass that started while idle and found nothing proves the stream holds no unread record.
        const found = await poller.passes(2);
        if (found === 0 && !activity.busy) return;
      }
    };

    const localRoutes: LocalRoute[] = [
      { method: 'GET', path: '/health', handle: async () => ({ status: 200, body: { status: 'ok', urls } }) },
      {
        method: 'POST',
        path: '/_local/drain',
        handle: async () => {
          await drain();
          return { status: 200, body: { drained: true } };
        },
      },
      {
        method: 'POST',
        path: '/_local/schedules/{name}/run',
        handle: async (_request, body, params) => {
          const name = params.name!;
          if (!schedules.names().includes(name)) return { status: 404, body: { message: `Unknown schedule ${name}`, schedules: schedules.names() } };
          const parsed = scheduleRunBody.safeParse(parseJson(body) ?? {});
          if (!parsed.success) return { status: 400, body: { message: 'time must be an ISO 8601 date-time' } };
          const time = parsed.data.time ? new Date(parsed.data.time) : new Date();
          const result = await schedules.run(name, time);
          if (parsed.data.drain) await drain();
          return { status: 200, body: { schedule: name, time: time.toISOString(), result: result ?? null } };
        },
      },
      {
        method: 'POST',
        path: '/_local/ses/feedback',
        handle: async (_request, body) => {
          const parsed = sesFeedbackRequest.safeParse(parseJson(body));
          if (!parsed.success) return { status: 400, body: { message: 'expected { messageId, type: Bounce | Complaint | Delivery }' } };
          const store = (await (await fetch(`http://127.0.0.1:${settings.CONVENE_SES_EMULATOR_PORT}/store`)).json()) as { emails: Array<{ messageId: string; from: string; destination: { to: string[] }; at?: number }> };
          const mail = store.emails.find((e) => e.messageId === parsed.data.messageId);
          if (!mail) return { status: 404, body: { message: `No mail ${parsed.data.messageId} in the SES store` } };
          const eventId = bus.emit('default', sesFeedbackEvent(parsed.data.type, mail, sesFront.tagsOf(mail.messageId)));
          await drain();
          return { status: 200, body: { emitted: eventId } };
        },
      },
      {
        method: 'POST',
        path: '/_local/faults',
        handle: async (_request, body) => {
          const parsed = faultSettings.safeParse(parseJson(body));
          if (!parsed.success) return { status: 400, body: { message: parsed.error.message } };
          applyFaults(parsed.data);
          return { status: 200, body: { faults, counters: { ...faultCounters, dynamoThrottles: dynamoFront.throttles, dynamo: dynamoFront, ses: sesFront.stats } } };
        },
      },
      {
        method: 'GET',
        path: '/_local/faults',
        handle: async () => ({ status: 200, body: { faults, counters: { ...faultCounters, dynamoThrottles: dynamoFront.throttles, dynamo: dynamoFront, ses: sesFront.stats } } }),
      },
      { method: 'GET', path: '/_local/dlq', handle: async () => ({ status: 200, body: { queues: queues.deadLetters, events: bus.deadLetters, streams: poller.failures } }) },
      {
        method: 'GET',
        path: '/_local/queues',
        handle: async () => ({ status: 200, body: Object.fromEntries([...queues.byTarget.values()].map((q) => [q.spec.name, q.depth])) }),
      },
      {
        method: 'POST',
        path: '/_local/dlq/replay',
        handle: async () => {
          const replayed = queues.redrive() + bus.replayDeadLetters();
          await drain();
          return { status: 200, body: { replayed } };
        },
      },
    ];
    const api = await startHttpApi(settings.CONVENE_API_PORT, lambdas, localRoutes);
    stops.push(() => closeServer(api));

    return { urls, drain, bus, lambdas, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
