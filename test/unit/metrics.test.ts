import { afterEach, describe, expect, it, vi } from 'vitest';
import { businessMetrics, publishCounts } from '../../functions/core/metrics.ts';
import { BusinessMetric, METRICS_NAMESPACE } from '../../functions/core/metric-names.ts';

describe('business metrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('publishes counts in the Convene namespace without dimensions, as the alarms read them', () => {
    // Prepare: the embedded metric format goes to standard output, one JSON line per flush.
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    // Act
    publishCounts(businessMetrics('send-notices'), { MailsSent: 120, FailedRecipients: 0 });
    // Assess
    const emf = lines.map((line) => JSON.parse(line) as Record<string, any>).find((entry) => entry._aws);
    expect(emf).toBeDefined();
    const [directive] = emf!._aws.CloudWatchMetrics;
    expect(directive.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive.Dimensions.flat()).toEqual([]);
    expect(directive.Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual([BusinessMetric.FailedRecipients, BusinessMetric.MailsSent]);
    expect(emf!.MailsSent).toBe(120);
    expect(emf!.FailedRecipients).toBe(0);
  });
});
