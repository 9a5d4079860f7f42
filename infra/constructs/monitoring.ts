import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { BusinessMetric, type BusinessMetricName } from '../../functions/core/metric-names.ts';
import { streams } from '../topology.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { ConveneFunction } from './convene-function.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ConveneHttpApi } from './http-api.ts';

/**
 * A MailsThrottled sum above this in each of MAILS_THROTTLED_PERIODS five-minute periods is sending held
 * at the account's SES send rate for a quarter of an hour: a few throttled calls in a burst are normal (they
 * are retried), a sustained stream means the quota is too small for the forum.
 */
const MAILS_THROTTLED_THRESHOLD = 100;
const MAILS_THROTTLED_PERIODS = 3;

/**
 * Alarms and a dashboard for what must never go unnoticed: a message in any dead-letter queue, a
 * function error, the outbox relay falling behind, 5xx answers, a recipient that could not be mailed,
 * sending held at the SES rate. Dead-letter queues and functions are found in the construct tree, so one
 * created by any capability construct is covered; create this construct last. Every alarm in `root`,
 * whoever creates it, notifies the alarm topic (AlarmTopic).
 */
export class Monitoring extends Construct {
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string, props: { root: Construct; api: ConveneHttpApi; alarmEmails: readonly string[]; dashboardName: string; metricsNamespace: string }) {
    super(scope, id);
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { emails: props.alarmEmails });
    this.alarmTopic.notifyEveryAlarmIn(props.root);
    const found = props.root.node.findAll();
    const queues = found.filter((c): c is DeadLetterQueue => c instanceof DeadLetterQueue);
    const functions = found.filter((c): c is ConveneFunction => c instanceof ConveneFunction);

    const depthWidgets: cloudwatch.IMetric[] = [];
    for (const queue of queues) {
      const depth = queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM });
      depthWidgets.push(depth);
      new cloudwatch.Alarm(this, `Depth${Names.nodeUniqueId(queue.node)}`, {
        alarmDescription: `A message is waiting in a dead-letter queue: ${queue.purpose}. Inspect it, fix the cause, redrive.`,
        metric: depth,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    for (const fn of functions) {
      new cloudwatch.Alarm(this, `Errors${fn.node.id}`, {
        alarmDescription: `${fn.name} raised errors (${fn.spec.description}).`,
        metric: fn.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    const relays = functions.filter((fn) => streams.some((s) => s.target === fn.name));
    for (const fn of relays) {
      new cloudwatch.Alarm(this, `IteratorAge${fn.node.id}`, {
        alarmDescription: `${fn.name} is more than five minutes behind the table stream: events reach the bus late.`,
        metric: fn.function.metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: Duration.minutes(5).toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    const serverErrors = props.api.api.metricServerError({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
    new cloudwatch.Alarm(this, 'ApiServerErrors', {
      alarmDescription: 'The HTTP API answered 5xx.',
      metric: serverErrors,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // SES pauses sending above a 10 % bounce or 0.5 % complaint rate; alarm well before either.
    const reputation = [
      { id: 'SesBounceRate', metric: 'Reputation.BounceRate', threshold: 0.05, what: 'bounce rate above 5 %' },
      { id: 'SesComplaintRate', metric: 'Reputation.ComplaintRate', threshold: 0.001, what: 'complaint rate above 0.1 %' },
    ];
    for (const { id, metric, threshold, what } of reputation) {
      new cloudwatch.Alarm(this, id, {
        alarmDescription: `SES ${what}: check the deliveries of recent mail before SES pauses sending.`,
        metric: new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: metric, period: Duration.hours(1), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }

    // Published by the handlers without dimensions (functions/core/metric-names.ts). No label: an alarm on
    // a labelled metric renders as metric math, and graphs show the metric name anyway.
    const business = (metricName: BusinessMetricName) =>
      new cloudwatch.Metric({ namespace: props.metricsNamespace, metricName, period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
    new cloudwatch.Alarm(this, 'FailedRecipients', {
      alarmDescription: 'Mail to a recipient failed permanently and will not be retried: organisers see it in the session deliveries (GET /admin/sessions/{sessionId}/deliveries); check the reason.',
      metric: business(BusinessMetric.FailedRecipients),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'MailsThrottled', {
      alarmDescription: `SES refused more than ${MAILS_THROTTLED_THRESHOLD} sends per 5 minutes for ${MAILS_THROTTLED_PERIODS * 5} minutes: sending is at the account's rate, mail goes out late. Raise the SES sending quota (Service Quotas: "Sending rate").`,
      metric: business(BusinessMetric.MailsThrottled),
      threshold: MAILS_THROTTLED_THRESHOLD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: MAILS_THROTTLED_PERIODS,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    new cloudwatch.Alarm(this, 'BulkPausedForDailyQuota', {
      alarmDescription: 'Notices or reminders paused: the SES account has nearly spent its 24-hour quota (Max24HourSend; bulk mail stops at 90 % to keep the rest for confirmations). They resume as the window moves on; raise the quota (Service Quotas: "Sending quota") before the final week.',
      metric: business(BusinessMetric.BulkPausedForDailyQuota),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const fnMetric = (metric: (fn: ConveneFunction) => cloudwatch.IMetric) => functions.map(metric);
    new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'HTTP API',
            left: [props.api.api.metricCount({ period: Duration.minutes(5) }), props.api.api.metricClientError({ period: Duration.minutes(5) }), serverErrors],
            right: [props.api.api.metricLatency({ period: Duration.minutes(5), statistic: cloudwatch.Stats.p(99) })],
            width: 12,
          }),
          new cloudwatch.GraphWidget({ title: 'Dead-letter queue depth', left: depthWidgets, width: 12 }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Function errors',
            left: fnMetric((fn) => fn.function.metricErrors({ period: Duration.minutes(5), label: fn.name })),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Function duration p99',
            left: fnMetric((fn) => fn.function.metricDuration({ period: Duration.minutes(5), statistic: cloudwatch.Stats.p(99), label: fn.name })),
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Throttles and outbox lag',
            left: fnMetric((fn) => fn.function.metricThrottles({ period: Duration.minutes(5), label: fn.name })),
            right: relays.map((fn) => fn.function.metric('IteratorAge', { period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM, label: `${fn.name} iterator age` })),
            width: 24,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Mail',
            left: [business(BusinessMetric.MailsSent)],
            right: [business(BusinessMetric.MailsThrottled), business(BusinessMetric.FailedRecipients), business(BusinessMetric.BulkPausedForDailyQuota)],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Registrations and expired holds',
            left: [business(BusinessMetric.Registrations), business(BusinessMetric.HoldsExpired)],
            width: 12,
          }),
        ],
      ],
    });
  }
}
