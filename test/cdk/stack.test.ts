import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { defineConvene, readConveneSettings, type ConveneStack } from '../../infra/stack.ts';
import { cdkContext } from './context.ts';
import { busForwards, DEFAULT_STAGE, defaultRoute, functions, routeKeys, stageNames, queueOf, queues, routes, rules, schedules, streams, tables, visibilityTimeoutSeconds, type Access, type FunctionName, type FunctionSpec, type QueueSpec } from '../../infra/topology.ts';

/**
 * The stack exactly as `npm run synth` builds it: the same cdk.json context, read by the same function as
 * infra/app.ts. Synthesized once (bundling all functions is slow). No CDK CLI runs here, so there is no
 * notices or telemetry traffic.
 */

const functionNames = Object.keys(functions) as FunctionName[];
const specOf = (name: FunctionName): FunctionSpec => functions[name];
const accessOf = (name: FunctionName): Access => specOf(name).access;

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

let app: App;
let stack: ConveneStack;
let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string): Array<[string, Resource]> => Object.entries(resources).filter(([, r]) => r.Type === type);
const getAtt = (logicalId: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId, attribute] });
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
/** Canonical JSON, so that patterns compare by content whatever the key order. */
const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]))
      : value;

function singleLogicalId(type: string, predicate: (r: Resource) => boolean, what: string): string {
  const found = ofType(type).filter(([, r]) => predicate(r));
  expect(found.map(([id]) => id), what).toHaveLength(1);
  return found[0]![0];
}

/** Functions are told apart by their topology description, which the function construct copies. */
const functionId = (name: FunctionName) =>
  singleLogicalId('AWS::Lambda::Function', (r) => r.Properties.Description === specOf(name).description, `function ${name}`);

/** The `live` alias of a function: what every route, queue, stream and schedule invokes. */
const aliasId = (name: FunctionName) =>
  singleLogicalId('AWS::Lambda::Alias', (r) => r.Properties.Name === 'live' && JSON.stringify(r.Properties.FunctionName) === JSON.stringify({ Ref: functionId(name) }), `live alias of ${name}`);

/** Whether a property names the function's live alias (as `Ref`, or a name qualified with it). */
const namesAlias = (value: unknown, name: FunctionName) => JSON.stringify(value).includes(JSON.stringify({ Ref: aliasId(name) }));

const tableId = (partitionKey: string) =>
  singleLogicalId('AWS::DynamoDB::Table', (r) => r.Properties.KeySchema[0].AttributeName === partitionKey, `table keyed by ${partitionKey}`);

/** Every statement of every AWS::IAM::Policy attached to the function's role. */
function statementsOf(name: FunctionName): Statement[] {
  const role = resources[functionId(name)]!.Properties.Role['Fn::GetAtt'][0] as string;
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: role })))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const allowedActions = (statements: Statement[]) => statements.filter((s) => s.Effect === 'Allow').flatMap((s) => asArray(s.Action));
const resourcesFor = (statements: Statement[], action: string) =>
  statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource));

const isStreamTarget = (name: FunctionName) => streams.some((s) => s.target === name);
const isAsyncTarget = (name: FunctionName) => schedules.some((s) => s.target === name);
const isQueueConsumer = (name: FunctionName) => queues.some((q) => q.target === name);

/** A consumer's queue: the one the function's SQS event source mapping reads. */
function queueId(spec: QueueSpec): string {
  const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(
    ([, m]) => namesAlias(m.Properties.FunctionName, spec.target) && m.Properties.EventSourceArn?.['Fn::GetAtt'],
  );
  expect(mappings, `one queue mapping for ${spec.target}`).toHaveLength(1);
  return mappings[0]![1].Properties.EventSourceArn['Fn::GetAtt'][0] as string;
}

/** The AWS services a function's role may reach: its topology `access`, plus what its wiring implies. */
function expectedServices(name: FunctionName): Set<string> {
  const access = accessOf(name);
  const services = new Set(['logs', 'xray']);
  if (access.table || access.idempotencyTable || isStreamTarget(name)) services.add('dynamodb');
  if (access.bus) services.add('events');
  if (access.sendMail) services.add('ses');
  if (access.tokenSecret) services.add('secretsmanager');
  if (isStreamTarget(name) || isAsyncTarget(name) || isQueueConsumer(name)) services.add('sqs');
  return services;
}

