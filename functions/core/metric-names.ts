/**
 * The business metrics: the handlers publish them (Powertools Metrics, embedded metric format) and the
 * stack alarms on them and graphs them (infra/constructs/monitoring.ts). One declaration, so a renamed
 * metric cannot leave an alarm watching a metric nobody publishes any more.
 *
 * They are published without dimensions (Powertools' default `service` dimension disabled, no
 * `addDimension`): CloudWatch tells metrics apart by namespace, name and every dimension, and the alarms
 * read them by namespace and name alone, so a metric published with a dimension would never reach them.
 */
export const METRICS_NAMESPACE = 'Convene';

/**
 * Each stage publishes under its own namespace (`Convene/<stage>`, set by CDK in every function's
 * POWERTOOLS_METRICS_NAMESPACE), so staging's failures never fire production's alarms; the local runtime
 * sets none and publishes under `Convene`.
 */
export const metricsNamespace = (stage: string): string => `${METRICS_NAMESPACE}/${stage}`;

export const BusinessMetric = {
  /** Mails SES accepted, one per recipient. */
  MailsSent: 'MailsSent',
  /** Sends SES refused because the account is at its send rate; they are retried, nothing is lost. */
  MailsThrottled: 'MailsThrottled',
  /** Recipients whose mail failed permanently: recorded and shown to organisers, never retried. */
  FailedRecipients: 'FailedRecipients',
  /** Registrations the intake accepted. */
  Registrations: 'Registrations',
  /** Places held for addresses that did not confirm in time (address confirmation), released. */
  HoldsExpired: 'HoldsExpired',
  /** Bulk runs (notices, reminders) that paused because the day's SES quota is nearly spent; they resume as it frees. */
  BulkPausedForDailyQuota: 'BulkPausedForDailyQuota',
} as const;

export type BusinessMetricName = (typeof BusinessMetric)[keyof typeof BusinessMetric];
