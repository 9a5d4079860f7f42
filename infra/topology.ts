/**
 * The one declaration of Convene's wiring: tables, functions, HTTP routes, event rules, stream
 * subscriptions and schedules. The CDK stack and the local runtime both read this file, so nothing is
 * wired twice. Event names come from the contracts in events/, never from string literals here.
 */
import { RegistrationConfirmed, RegistrationHeld, SessionSeatsReleased, registrantNoticeContracts, sesFeedbackContracts, sesForwardPattern, type EventContract } from '../events/index.ts';
import { countedContracts } from '../functions/digest/counted-contracts.ts';
import { OUTBOX_PREFIX } from '../functions/core/store/keys.ts';
import type { SettingName } from '../functions/core/settings.ts';
import { metricsNamespace } from '../functions/core/metric-names.ts';

/** Environment a function may need; each is resolved by CDK (ARNs, names) or by the local runtime. */
export type EnvNeed =
  | 'TABLE_NAME'
  | 'IDEMPOTENCY_TABLE_NAME'
  | 'EVENT_BUS_NAME'
  | 'PUBLIC_URL'
  | 'MAIL_FROM'
  | 'CONFIGURATION_SET'
  | 'TOKEN_SECRET_ARN'
  | 'FORUM_TIME_ZONE'
  | 'ORGANISER_ADDRESSES'
  /** The public functions only: what the front door sends them, so that nothing else reaches them. */
  | 'ORIGIN_SECRET'
  /** The `$default` route's function: every route key (`routeKeys`), to tell a wrong method (405) from an unknown path (404). */
  | 'ROUTE_KEYS';

/** What a function may touch; CDK turns each into a least-privilege grant at the point of use. */
export type Access = {
  table?: 'read' | 'readWrite';
  idempotencyTable?: boolean;
  bus?: 'put';
  sendMail?: boolean;
  tokenSecret?: boolean;
  /** ses:GetAccount: the account's sending quota, which every sender paces itself to. */
  readSendQuota?: boolean;
};

/**
 * Every physical name of one deployment derives from its stage (`-c convene:stage=…`, default `dev`), so
 * staging and production share an account and a region without colliding. The local runtime is the
 * stage `local`.
 */
export function stageNames(stage: string) {
  const prefix = `convene-${stage}`;
  return {
    stage,
    stack: `Convene-${stage}`,
    /** CloudFront's web ACL and certificate live in us-east-1, whatever the forum's region. */
    edgeStack: `Convene-${stage}-edge`,
    bus: prefix,
    archive: prefix,
    configurationSet: prefix,
    api: prefix,
    dashboard: prefix,
    /** The business metrics' CloudWatch namespace (functions/core/metric-names.ts). */
    metricsNamespace: metricsNamespace(stage),
    webAcl: prefix,
    schedule: (name: string) => `${prefix}-${name}`,
  };
}
export type StageNames = ReturnType<typeof stageNames>;
export const DEFAULT_STAGE = 'dev';
export const LOCAL_STAGE = 'local';
/** The local runtime's names (its bus, its configuration set). */
export const localNames = stageNames(LOCAL_STAGE);

export type FunctionSpec = {
  /** Path of the module exporting `handler`, relative to the repository root. */
  entry: string;
  description: string;
  env: readonly EnvNeed[];
  /**
   * The tunable settings (functions/core/settings.ts) the function reads, and only those: CDK sets each
   * from its `convene:*` context key, the local runtime from its own environment, on these functions only.
   */
  settings?: readonly SettingName[];
  access: Access;
  memoryMb?: number;
  /** No function reserves concurrency: a new account may have only 10; the bulk jobs are kept single by a lease (core/store/lease.ts). */
  timeoutSeconds?: number;
};