/** Actions that support no resource-level permission: "*" is the only possible Resource. */
const RESOURCE_STAR_ONLY = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams', 'ses:GetAccount']);
const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:TransactWriteItems'];

beforeAll(() => {
  app = new App({ context: cdkContext });
  stack = defineConvene(app).stack;
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
});

describe('events', () => {
  it.each(rules.map((rule) => ({ ...rule, detailType: rule.contract.detailType })))(
    'rule $name sends $detailType events to the queue of $target, matched by the contract pattern, retried and dead-lettered as specified',
    (rule) => {
      const busId = singleLogicalId('AWS::Events::EventBus', () => true, 'the convene bus');
      const target = queueId(queueOf(rule.target));
      const matching = ofType('AWS::Events::Rule').filter(
        ([, r]) =>
          JSON.stringify(r.Properties.EventBusName) === JSON.stringify({ Ref: busId }) &&
          JSON.stringify(canonical(r.Properties.EventPattern)) === JSON.stringify(canonical(rule.contract.pattern())) &&
          JSON.stringify(r.Properties.Targets[0].Arn) === JSON.stringify(getAtt(target)),
      );
      expect(matching, `one rule on the convene bus for ${rule.name}`).toHaveLength(1);
      const [, found] = matching[0]!;
      expect(found.Properties.EventPattern).toEqual(JSON.parse(JSON.stringify(rule.contract.pattern())));
      expect(found.Properties.Targets).toHaveLength(1);
      const [ruleTarget] = found.Properties.Targets;
      expect(ruleTarget.RetryPolicy).toEqual({ MaximumRetryAttempts: rule.retryAttempts, MaximumEventAgeInSeconds: rule.maxEventAgeSeconds });
      const dlq = ruleTarget.DeadLetterConfig.Arn['Fn::GetAtt'][0] as string;
      expect(resources[dlq]!.Type).toBe('AWS::SQS::Queue');
    },
  );

  it('has one rule per topology rule on the convene bus, and nothing else there', () => {
    const onConveneBus = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventBusName !== undefined);
    expect(onConveneBus).toHaveLength(rules.length);
  });

  it.each(busForwards(stageNames(DEFAULT_STAGE)))('forwards this stage\'s SES events from the default bus to its convene bus ($name), with a dead-letter queue', (forward) => {
    const busId = singleLogicalId('AWS::Events::EventBus', () => true, 'the convene bus');
    const forwardRule = singleLogicalId(
      'AWS::Events::Rule',
      (r) => r.Properties.EventBusName === undefined && JSON.stringify(canonical(r.Properties.EventPattern)) === JSON.stringify(canonical(forward.pattern)),
      forward.name,
    );
    const [target] = resources[forwardRule]!.Properties.Targets;
    expect(target.Arn).toEqual(getAtt(busId));
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/Dlq/);
  });

  it('publishes SES delivery, bounce and complaint events from the configuration set to the default bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'convene-dev' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        EventBridgeDestination: { EventBusArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':event-bus/default$')])] }) },
        MatchingEventTypes: Match.arrayEquals(['delivery', 'bounce', 'complaint']),
      },
    });
  });

  it.each([...new Set<FunctionName>(schedules.map((r) => r.target))])(
    '%s, invoked asynchronously by a schedule, keeps failed invocations in a failure queue instead of dropping them',
    (target) => {
      const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: functionId(target) }));
      expect(configs).toHaveLength(1);
      const { Properties: config } = configs[0]![1];
      expect(namesAlias(config.Qualifier, target)).toBe(true);
      expect(config.MaximumRetryAttempts).toBe(2);
      const queue = config.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
      expect(resources[queue]!.Type).toBe('AWS::SQS::Queue');
    },
  );

  it('invokes no event consumer asynchronously: each one reads its queue', () => {
    const consumers = queues.map((q) => JSON.stringify({ Ref: functionId(q.target) }));
    const configs = ofType('AWS::Lambda::EventInvokeConfig').filter(([, c]) => consumers.includes(JSON.stringify(c.Properties.FunctionName)));
    expect(configs).toEqual([]);
  });
});

