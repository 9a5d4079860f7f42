import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Charset, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SettingName } from '../../functions/core/settings.ts';
import { DEFAULT_TIMEOUT_SECONDS, type EnvNeed, type FunctionName, type FunctionSpec } from '../topology.ts';
import { grantAccess, type SharedResources } from './access.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** The alias every caller of a Convene function invokes. */
export const LIVE_ALIAS = 'live';

/** Repository root: topology entries and the lock file are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles have no `require`, yet some bundled CommonJS dependencies call it for Node built-ins.
 * The aliased import keeps the banner from colliding with names esbuild emits.
 */
const REQUIRE_BANNER =
  "import { createRequire as __conveneCreateRequire } from 'node:module'; const require = __conveneCreateRequire(import.meta.url);";

export type ConveneFunctionProps = {
  name: FunctionName;
  spec: FunctionSpec;
  /** Every value a function may need; each function receives only the names its spec lists. */
  environment: Readonly<Record<EnvNeed, string>>;
  /** Every tunable setting as an environment value; each function receives only the ones its spec lists. */
  settings: Readonly<Record<SettingName, string>>;
  resources: SharedResources;
  /** The stage's namespace of the business metrics (POWERTOOLS_METRICS_NAMESPACE). */
  metricsNamespace: string;
  /**
   * Set when EventBridge or Scheduler invokes the function: they invoke asynchronously, so their own
   * retry policy and DLQ only cover delivery. A handler error is retried by Lambda, and the event then
   * lands in this function's failure queue instead of being dropped.
   */
  invokedAsynchronously: boolean;
};

/**
 * The one place that holds the defaults of every Convene function: Node.js 24 on arm64, an ESM bundle
 * with the AWS SDK inside, source maps, X-Ray, a log group with retention, a role that can write only to
 * that log group, and the grants that the topology's `access` names.
 */
export class ConveneFunction extends Construct {
  readonly name: FunctionName;
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  /**
   * The alias every caller invokes (routes, queues, the stream, schedules): `live` points at the version
   * published from this deploy's code, so a deploy that goes wrong can be moved back (infra/constructs/
   * safe-deploys.ts shifts the HTTP functions' traffic gradually and rolls back on their alarms).
   */
  readonly live: lambda.Alias;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Where a failed asynchronous invocation ends up (only for functions invoked asynchronously). */
  readonly failureQueue?: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ConveneFunctionProps) {
    super(scope, id);
    const { name, spec } = props;
    this.name = name;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    // An own role instead of AWSLambdaBasicExecutionRole, whose logs permissions apply to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Convene ${name}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      description: spec.description,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        ...Object.fromEntries(spec.env.map((need) => [need, props.environment[need]])),
        ...Object.fromEntries((spec.settings ?? []).map((setting) => [setting, props.settings[setting]])),
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        charset: Charset.UTF8,
        // Bundle the AWS SDK too: a pinned, tree-shaken client instead of whatever the runtime ships.
        externalModules: [],
        logLevel: LogLevel.WARNING,
      },
    });

    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: props.invokedAsynchronously
        ? 'Its asynchronous invocations (by a schedule) end in an on-failure destination, the failure queue below, which keeps the whole invocation record (a dead-letter queue keeps only the event).'
        : 'Never invoked asynchronously: its callers keep what fails (the HTTP client gets the answer; a consumer queue\'s redrive policy or the stream\'s on-failure destination keeps the record).',
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support only Resource "*".',
    });

    this.live = new lambda.Alias(this, 'Live', { aliasName: LIVE_ALIAS, version: this.function.currentVersion, description: `Convene ${name}: the version callers invoke` });

    if (props.invokedAsynchronously) {
      this.failureQueue = new DeadLetterQueue(this, 'FailureQueue', { purpose: `failed asynchronous invocations of ${name}`, kind: 'async-invoke' });
      // On the alias, which schedules invoke: an asynchronous invocation's settings belong to its qualifier.
      this.live.configureAsyncInvoke({
        onFailure: new SqsDestination(this.failureQueue),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
    }

    grantAccess(this.function, this.role, spec.access, props.resources);
  }
}
