import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, type BusinessMetricName } from './metric-names.ts';

/**
 * A handler's business metrics (Powertools Metrics, embedded metric format in the log): namespace
 * `Convene/<stage>` (`Convene` locally), no dimensions (metric-names.ts says why), so the stack's alarms see every function's counts.
 */
export function businessMetrics(serviceName: string): Metrics {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE, serviceName });
  // Powertools adds a `service` dimension by default; the alarms read the metrics without dimensions.
  metrics.clearDefaultDimensions();
  return metrics;
}

/** Publishes counts at once (zeros too: an alarm then sees "nothing failed", not missing data). */
export function publishCounts(metrics: Metrics, counts: Partial<Record<BusinessMetricName, number>>): void {
  for (const [name, value] of Object.entries(counts)) metrics.addMetric(name, MetricUnit.Count, value);
  metrics.publishStoredMetrics();
}