describe('consumer queues', () => {
  it.each(queues)(
    '$name buffers the events of $target: batches of $batchSize, at most $maxConcurrency at once, partial batch failures, $maxReceiveCount receives, then its own dead-letter queue',
    (spec) => {
      const id = queueId(spec);
      const { Properties: queue } = resources[id]!;
      const timeout = resources[functionId(spec.target)]!.Properties.Timeout as number;
      expect(queue.VisibilityTimeout).toBe(visibilityTimeoutSeconds(spec));
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(queue.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(10);
      expect(queue.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
      const dlq = queue.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0] as string;
      expect(resources[dlq]!.Type).toBe('AWS::SQS::Queue');
      expect(resources[dlq]!.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(id),
        FunctionName: Match.anyValue(),
        BatchSize: spec.batchSize,
        ScalingConfig: { MaximumConcurrency: spec.maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // Only EventBridge, over TLS, from the convene rules, may send to it.
      const policies = ofType('AWS::SQS::QueuePolicy').filter(([, p]) => (p.Properties.Queues as unknown[]).some((q) => JSON.stringify(q) === JSON.stringify({ Ref: id })));
      const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Statement & { Principal?: unknown }>);
      const sends = statements.filter((st) => st.Effect === 'Allow' && asArray(st.Action).includes('sqs:SendMessage'));
      expect(sends.length).toBeGreaterThan(0);
      for (const send of sends) expect(send.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(statements.some((st) => st.Effect === 'Deny' && JSON.stringify(st.Condition).includes('aws:SecureTransport'))).toBe(true);
    },
  );
});

describe('outbox relay', () => {
  it.each(streams)('$name feeds inserted outbox items to $target, with partial batch failures and a dead-letter queue', (spec) => {
    const tableArn = getAtt(tableId(tables.main.partitionKey), 'StreamArn');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: tableArn,
      FunctionName: Match.anyValue(),
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify(spec.filter) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      BatchSize: spec.batchSize,
      MaximumRetryAttempts: spec.retryAttempts,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith(['Arn']) }) } },
    });
  });
});

describe('schedules', () => {
  it.each(schedules)('schedule $name runs $target at $expression with the scheduled time as "now", retried and dead-lettered', (spec) => {
    const id = singleLogicalId('AWS::Scheduler::Schedule', (r) => r.Properties.Name === `convene-dev-${spec.name}`, spec.name);
    const { Properties: schedule } = resources[id]!;
    expect(schedule.ScheduleExpression).toBe(spec.expression);
    if (spec.timeZone) expect(schedule.ScheduleExpressionTimezone).toBe(spec.timeZone);
    expect(schedule.Target.Arn).toEqual({ Ref: aliasId(spec.target) });
    expect(schedule.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/Dlq/);
    expect(schedule.Target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(JSON.parse(schedule.Target.Input)).toEqual({
      version: '0',
      id: '<aws.scheduler.execution-id>',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      time: '<aws.scheduler.scheduled-time>',
      resources: ['<aws.scheduler.schedule-arn>'],
      detail: {},
    });
  });

  it('refuses a digest hour or time zone that differs from the digest schedule in the topology', () => {
    // Prepare: a cheap synth (no bundling) with a digest hour the topology does not declare.
    const other = new App({ context: { ...cdkContext, 'convene:digestHour': 9, [BUNDLING_STACKS]: [] } });
    const mismatched = defineConvene(other).stack;
    // Act
    const errors = Annotations.fromStack(mismatched).findError('*', Match.stringLikeRegexp('digest'));
    // Assess
    expect(errors).toHaveLength(1);
  });

  it('names every missing or malformed context key', () => {
    const bad = new App({ context: { ...cdkContext, 'convene:senderAddress': 'not an address', 'convene:forumTimeZone': 'Mars/Olympus' } });
    expect(() => readConveneSettings(bad.node)).toThrow(/convene:senderAddress.*convene:forumTimeZone/);
  });
});

describe('tables', () => {
  it('keeps the main table safe: on demand, NEW_IMAGE stream, point-in-time recovery, deletion protection, retained, TTL, indexes', () => {
    const id = tableId(tables.main.partitionKey);
    const table = resources[id]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: tables.main.timeToLiveAttribute, Enabled: true },
    });
    expect(table.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName)).toEqual(tables.main.globalIndexes.map((i) => i.name));
    // The programme index holds keys only: a seat counter's change never rewrites it (no hot PROGRAMME key).
    expect(Object.fromEntries(table.Properties.GlobalSecondaryIndexes.map((i: { IndexName: string; Projection: { ProjectionType: string } }) => [i.IndexName, i.Projection.ProjectionType]))).toEqual({ gsi1: 'ALL', gsi2: 'ALL', gsi3: 'ALL', programme: 'KEYS_ONLY' });
  });

  it('keeps the idempotency table on demand with TTL on expiration, point-in-time recovery, retained, without a stream', () => {
    const id = tableId(tables.idempotency.partitionKey);
    const table = resources[id]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
    expect(table.Properties.StreamSpecification).toBeUndefined();
  });
});

