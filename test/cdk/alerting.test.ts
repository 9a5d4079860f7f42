import { App, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { BusinessMetric, metricsNamespace } from '../../functions/core/metric-names.ts';

/** The stage these synths build (cdk.json names none): its business metrics' namespace. */
const METRICS_NAMESPACE = metricsNamespace('dev');
import { defineConvene, readConveneSettings, type ConveneStack } from '../../infra/stack.ts';
import { cdkContext } from './context.ts';

/**
 * Alerting: one encrypted SNS topic that every alarm of the stack notifies (whoever creates the alarm),
 * mail subscriptions from `convene:alarmEmail`, the business-metric alarms, and the archive of the bus that
 * replays start from. Cheap synths (no bundling): the cdk.json context as it is, and with two alarm
 * addresses.
 */
const alarmEmails = ['ops@example.org', 'oncall@example.org'];

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: Record<string, any> };
type Synth = { app: App; stack: ConveneStack; resources: Record<string, Resource>; outputs: Record<string, { Value: unknown }> };

/** Synthesizes the stack from the cdk.json context plus `context`; `extend` adds constructs before synth. */
function synth(context: Record<string, unknown>, extend?: (stack: ConveneStack) => void): Synth {
  const app = new App({ context: { ...cdkContext, ...context, [BUNDLING_STACKS]: [] } });
  const stack = defineConvene(app).stack;
  extend?.(stack);
  const json = Template.fromStack(stack).toJSON();
  return { app, stack, resources: json.Resources, outputs: json.Outputs };
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const ofType = (s: Synth, type: string) => Object.entries(s.resources).filter(([, r]) => r.Type === type);
const only = (s: Synth, type: string): [string, Resource] => {
  const found = ofType(s, type);
  expect(found.map(([id]) => id), type).toHaveLength(1);
  return found[0]!;
};
const topicOf = (s: Synth) => only(s, 'AWS::SNS::Topic');
const businessAlarm = (s: Synth, metricName: string) => {
  const found = ofType(s, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Namespace === METRICS_NAMESPACE && a.Properties.MetricName === metricName);
  expect(found, metricName).toHaveLength(1);
  return found[0]![1].Properties;
};

let plain: Synth;
let withEmails: Synth;

beforeAll(() => {
  plain = synth({});
  withEmails = synth({ 'convene:alarmEmail': alarmEmails.join(', ') });
});

describe('alarm topic', () => {
  it('is notified by every alarm of the stack when it fires and when it recovers', () => {
    // Prepare
    const [topic] = topicOf(plain);
    const alarms = ofType(plain, 'AWS::CloudWatch::Alarm');
    // Assess: alarms of Monitoring and of other constructs (the consumer queues' backlog alarms) alike.
    expect(alarms.length).toBeGreaterThan(10);
    expect(alarms.some(([id]) => !id.startsWith('Monitoring'))).toBe(true);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topic }]);
    }
  });

  it('is notified by an alarm created after the monitoring construct too', () => {
    // Prepare: an alarm added once the stack is complete, as a later capability construct would.
    const late = synth({}, (stack) => {
      new cloudwatch.Alarm(stack, 'LateAlarm', {
        metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Late', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
      });
    });
    // Act
    const [topic] = topicOf(late);
    const [, alarm] = Object.entries(late.resources).find(([id]) => id.startsWith('LateAlarm'))!;
    // Assess
    expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });

  it('is encrypted with a rotated customer-managed key and refuses publishing without TLS', () => {
    const [topicId, topic] = topicOf(plain);
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    expect(plain.resources[keyId]!.Type).toBe('AWS::KMS::Key');
    expect(plain.resources[keyId]!.Properties.EnableKeyRotation).toBe(true);
    const [, policy] = only(plain, 'AWS::SNS::TopicPolicy');
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId }]);
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it("lets CloudWatch publish and use the key, for this account's alarms only", () => {
    const [topicId, topic] = topicOf(plain);
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0] as string;
    const fromCloudWatch = (statements: Statement[]) => statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }));
    const confinedToThisAccount = (s: Statement) => {
      expect(s.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(JSON.stringify(s.Condition?.ArnLike?.['aws:SourceArn'])).toMatch(/:cloudwatch:.*:alarm:\*/);
    };
    // The topic policy
    const [, policy] = only(plain, 'AWS::SNS::TopicPolicy');
    const publish = fromCloudWatch(policy.Properties.PolicyDocument.Statement);
    expect(publish).toHaveLength(1);
    expect(asArray(publish[0]!.Action)).toEqual(['sns:Publish']);
    expect(publish[0]!.Resource).toEqual({ Ref: topicId });
    confinedToThisAccount(publish[0]!);
    // The key policy
    const useKey = fromCloudWatch(plain.resources[keyId]!.Properties.KeyPolicy.Statement);
    expect(useKey).toHaveLength(1);
    expect(asArray(useKey[0]!.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    confinedToThisAccount(useKey[0]!);
  });

  it('is an output, AlarmTopicArn', () => {
    const [topic] = topicOf(plain);
    expect(plain.outputs.AlarmTopicArn?.Value).toEqual({ Ref: topic });
  });

  it('mails each address of convene:alarmEmail', () => {
    const [topic] = topicOf(withEmails);
    const subscriptions = ofType(withEmails, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions).toHaveLength(alarmEmails.length);
    for (const email of alarmEmails) expect(subscriptions).toContainEqual({ Protocol: 'email', Endpoint: email, TopicArn: { Ref: topic } });
  });

  it('has no subscription without convene:alarmEmail', () => {
    expect(ofType(plain, 'AWS::SNS::Subscription')).toEqual([]);
  });

  it('refuses a malformed convene:alarmEmail, naming the key', () => {
    const bad = new App({ context: { ...cdkContext, 'convene:alarmEmail': 'ops@example.org,not an address' } });
    expect(() => readConveneSettings(bad.node)).toThrow(/convene:alarmEmail/);
  });
});

