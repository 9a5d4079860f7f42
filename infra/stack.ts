import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as events from 'aws-cdk-lib/aws-events';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, Node } from 'constructs';
import * as z from 'zod';
import { EventQueues } from './constructs/event-queues.ts';
import { EventRules } from './constructs/event-rules.ts';
import { ConveneFunctions } from './constructs/functions.ts';
import { ConveneHttpApi } from './constructs/http-api.ts';
import { Mail } from './constructs/mail.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { OrganiserAccess } from './constructs/organiser-access.ts';
import { OutboxRelay } from './constructs/outbox-relay.ts';
import { THIS_ACCOUNT } from './constructs/arns.ts';
import { FrontDoor } from './constructs/front-door.ts';
import { SafeDeploys } from './constructs/safe-deploys.ts';
import { Schedules } from './constructs/schedules.ts';
import { tableFromSpec } from './constructs/table.ts';
import { ConveneEdgeStack } from './edge-stack.ts';
import { DEFAULT_STAGE, routeKeys, schedules, stageNames, tables, type EnvNeed, type StageNames } from './topology.ts';
import { resolveSettings, settings, type SettingName } from '../functions/core/settings.ts';

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone' },
);

const addressList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((a) => a.trim()).filter(Boolean))
  .pipe(z.array(z.email()).min(1));

/** Like addressList, but absent or empty gives no address. */
const optionalAddressList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : value.split(',')).map((a) => a.trim()).filter(Boolean))
  .pipe(z.array(z.email()));

/** An IAM principal organisers work as: an account root, a user or a role, never a wildcard. */
const principalArn = z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/, 'not an IAM account root, user or role ARN');
const principalList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : value.split(',')).map((a) => a.trim()).filter(Boolean))
  .pipe(z.array(principalArn));

/** Context a deploy must name itself: absent, synth fails saying how to pass it. */
const required = (key: string, example: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `missing: deploy with -c convene:${key}=${example} (never taken from the machine that runs synth)` : undefined;

const hostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'not a lower-case DNS name (forum.example.org)');

const settingsSchema = z
  .object({
    /** The deployment's name: every physical name and the stack's derive from it (topology stageNames). */
    stage: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, 'a stage is 1 to 12 lower-case letters and digits, starting with a letter (dev, staging, prod)').default(DEFAULT_STAGE),
    account: z.string({ error: required('account', '123456789012') }).regex(/^\d{12}$/, 'not a 12-digit AWS account id'),
    region: z.string({ error: required('region', 'eu-central-2') }).regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'not an AWS region (eu-central-2)'),
    /** The forum's own name (forum.example.org): the front door's, and the mail's sending domain. */
    domainName: hostName.optional(),
    /** The Route 53 public hosted zone of domainName itself: its certificate, records and DKIM go there. */
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, 'not a Route 53 hosted zone id (Z…)').optional(),
    senderAddress: z.email(),
    organiserAddresses: addressList,
    forumTimeZone: timeZone,
  digestHour: z.coerce.number().int().min(0).max(23),
  /** Who may assume the organiser role (comma-separated ARNs); none: no role, only the policy. */
  organiserPrincipalArns: principalList,
    /** Who gets every alarm by mail (comma-separated addresses); none: the alarm topic has no subscription. */
    alarmEmail: optionalAddressList,
  })
  .superRefine((value, context) => {
    if ((value.domainName === undefined) !== (value.hostedZoneId === undefined)) {
      context.addIssue({ code: 'custom', path: [value.domainName ? 'hostedZoneId' : 'domainName'], message: 'domainName and hostedZoneId go together (the zone of that very domain)' });
    }
    const senderDomain = value.senderAddress.split('@')[1]?.toLowerCase() ?? '';
    if (value.domainName && senderDomain !== value.domainName && !senderDomain.endsWith(`.${value.domainName}`)) {
      context.addIssue({ code: 'custom', path: ['senderAddress'], message: `must be an address of ${value.domainName}, so that its DKIM signature and MAIL FROM align (DMARC)` });
    }
  });

export type ConveneSettings = z.infer<typeof settingsSchema>;
export type ConveneStackProps = StackProps &
  Omit<ConveneSettings, 'organiserPrincipalArns' | 'alarmEmail'> & {
    organiserPrincipalArns?: readonly string[];
    alarmEmail?: readonly string[];
    /** What CloudFront needs from us-east-1: the web ACL and, with a domain, its certificate. */
    edge: { webAclArn: string; certificate?: acm.ICertificate };
  };

/**
 * How long the bus archive keeps every event for a replay: long enough to rebuild after a consumer bug
 * found a few weeks late; the consumers' idempotency records (35 days, functions/core/consumer.ts)
 * outlive it, so a replay never runs a side effect twice (README, "Deploying").
 */
const EVENT_ARCHIVE_RETENTION = Duration.days(30);

/**
 * Reads the `convene:*` context (cdk.json, or `-c convene:…=…`) through one schema.
 * @throws Error naming every missing or malformed key.
 */