describe('functions', () => {
  it('creates exactly one Lambda function per topology function', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(Object.keys(functions).length);
  });

  it.each(functionNames)('%s is invoked only through its live alias, which points at a version published from this deploy', (name) => {
    const alias = resources[aliasId(name)]!.Properties;
    const version = alias.FunctionVersion['Fn::GetAtt'][0] as string;
    expect(resources[version]!.Type).toBe('AWS::Lambda::Version');
    expect(resources[version]!.Properties.FunctionName).toEqual({ Ref: functionId(name) });
    // Nothing invokes the unqualified function: every permission names the alias.
    const permissions = ofType('AWS::Lambda::Permission').filter(([, p]) => JSON.stringify(p.Properties.FunctionName).includes(functionId(name)));
    expect(permissions).toEqual([]);
  });

  it('reserves no concurrency, so the stack deploys on an account whose concurrency quota is 10 (the bulk jobs hold a lease instead)', () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.ReservedConcurrentExecutions, id).toBeUndefined();
  });

  it.each(functionNames)('%s runs Node.js 24 on arm64 with tracing, its own log group, its spec sizes and only its env and settings', (name) => {
    const spec = specOf(name);
    const fn = resources[functionId(name)]!.Properties;
    expect(fn.Runtime).toBe('nodejs24.x');
    expect(fn.Architectures).toEqual(['arm64']);
    expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.MemorySize).toBe(spec.memoryMb ?? 512);
    expect(fn.Timeout).toBe(spec.timeoutSeconds ?? 30);
    expect(Object.keys(fn.Environment.Variables).sort()).toEqual(['NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', ...spec.env, ...(spec.settings ?? [])].sort());
    expect(fn.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('Convene/dev');
    const logGroup = fn.LoggingConfig.LogGroup.Ref as string;
    expect(resources[logGroup]!.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('wires every function to a route, a rule, a stream or a schedule', () => {
    const wired = new Set<FunctionName>([...routes.map((r) => r.function), ...[...rules, ...streams, ...schedules].map((w) => w.target)]);
    expect(functionNames.filter((name) => !wired.has(name))).toEqual([]);
  });

  it('resolves environment values from the stack and the context', () => {
    const settings = readConveneSettings(app.node);
    const digest = resources[functionId('sendDigest')]!.Properties.Environment.Variables;
    expect(digest).toMatchObject({
      TABLE_NAME: { Ref: tableId(tables.main.partitionKey) },
      PUBLIC_URL: { 'Fn::Join': ['', ['https://', getAtt(singleLogicalId('AWS::CloudFront::Distribution', () => true, 'distribution'), 'DomainName')]] },
      MAIL_FROM: settings.senderAddress,
      FORUM_TIME_ZONE: settings.forumTimeZone,
      ORGANISER_ADDRESSES: settings.organiserAddresses.join(','),
      CONFIGURATION_SET: { Ref: singleLogicalId('AWS::SES::ConfigurationSet', () => true, 'configuration set') },
    });
    const relay = resources[functionId('publishEvents')]!.Properties.Environment.Variables;
    expect(relay.EVENT_BUS_NAME).toEqual({ Ref: singleLogicalId('AWS::Events::EventBus', () => true, 'bus') });
  });
});

describe('HTTP API', () => {
  it.each(routes)('$method $path reaches $function with auth $auth', (route) => {
    const id = singleLogicalId('AWS::ApiGatewayV2::Route', (r) => r.Properties.RouteKey === `${route.method} ${route.path}`, `${route.method} ${route.path}`);
    const props = resources[id]!.Properties;
    expect(props.AuthorizationType).toBe(route.auth === 'iam' ? 'AWS_IAM' : 'NONE');
    const integration = props.Target['Fn::Join'][1][1].Ref as string;
    expect(resources[integration]!.Properties.IntegrationUri).toEqual({ Ref: aliasId(route.function) });
  });

  it('has exactly the topology routes, and the $default route to the web function for the 404 and 405 pages', () => {
    expect(ofType('AWS::ApiGatewayV2::Route')).toHaveLength(routes.length + 1);
    const id = singleLogicalId('AWS::ApiGatewayV2::Route', (r) => r.Properties.RouteKey === '$default', '$default');
    const props = resources[id]!.Properties;
    expect(props.AuthorizationType).toBe('NONE');
    expect(resources[props.Target['Fn::Join'][1][1].Ref as string]!.Properties.IntegrationUri).toEqual({ Ref: aliasId(defaultRoute.function) });
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties.RouteSettings.$default).toEqual({ ThrottlingRateLimit: defaultRoute.throttle.rateLimit, ThrottlingBurstLimit: defaultRoute.throttle.burstLimit });
    // It tells a wrong method from an unknown path by the API's route keys.
    expect(resources[functionId('web')]!.Properties.Environment.Variables.ROUTE_KEYS).toBe(routeKeys);
  });

  it('throttles the default stage and writes access logs', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
    });
  });

  it('never logs the query string (signed tokens) or the caller IP', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties.AccessLogSettings.Format).not.toMatch(/sourceIp|querystring|\$context\.path/i);
  });

  it('exports the public URL, the distribution, the API URL, the bus name, the table name, the token secret (for key rotation), the organiser policy, the alarm topic and what a replay needs', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    // No organiser role: cdk.json names no convene:organiserPrincipalArns (test/cdk/organiser-access.test.ts).
    // The alarm topic and the replay outputs: test/cdk/alerting.test.ts.
    expect(Object.keys(outputs).sort()).toEqual(['AlarmTopicArn', 'ApiUrl', 'DistributionDomainName', 'EventArchiveArn', 'EventBusArn', 'EventBusName', 'OrganiserPolicyArn', 'PublicUrl', 'TableName', 'TokenSecretArn']);
  });
});