describe('business-metric alarms', () => {
  it('alarms as soon as a recipient failed permanently in five minutes', () => {
    expect(businessAlarm(plain, BusinessMetric.FailedRecipients)).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('alarms when SES throttles more than 100 sends in each of three five-minute periods, naming the quota to raise', () => {
    const alarm = businessAlarm(plain, BusinessMetric.MailsThrottled);
    expect(alarm).toMatchObject({
      Statistic: 'Sum',
      Period: 300,
      Threshold: 100,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmDescription).toMatch(/SES sending quota/);
  });

  it('alarms as soon as bulk mail paused for the daily quota, naming the quota to raise', () => {
    const alarm = businessAlarm(plain, BusinessMetric.BulkPausedForDailyQuota);
    expect(alarm).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    expect(alarm.AlarmDescription).toMatch(/Sending quota/);
  });

  it('reads the metrics without dimensions, as the handlers publish them', () => {
    for (const name of [BusinessMetric.FailedRecipients, BusinessMetric.MailsThrottled, BusinessMetric.BulkPausedForDailyQuota]) expect(businessAlarm(plain, name).Dimensions, name).toBeUndefined();
  });

  it('graphs every business metric on the dashboard', () => {
    const [, dashboard] = only(plain, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of Object.values(BusinessMetric)) expect(body, name).toContain(`[\\"${METRICS_NAMESPACE}\\",\\"${name}\\"`);
  });
});

describe('dead-letter queues', () => {
  const tags = (resource: Resource) => Object.fromEntries(((resource.Properties.Tags ?? []) as Array<{ Key: string; Value: unknown }>).map((tag) => [tag.Key, tag.Value]));
  const deadLetterQueues = () => Object.entries(plain.resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue' && tags(r)['convene:dead-letter-kind']);

  it('are tagged with their kind, which `npm run admin -- redrive` delivers by, and where a redrive delivers to', () => {
    const queues = Object.entries(plain.resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    const sources = new Set(queues.flatMap(([, r]) => (r.Properties.RedrivePolicy ? [JSON.stringify(r.Properties.RedrivePolicy.deadLetterTargetArn)] : [])));
    const dlqs = deadLetterQueues();
    // Every queue is either a consumer queue (with a redrive policy) or a tagged dead-letter queue.
    expect(queues.filter(([, r]) => !r.Properties.RedrivePolicy && !tags(r)['convene:dead-letter-kind']).map(([id]) => id)).toEqual([]);
    const kinds = new Set(dlqs.map(([, r]) => tags(r)['convene:dead-letter-kind']));
    expect([...kinds].sort()).toEqual(['async-invoke', 'consumer-queue', 'forward', 'rule', 'schedule', 'stream']);
    for (const [id, r] of dlqs.filter(([, r]) => tags(r)['convene:dead-letter-kind'] === 'consumer-queue')) {
      // The message move task returns them to the queue whose redrive policy names this one.
      expect(sources.has(JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })), id).toBe(true);
      expect(r.Properties.Tags.some((tag: { Key: string }) => tag.Key === 'convene:redrive-target'), id).toBe(false);
    }
    for (const [id, r] of dlqs.filter(([, r]) => ['rule', 'stream'].includes(String(tags(r)['convene:dead-letter-kind'])))) {
      expect(tags(r)['convene:redrive-target'], id).toBeDefined();
    }
  });
});

describe('event archive', () => {
  it('archives every event of the convene bus for 30 days', () => {
    const [busId] = only(plain, 'AWS::Events::EventBus');
    const [, archive] = only(plain, 'AWS::Events::Archive');
    expect(archive.Properties.SourceArn).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
    expect(archive.Properties.RetentionDays).toBe(30);
    expect(archive.Properties.EventPattern).toEqual({ account: [{ Ref: 'AWS::AccountId' }] });
  });

  it('outputs what a replay needs: the archive and the bus ARNs', () => {
    const [busId] = only(plain, 'AWS::Events::EventBus');
    const [archiveId] = only(plain, 'AWS::Events::Archive');
    expect(plain.outputs.EventArchiveArn?.Value).toEqual({ 'Fn::GetAtt': [archiveId, 'Arn'] });
    expect(plain.outputs.EventBusArn?.Value).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
  });
});

describe('checks', () => {
  it.each([
    ['without alarm addresses', () => plain],
    ['with alarm addresses', () => withEmails],
  ])('leaves no unacknowledged cdk-nag AwsSolutions finding %s', (_, which) => {
    const report = new AwsSolutionsChecks().validateScope(which().app);
    const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });
});