export function readConveneSettings(node: Node): ConveneSettings {
  const keys = Object.keys(settingsSchema.shape) as Array<keyof ConveneSettings>;
  const parsed = settingsSchema.safeParse(Object.fromEntries(keys.map((key) => [key, node.tryGetContext(`convene:${key}`)])));
  if (!parsed.success) {
    throw new Error(`Invalid Convene context: ${parsed.error.issues.map((i) => `convene:${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * The tunable settings (functions/core/settings.ts) from their `convene:*` context keys, each validated by
 * its declared schema; an absent key gives the declared default, passed explicitly, so every function's
 * environment shows the value it runs with.
 * @throws Error naming every malformed context key
 */
export function readFunctionSettings(node: Node): Record<SettingName, string> {
  return resolveSettings(
    (name) => node.tryGetContext(settings[name].contextKey),
    (name) => settings[name].contextKey,
  );
}

/**
 * One stage of Convene, as `npx cdk deploy` deploys it: the forum's stack in the context's account and
 * region, and the edge stack it needs in us-east-1 (CloudFront's web ACL and certificate). Both are named
 * after the stage, so stages share an account without colliding.
 * @throws Error naming every missing or malformed `convene:*` context key
 */
export function defineConvene(app: Construct, settings: ConveneSettings = readConveneSettings(app.node)): { stack: ConveneStack; edge: ConveneEdgeStack } {
  const names = stageNames(settings.stage);
  const domain = settings.domainName && settings.hostedZoneId ? { name: settings.domainName, hostedZoneId: settings.hostedZoneId } : undefined;
  const edge = new ConveneEdgeStack(app, names.edgeStack, {
    stackName: names.edgeStack,
    description: `Convene ${settings.stage}: CloudFront's web ACL and certificate (us-east-1)`,
    env: { account: settings.account, region: 'us-east-1' },
    crossRegionReferences: true,
    names,
    ...(domain ? { domain } : {}),
  });
  const stack = new ConveneStack(app, names.stack, {
    ...settings,
    stackName: names.stack,
    description: `Convene ${settings.stage}: registrations and notifications of a virtual forum`,
    env: { account: settings.account, region: settings.region },
    crossRegionReferences: true,
    edge: { webAclArn: edge.webAclArn, ...(edge.certificate ? { certificate: edge.certificate } : {}) },
  });
  stack.addStackDependency(edge, 'CloudFront needs the web ACL and the certificate first');
  return { stack, edge };
}

/**
 * Convene in one stack: the bus, the tables and the token secret, shared by one construct per capability.
 * Every function, route, rule, stream subscription and schedule comes from infra/topology.ts; every
 * physical name from the stage.
 */
export class ConveneStack extends Stack {
  readonly names: StageNames;

  constructor(scope: Construct, id: string, props: ConveneStackProps) {
    super(scope, id, props);
    const names = stageNames(props.stage);
    this.names = names;

    const bus = new events.EventBus(this, 'Bus', { eventBusName: names.bus, description: `Convene ${props.stage}: domain events (events/)` });
    const archive = bus.archive('Archive', {
      archiveName: names.archive,
      description: 'Every event on the convene bus, for replays (aws events start-replay)',
      // Every event that reaches the bus carries this account (the forwarded SES events too).
      eventPattern: { account: [THIS_ACCOUNT] },
      retention: EVENT_ARCHIVE_RETENTION,
    });
    const table = tableFromSpec(this, 'MainTable', tables.main, { deletionProtection: true });
    const idempotencyTable = tableFromSpec(this, 'IdempotencyTable', tables.idempotency, { deletionProtection: false });
    const tokenSecret = new secretsmanager.Secret(this, 'TokenSecret', {
      description: 'Convene: HMAC keys that sign link tokens: {"currentId","current","previousId"?,"previous"?}',
      // The shape functions/identity/tokens.ts reads: the current key signs, the previous one still verifies.
      generateSecretString: { secretStringTemplate: JSON.stringify({ currentId: 'k1' }), generateStringKey: 'current', passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(tokenSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The link-signing key is rotated with `npm run admin -- rotate-token-key`, which keeps the previous key so links already mailed stay valid until they expire; a Secrets Manager rotation Lambda would drop that previous key.',
    });
    const zone = props.domainName && props.hostedZoneId
      ? route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', { hostedZoneId: props.hostedZoneId, zoneName: props.domainName })
      : undefined;
    const domain = zone && props.domainName ? { name: props.domainName, zone } : undefined;
    const mail = new Mail(this, 'Mail', { senderAddress: props.senderAddress, configurationSetName: names.configurationSet, ...(domain ? { domain } : {}) });

    // The API first, its routes once the functions exist: the functions' links point at the front door,
    // which points at the API.
    const api = new ConveneHttpApi(this, 'HttpApi', { name: names.api });
    // What the front door sends the public functions, so that the API's own endpoint cannot serve them
    // past the web ACL (functions/core/http/http-function.ts FRONT_DOOR_HEADER).
    const originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description: 'Convene: the value CloudFront sends the public functions in x-convene-front-door',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The value lives in the distribution\'s origin header and the public functions\' environment, both resolved at deploy: a rotation Lambda would change it under them. Rotate by a new secret value and a deploy (README, "The edge").',
    });
    const originSecretValue = originSecret.secretValue.unsafeUnwrap();
    const frontDoor = new FrontDoor(this, 'FrontDoor', {
      api: api.api,
      originSecret: originSecretValue,
      webAclArn: props.edge.webAclArn,
      ...(domain && props.edge.certificate ? { domain: { ...domain, certificate: props.edge.certificate } } : {}),
    });

    const environment: Record<EnvNeed, string> = {
      TABLE_NAME: table.tableName,
      IDEMPOTENCY_TABLE_NAME: idempotencyTable.tableName,
      EVENT_BUS_NAME: bus.eventBusName,
      PUBLIC_URL: frontDoor.publicUrl,
      MAIL_FROM: props.senderAddress,
      CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      TOKEN_SECRET_ARN: tokenSecret.secretArn,
      FORUM_TIME_ZONE: props.forumTimeZone,
      ORGANISER_ADDRESSES: props.organiserAddresses.join(','),
      ORIGIN_SECRET: originSecretValue,
      ROUTE_KEYS: routeKeys,
    };
    const functions = new ConveneFunctions(this, 'Functions', {
      environment,
      settings: readFunctionSettings(this.node),
      metricsNamespace: names.metricsNamespace,
      resources: { table, idempotencyTable, bus, mail, tokenSecret },
    });

    api.addRoutes(functions);
    const queues = new EventQueues(this, 'EventQueues', { functions });
    new EventRules(this, 'EventRules', { bus, queues, names });
    new OutboxRelay(this, 'OutboxRelay', { table, functions });
    new Schedules(this, 'Schedules', { functions, names });
    const monitoring = new Monitoring(this, 'Monitoring', { root: this, api, alarmEmails: props.alarmEmail ?? [], dashboardName: names.dashboard, metricsNamespace: names.metricsNamespace });
    new SafeDeploys(this, 'SafeDeploys', { functions, api: api.api });
    const organisers = new OrganiserAccess(this, 'OrganiserAccess', { api: api.api, principalArns: props.organiserPrincipalArns ?? [] });

    checkDigestSchedule(this, props);

    new CfnOutput(this, 'PublicUrl', { value: frontDoor.publicUrl, description: 'The forum\'s registration page: every link Convene mails starts here' });
    new CfnOutput(this, 'DistributionDomainName', { value: frontDoor.distribution.distributionDomainName, description: 'CloudFront\'s own name of the front door' });
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'HTTP API base URL: organisers\' SigV4 calls (npm run admin -- --api <this>)' });
    new CfnOutput(this, 'EventBusName', { value: bus.eventBusName, description: 'Convene event bus' });
    new CfnOutput(this, 'EventBusArn', { value: bus.eventBusArn, description: 'Convene event bus: the destination of a replay' });
    new CfnOutput(this, 'EventArchiveArn', { value: archive.archiveArn, description: 'Archive of every convene event: aws events start-replay --event-source-arn <this>' });
    new CfnOutput(this, 'AlarmTopicArn', { value: monitoring.alarmTopic.topic.topicArn, description: 'Every alarm notifies this SNS topic (subscribe to it, or deploy with -c convene:alarmEmail=…)' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'Main table' });
    new CfnOutput(this, 'OrganiserPolicyArn', {
      value: organisers.policy.managedPolicyArn,
      description: 'Attach to an organiser user, group or role: execute-api:Invoke on the admin routes only',
    });
    if (organisers.role) new CfnOutput(this, 'OrganiserRoleArn', { value: organisers.role.roleArn, description: 'Organisers assume this role to call the admin API' });
    new CfnOutput(this, 'TokenSecretArn', { value: tokenSecret.secretArn, description: 'Link-signing keys: npm run admin -- rotate-token-key --secret-id <this>' });
  }
}

/**
 * The digest's hour and zone are declared in topology.schedules (the local runtime reads them there);
 * synth fails when the `convene:digestHour` / `convene:forumTimeZone` context disagrees, instead of
 * deploying a digest at an hour nobody asked for.
 */
function checkDigestSchedule(stack: Stack, settings: Pick<ConveneSettings, 'digestHour' | 'forumTimeZone'>): void {
  const digest = schedules.find((s) => s.name === 'digest');
  if (!digest) return;
  const hour = /^cron\(\S+\s+(\d+)\s/.exec(digest.expression)?.[1];
  if (Number(hour) !== settings.digestHour || digest.timeZone !== settings.forumTimeZone) {
    Annotations.of(stack).addError(
      `topology.schedules "digest" runs ${digest.expression} in ${digest.timeZone ?? 'UTC'}, but the context asks for ${settings.digestHour}:00 in ${settings.forumTimeZone}; change one of them.`,
    );
  }
}