describe('IAM', () => {
  it('grants Resource "*" only for actions that support no resource-level permission', () => {
    const offending = ofType('AWS::IAM::Policy').flatMap(([id, p]) =>
      (p.Properties.PolicyDocument.Statement as Statement[])
        .filter((s) => s.Effect === 'Allow' && asArray(s.Resource).includes('*'))
        .flatMap((s) => asArray(s.Action).filter((a) => !RESOURCE_STAR_ONLY.has(a)).map((a) => `${id}: ${a}`)),
    );
    expect(offending).toEqual([]);
  });

  it('gives no function a managed policy (AWSLambdaBasicExecutionRole would allow every log group)', () => {
    const functionRoles = new Set(ofType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0] as string));
    for (const id of functionRoles) expect(resources[id]!.Properties.ManagedPolicyArns, id).toBeUndefined();
  });

  it.each(functionNames)('%s may use only the services its topology access names', (name) => {
    const services = new Set(allowedActions(statementsOf(name)).map((a) => a.split(':')[0]!));
    expect([...services].sort()).toEqual([...expectedServices(name)].sort());
  });

  it.each(functionNames.filter((n) => accessOf(n).table))('%s reads or writes the main table as its access says', (name) => {
    const statements = statementsOf(name);
    const main = getAtt(tableId(tables.main.partitionKey));
    expect(resourcesFor(statements, 'dynamodb:Query')).toContainEqual(main);
    const writes = TABLE_WRITES.flatMap((action) => resourcesFor(statements, action));
    if (accessOf(name).table === 'read') expect(writes).toEqual([]);
    else expect(resourcesFor(statements, 'dynamodb:PutItem')).toContainEqual(main);
  });

  it('lets listSessions read the programme but never write', () => {
    const actions = allowedActions(statementsOf('listSessions'));
    expect(actions).toContain('dynamodb:Query');
    for (const write of TABLE_WRITES) expect(actions).not.toContain(write);
  });

  it('lets publishEvents put events on the convene bus only, and touch no table data', () => {
    const statements = statementsOf('publishEvents');
    const bus = getAtt(singleLogicalId('AWS::Events::EventBus', () => true, 'bus'));
    expect(resourcesFor(statements, 'events:PutEvents')).toEqual([bus]);
    const actions = allowedActions(statements);
    for (const action of [...TABLE_WRITES, 'dynamodb:Query', 'dynamodb:GetItem']) expect(actions).not.toContain(action);
    expect(resourcesFor(statements, 'dynamodb:GetRecords')).toEqual([getAtt(tableId(tables.main.partitionKey), 'StreamArn')]);
  });

  it.each(functionNames.filter((n) => accessOf(n).idempotencyTable))(
    '%s writes idempotency records to the idempotency table',
    (name) => {
      expect(resourcesFor(statementsOf(name), 'dynamodb:PutItem')).toContainEqual(getAtt(tableId(tables.idempotency.partitionKey)));
    },
  );

  it.each(functionNames.filter((n) => accessOf(n).sendMail))(
    '%s sends mail only from the sender address, through its identity and the configuration set',
    (name) => {
      const mail = statementsOf(name).filter((s) => asArray(s.Action).some((a) => a.startsWith('ses:Send')));
      expect(mail).toHaveLength(1);
      expect(asArray(mail[0]!.Action).sort()).toEqual(['ses:SendBulkEmail', 'ses:SendEmail']);
      expect(mail[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': readConveneSettings(app.node).senderAddress } });
      const arns = JSON.stringify(mail[0]!.Resource);
      expect(arns).toContain(':identity/');
      expect(arns).toContain(':configuration-set/');
    },
  );

  it.each(functionNames)('%s reads the account\'s sending quota only if it paces its mail', (name) => {
    const reads = statementsOf(name).filter((s) => asArray(s.Action).includes('ses:GetAccount'));
    expect(reads).toHaveLength(accessOf(name).readSendQuota ? 1 : 0);
    // Account-level: only "*" can name it (CDK merges it into the statement of the other "*" actions).
    for (const read of reads) expect(read.Resource).toBe('*');
  });

  it.each(functionNames.filter((n) => accessOf(n).tokenSecret))('%s reads the token secret and nothing else in Secrets Manager', (name) => {
    const secret = singleLogicalId('AWS::SecretsManager::Secret', (r) => String(r.Properties.Description).includes('sign link tokens'), 'token secret');
    expect(resourcesFor(statementsOf(name), 'secretsmanager:GetSecretValue')).toEqual([{ Ref: secret }]);
  });

  it('generates the token secret in the key shape the functions read: a 64-character current key named k1', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, SecretStringTemplate: JSON.stringify({ currentId: 'k1' }), GenerateStringKey: 'current' }),
    });
    template.hasOutput('TokenSecretArn', Match.objectLike({ Value: { Ref: singleLogicalId('AWS::SecretsManager::Secret', (r) => String(r.Properties.Description).includes('sign link tokens'), 'token secret') } }));
  });
});