export const functions = {
  register: {
    entry: 'functions/intake/register.handler.ts',
    description: 'POST /registrations: validate, hold or take places, answer at once (never with a link: that goes by mail); GET/POST /confirm: address confirmation',
    env: ['TABLE_NAME', 'FORUM_TIME_ZONE', 'TOKEN_SECRET_ARN', 'ORIGIN_SECRET'],
    settings: ['PERSONAL_DATA_DAYS', 'MAIL_BUDGET_PER_HOUR', 'ADDRESS_CONFIRMATION', 'CONFIRM_WITHIN_MINUTES'],
    access: { table: 'readWrite', tokenSecret: true },
  },
  web: {
    entry: 'functions/intake/registration-page.handler.ts',
    description: 'GET /: the registration page in six languages; $default: 404 and 405 pages for every other request',
    env: ['TABLE_NAME', 'FORUM_TIME_ZONE', 'ORIGIN_SECRET', 'ROUTE_KEYS'],
    access: { table: 'read' },
  },
  listSessions: {
    entry: 'functions/programme/list-sessions.handler.ts',
    description: 'GET /sessions: the programme with seats left',
    env: ['TABLE_NAME', 'ORIGIN_SECRET'],
    access: { table: 'read' },
  },
  adminApi: {
    entry: 'functions/admin/admin-api.handler.ts',
    description: 'Organisers API (IAM auth): programme, session changes, approvals, exports, deliveries, erasure',
    env: ['TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET'],
    settings: ['NOTICE_QUIET_MINUTES', 'MAIL_FROM_NAME'],
    access: { table: 'readWrite', sendMail: true },
  },
  manage: {
    entry: 'functions/registrant/manage.handler.ts',
    description: 'The registrant manage link: view, add, cancel, accept offers, preferences, export',
    env: ['TABLE_NAME', 'PUBLIC_URL', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE', 'MAIL_FROM', 'CONFIGURATION_SET', 'ORIGIN_SECRET'],
    settings: ['PERSONAL_DATA_DAYS', 'TOKEN_TTL_DAYS', 'MAIL_BUDGET_PER_HOUR', 'MAIL_FROM_NAME'],
    access: { table: 'readWrite', tokenSecret: true, sendMail: true },
  },
  sendStatusMail: {
    entry: 'functions/waitlist/send-status-mail.handler.ts',
    description: 'Registration changes (cancelled, offered, expired, promoted, approved, rejected): one mail each',
    env: ['TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE'],
    settings: ['TOKEN_TTL_DAYS', 'MAIL_FROM_NAME'],
    access: { table: 'readWrite', idempotencyTable: true, sendMail: true, tokenSecret: true, readSendQuota: true },
  },
  promoteWaitlist: {
    entry: 'functions/waitlist/promote-waitlist.handler.ts',
    description: 'Session.SeatsReleased: offers freed seats to the waiting list in position order',
    env: ['TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME'],
    settings: ['OFFER_CLAIM_HOURS'],
    access: { table: 'readWrite', idempotencyTable: true },
  },
  sendNotices: {
    entry: 'functions/programme/send-notices.handler.ts',
    description: 'Schedule "notices": coalesced change and cancellation notices, bulk, resumable',
    env: ['TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE'],
    settings: ['TOKEN_TTL_DAYS', 'MAIL_FROM_NAME'],
    access: { table: 'readWrite', sendMail: true, tokenSecret: true, readSendQuota: true },
    memoryMb: 1024,
    timeoutSeconds: 900,
  },
  sendReminders: {
    entry: 'functions/reminders/send-reminders.handler.ts',
    description: 'Schedule "reminders": per-registrant reminders at each lead, bulk, resumable',
    env: ['TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE'],
    settings: ['TOKEN_TTL_DAYS', 'REMINDER_LEADS_MINUTES', 'MAIL_FROM_NAME'],
    access: { table: 'readWrite', sendMail: true, tokenSecret: true, readSendQuota: true },
    memoryMb: 1024,
    timeoutSeconds: 900,
  },
  countActivity: {
    entry: 'functions/digest/count-activity.handler.ts',
    description: 'Registration events: hourly counters the digest reads (cost by sessions, not registrations)',
    env: ['TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME'],
    access: { table: 'readWrite', idempotencyTable: true },
  },
  recordDelivery: {
    entry: 'functions/delivery/record-delivery.handler.ts',
    description: 'SES delivery, bounce and complaint events: mail status, suppression, counters',
    env: ['TABLE_NAME'],
    access: { table: 'readWrite' },
  },
  sendDigest: {
    entry: 'functions/digest/send-digest.handler.ts',
    description: 'Schedule "digest": the organisers\' daily digest with inline bars and a CSV',
    env: ['TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE', 'ORGANISER_ADDRESSES'],
    settings: ['MAIL_FROM_NAME'],
    access: { table: 'readWrite', sendMail: true, tokenSecret: true },
    timeoutSeconds: 120,
  },
  expireHolds: {
    entry: 'functions/intake/expire-holds.handler.ts',
    description: 'Schedule "holds": places held for addresses that did not confirm in time are released',
    env: ['TABLE_NAME'],
    access: { table: 'readWrite' },
  },
  expireOffers: {
    entry: 'functions/waitlist/expire-offers.handler.ts',
    description: 'Schedule "offers": expired offers pass to the next in line',
    env: ['TABLE_NAME'],
    access: { table: 'readWrite' },
  },
  publishEvents: {
    entry: 'functions/outbox-relay/publish-events.handler.ts',
    description: 'Outbox relay: table stream to the convene bus, exactly as stored',
    env: ['EVENT_BUS_NAME'],
    access: { bus: 'put' },
  },
  sendRegistrationMail: {
    entry: 'functions/intake/send-registration-mail.handler.ts',
    description: 'Registration.Confirmed: answer mail with calendar invitations; Registration.Held: the mail asking to confirm the address',
    env: ['TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE'],
    settings: ['TOKEN_TTL_DAYS', 'MAIL_FROM_NAME'],
    access: { table: 'readWrite', idempotencyTable: true, sendMail: true, tokenSecret: true, readSendQuota: true },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** The same declarations, typed as the common shape (for code that loops over every function). */
export const functionSpecs: Readonly<Record<FunctionName, FunctionSpec>> = functions;

export type RouteSpec = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  function: FunctionName;
  /** 'iam': SigV4-signed callers only (organisers, the CLI); 'none': public, throttled. */
  auth: 'none' | 'iam';
  /** The API's own throttle of this route (requests per second, burst); by default by its auth (routeThrottle). */
  throttle?: RouteThrottle;
};

export type RouteThrottle = { rateLimit: number; burstLimit: number };

/**
 * The API's throttle per route, sized for an opening hour: 5,000 registrations in its first minute are
 * about 83 a second, each a page, a post and a confirmation. The form's routes get ten times that; a
 * registrant's link routes, used one person at a time, less; the organisers' routes least. The edge's
 * per-IP rule (infra/constructs/edge-firewall.ts) stops a single script long before these.
 */
export const ROUTE_THROTTLES = {
  form: { rateLimit: 1000, burstLimit: 2000 },
  link: { rateLimit: 200, burstLimit: 400 },
  admin: { rateLimit: 20, burstLimit: 50 },
} as const satisfies Record<string, RouteThrottle>;

export const routeThrottle = (route: RouteSpec): RouteThrottle => route.throttle ?? (route.auth === 'iam' ? ROUTE_THROTTLES.admin : ROUTE_THROTTLES.link);

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/', function: 'web', auth: 'none', throttle: ROUTE_THROTTLES.form },
  { method: 'GET', path: '/sessions', function: 'listSessions', auth: 'none', throttle: ROUTE_THROTTLES.form },
  { method: 'POST', path: '/registrations', function: 'register', auth: 'none', throttle: ROUTE_THROTTLES.form },
  { method: 'GET', path: '/confirm', function: 'register', auth: 'none', throttle: ROUTE_THROTTLES.form },
  { method: 'POST', path: '/confirm', function: 'register', auth: 'none', throttle: ROUTE_THROTTLES.form },
  { method: 'GET', path: '/me', function: 'manage', auth: 'none' },
  { method: 'GET', path: '/me/export', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/cancel', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/sessions', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/confirm', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/offers/accept', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/preferences', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/details', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/erase', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/sign-out', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/me/link', function: 'manage', auth: 'none' },
  { method: 'GET', path: '/me/link-sent', function: 'manage', auth: 'none' },
  { method: 'GET', path: '/unsubscribe', function: 'manage', auth: 'none' },
  { method: 'GET', path: '/calendar/{file}', function: 'manage', auth: 'none' },
  { method: 'POST', path: '/unsubscribe', function: 'manage', auth: 'none' },
  { method: 'GET', path: '/admin/sessions', function: 'adminApi', auth: 'iam' },
  { method: 'POST', path: '/admin/registrations/{participantId}/{sessionId}/approve', function: 'adminApi', auth: 'iam' },
  { method: 'POST', path: '/admin/registrations/{participantId}/{sessionId}/reject', function: 'adminApi', auth: 'iam' },
  { method: 'PUT', path: '/admin/sessions/{sessionId}', function: 'adminApi', auth: 'iam' },
  { method: 'PATCH', path: '/admin/sessions/{sessionId}', function: 'adminApi', auth: 'iam' },
  { method: 'POST', path: '/admin/sessions/{sessionId}/reschedule', function: 'adminApi', auth: 'iam' },
  { method: 'POST', path: '/admin/sessions/{sessionId}/cancel', function: 'adminApi', auth: 'iam' },
  { method: 'GET', path: '/admin/sessions/{sessionId}/registrations', function: 'adminApi', auth: 'iam' },
  { method: 'GET', path: '/admin/sessions/{sessionId}/deliveries', function: 'adminApi', auth: 'iam' },
  { method: 'POST', path: '/admin/participants/erase', function: 'adminApi', auth: 'iam' },
];

/**
 * Every request no route matches (API Gateway's `$default` route key): its function answers the site's
 * own 404 page, or 405 with `Allow` when the path exists for other methods, as HTML to browsers and JSON
 * to API clients, in the request's language, instead of API Gateway's bare `{"message":"Not Found"}`.
 */
export const defaultRoute = { function: 'web', auth: 'none', throttle: ROUTE_THROTTLES.link } as const satisfies Pick<RouteSpec, 'function' | 'auth' | 'throttle'>;

/** The route keys (`GET /me`), space-separated, as the `$default` route's function reads them (ROUTE_KEYS). */
export const routeKeys = routes.map((route) => `${route.method} ${route.path}`).join(' ');

export type RuleSpec = {
  name: string;
  contract: EventContract;
  /** The consumer; the rule delivers to that consumer's queue (`queues`), never to the function itself. */
  target: FunctionName;
  /** EventBridge retry policy of delivery to the queue; exhausted events go to the rule's dead-letter queue. */
  retryAttempts: number;
  maxEventAgeSeconds: number;
};

/**
 * The buffer in front of each event consumer: EventBridge → SQS → Lambda. A burst waits in the queue
 * instead of failing; a failed record is received again after the visibility timeout, up to
 * `maxReceiveCount` times, and then moves to the queue's own dead-letter queue.
 */
export type QueueSpec = {
  name: string;
  target: FunctionName;
  /** Records per invocation; failures are reported per record (partial batch responses). */
  batchSize: number;
  /** At most this many invocations at once (the event source's maximum concurrency, 2 or more). */
  maxConcurrency: number;
  /** Receives before a record moves to the dead-letter queue. */
  maxReceiveCount: number;
};

/** SQS visibility timeout of a consumer's queue: six times its function's timeout, as AWS recommends. */
export const visibilityTimeoutSeconds = (spec: QueueSpec): number => 6 * (functionSpecs[spec.target].timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);

/** Lambda timeout of a function whose spec names none. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

export const queues: readonly QueueSpec[] = [
  // Transactional mail: few at once, so a burst of registrations drains at the account's rate.
  { name: 'registration-mail', target: 'sendRegistrationMail', batchSize: 10, maxConcurrency: 4, maxReceiveCount: 12 },
  { name: 'status-mail', target: 'sendStatusMail', batchSize: 10, maxConcurrency: 4, maxReceiveCount: 12 },
  { name: 'promote-waitlist', target: 'promoteWaitlist', batchSize: 10, maxConcurrency: 2, maxReceiveCount: 12 },
  { name: 'count-activity', target: 'countActivity', batchSize: 10, maxConcurrency: 2, maxReceiveCount: 12 },
  { name: 'record-delivery', target: 'recordDelivery', batchSize: 10, maxConcurrency: 4, maxReceiveCount: 12 },
];

/** The queue in front of a rule's consumer. */
export function queueOf(target: FunctionName): QueueSpec {
  const queue = queues.find((q) => q.target === target);
  if (!queue) throw new Error(`No queue in topology.queues for ${target}`);
  return queue;
}

export const rules: readonly RuleSpec[] = [
  { name: 'registration-mail', contract: RegistrationConfirmed, target: 'sendRegistrationMail', retryAttempts: 8, maxEventAgeSeconds: 3600 },
  { name: 'hold-mail', contract: RegistrationHeld, target: 'sendRegistrationMail', retryAttempts: 8, maxEventAgeSeconds: 3600 },
  ...registrantNoticeContracts.map((contract) => ({
    name: `status-mail-${contract.detailType.split('.')[1]!.toLowerCase()}`,
    contract,
    target: 'sendStatusMail' as const,
    retryAttempts: 8,
    maxEventAgeSeconds: 3600,
  })),
  { name: 'promote-waitlist', contract: SessionSeatsReleased, target: 'promoteWaitlist', retryAttempts: 8, maxEventAgeSeconds: 3600 },
  ...countedContracts.map((contract) => ({
    name: `count-${contract.detailType.toLowerCase().replace('.', '-')}`,
    contract,
    target: 'countActivity' as const,
    retryAttempts: 8,
    maxEventAgeSeconds: 86_400,
  })),
  ...sesFeedbackContracts.map((contract) => ({
    name: `delivery-${contract.detailType.toLowerCase().replace(/\s+/g, '-')}`,
    contract,
    target: 'recordDelivery' as const,
    retryAttempts: 8,
    maxEventAgeSeconds: 86_400,
  })),
];

/**
 * Rules that forward events from one bus to another. SES publishes sending events to the account's
 * default bus only, so a rule there sends `aws.ses` events on to the convene bus.
 */
export const busForwards = (names: StageNames): ReadonlyArray<{ name: string; from: 'default'; to: string; pattern: Record<string, unknown> }> => [
  { name: 'ses-to-convene', from: 'default', to: names.bus, pattern: sesForwardPattern(names.configurationSet) },
];

export type StreamSpec = {
  name: string;
  target: FunctionName;
  /** Lambda event-source filter pattern (EventBridge pattern syntax) applied to each stream record. */
  filter: Record<string, unknown>;
  batchSize: number;
  retryAttempts: number;
};

export const streams: readonly StreamSpec[] = [
  {
    name: 'outbox-relay',
    target: 'publishEvents',
    filter: { eventName: ['INSERT'], dynamodb: { NewImage: { pk: { S: [{ prefix: OUTBOX_PREFIX }] } } } },
    batchSize: 100,
    retryAttempts: 10,
  },
];

export type ScheduleSpec = {
  name: string;
  /** EventBridge Scheduler expression: rate(...) or cron(min hour dom month dow year). */
  expression: string;
  timeZone?: string;
  target: FunctionName;
};

export const schedules: readonly ScheduleSpec[] = [
  { name: 'offers', expression: 'rate(5 minutes)', target: 'expireOffers' },
  { name: 'holds', expression: 'rate(5 minutes)', target: 'expireHolds' },
  { name: 'notices', expression: 'rate(1 minute)', target: 'sendNotices' },
  { name: 'reminders', expression: 'rate(5 minutes)', target: 'sendReminders' },
  // 08:00 in the forum's zone, every day; Scheduler keeps the local hour across daylight-saving changes.
  { name: 'digest', expression: 'cron(0 8 * * ? *)', timeZone: 'Europe/Zurich', target: 'sendDigest' },
];

export type TableSpec = {
  partitionKey: string;
  sortKey?: string;
  timeToLiveAttribute: string;
  stream: boolean;
  /**
   * `keys`: the index holds only the keys, so an item whose other attributes change (a session's seat
   * counters, on every registration) is never rewritten in it; readers fetch the items by key.
   */
  globalIndexes: ReadonlyArray<{ name: string; partitionKey: string; sortKey: string; projection?: 'all' | 'keys' }>;
};

export const tables = {
  main: {
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'ttl',
    stream: true,
    globalIndexes: [
      { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
      // The programme in start order. Keys only: the PROGRAMME key would otherwise be rewritten with every seat taken.
      { name: 'programme', partitionKey: 'programmePk', sortKey: 'programmeSk', projection: 'keys' },
    ],
  },
  /** Powertools idempotency records of the event consumers. */
  idempotency: { partitionKey: 'id', timeToLiveAttribute: 'expiration', stream: false, globalIndexes: [] },
} as const satisfies Record<string, TableSpec>;