describe('monitoring', () => {
  it('alarms as soon as any dead-letter queue holds a message', () => {
    const consumerQueues = new Set(queues.map(queueId));
    const deadLetterQueues = ofType('AWS::SQS::Queue').map(([id]) => id).filter((id) => !consumerQueues.has(id));
    // Per rule, bus forward, stream and schedule; per consumer queue; per schedule target's failed invocations.
    expect(deadLetterQueues.length).toBe(rules.length + busForwards(stageNames(DEFAULT_STAGE)).length + streams.length + schedules.length + queues.length + new Set(schedules.map((r) => r.target)).size);
    for (const queue of deadLetterQueues) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(queue, 'QueueName') }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it.each(queues)('alarms when the oldest event in the $name queue has waited more than 15 minutes', (spec) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId(spec), 'QueueName') }],
      Threshold: 15 * 60,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('encrypts every queue and refuses plain-HTTP access to it', () => {
    for (const [id, queue] of ofType('AWS::SQS::Queue')) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it.each(functionNames)('alarms on errors of %s', (name) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(name) } }],
    });
  });

  it('has a dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('checks', () => {
  it.each([
    ['AwsSolutions', () => new AwsSolutionsChecks()],
    ['Serverless', () => new ServerlessChecks()],
  ])('leaves no unacknowledged cdk-nag %s finding in either stack', (_, pack) => {
    const report = pack().validateScope(app);
    const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('has no error or warning annotation', () => {
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('passes CloudFormation template validation without findings', () => {
    const report = join(app.outdir, 'validation-report.json');
    const violations = existsSync(report)
      ? (JSON.parse(readFileSync(report, 'utf8')).pluginReports as Array<{ violations: Array<{ ruleName: string; description: string }> }>).flatMap((p) => p.violations)
      : [];
    expect(violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });
});

describe('deliverability alarms', () => {
  it('alarms on the SES bounce and complaint rates', () => {
    for (const [metric, threshold] of [['Reputation.BounceRate', 0.05], ['Reputation.ComplaintRate', 0.001]] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/SES', MetricName: metric, Threshold: threshold });
    }
  });
});
