import { randomUUID } from 'node:crypto';
import { busForwards, localNames, rules, type FunctionName } from '../topology.ts';
import type { Activity } from './activity.ts';
import { matchesEventPattern, validateEventPattern } from './event-pattern.ts';
import type { LocalQueues } from './queues.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './settings.ts';

export type EventEnvelope = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
};

export type PutEventsEntry = { Source?: string; DetailType?: string; Detail?: string; EventBusName?: string; Resources?: string[]; Time?: string | number };

export type DeadLetter = {
  rule: string;
  target: string;
  event: EventEnvelope;
  attempts: number;
  error: string;
  at: string;
};

type LocalRule = {
  name: string;
  bus: string;
  pattern: Record<string, unknown>;
  /** A consumer's queue (the consumer itself is invoked by the queue), or another bus. */
  target: { queue: FunctionName } | { bus: string };
  retryAttempts: number;
  maxEventAgeSeconds: number;
};

/** PutEvents' documented limit on one entry: 256 KB. */
const MAX_ENTRY_BYTES = 256 * 1024;

/**
 * The local EventBridge: PutEvents validated as EventBridge does, rules matched with the documented
 * pattern semantics, the envelope EventBridge builds sent to each rule's consumer queue (LocalQueues)
 * asynchronously; a delivery that fails (a message SQS refuses) is retried with exponential backoff and
 * jitter up to the rule's retry policy, then dead-lettered. The consumers' own failures are the queues'.
 */
export class LocalEventBus {
  readonly deadLetters: DeadLetter[] = [];
  private readonly rules: LocalRule[];
  /** Fault injection: deliver every event this many times (at-least-once delivery made visible). */
  deliveries = 1;
  /** Fault injection: delay each delivery by up to this many ms, so events arrive out of order. */
  reorderMs = 0;

  constructor(
    private readonly queues: LocalQueues,
    private readonly activity: Activity,
    private readonly retryBaseMs: number,
    extraRules: LocalRule[] = [],
  ) {
    this.rules = [
      ...rules.map((rule) => ({
        name: rule.name,
        bus: localNames.bus,
        pattern: rule.contract.pattern(),
        target: { queue: rule.target },
        retryAttempts: rule.retryAttempts,
        maxEventAgeSeconds: rule.maxEventAgeSeconds,
      })),
      ...busForwards(localNames).map((forward) => ({
        name: forward.name,
        bus: forward.from,
        pattern: forward.pattern,
        target: { bus: forward.to },
        retryAttempts: 185,
        maxEventAgeSeconds: 86_400,
      })),
      ...extraRules,
    ];
    for (const rule of this.rules) validateEventPattern(rule.pattern);
  }

  /** Handles a PutEvents request; answers per entry like EventBridge (EventId, or ErrorCode/ErrorMessage). */
  putEvents(entries: PutEventsEntry[]): { FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> } {
    const results = entries.map((entry) => {
      const problem = this.checkEntry(entry);
      if (problem) return { ErrorCode: 'MalformedDetail', ErrorMessage: problem };
      const time = entry.Time !== undefined ? new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time) : new Date();
      const envelope: EventEnvelope = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType!,
        source: entry.Source!,
        account: LOCAL_ACCOUNT,
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: LOCAL_REGION,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail!) as unknown,
      };
      this.route(busName(entry.EventBusName), envelope);
      return { EventId: envelope.id };
    });
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  private checkEntry(entry: PutEventsEntry): string | undefined {
    if (!entry.Source || !entry.DetailType) return 'Source and DetailType are required';
    if (!entry.Detail) return 'Detail is required';
    if (Buffer.byteLength(JSON.stringify(entry)) > MAX_ENTRY_BYTES) return 'Entry larger than 256 KB';
    try {
      const detail: unknown = JSON.parse(entry.Detail);
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return 'Detail must be a JSON object';
    } catch {
      return 'Detail is not valid JSON';
    }
    const bus = busName(entry.EventBusName);
    if (bus !== 'default' && bus !== localNames.bus) return `Event bus ${bus} does not exist`;
    return undefined;
  }

  /** Emits an event as an AWS service would (e.g. SES on the default bus). */
  emit(bus: string, envelope: Omit<EventEnvelope, 'id' | 'version' | 'account' | 'region'>): string {
    const full: EventEnvelope = { version: '0', id: randomUUID(), account: LOCAL_ACCOUNT, region: LOCAL_REGION, ...envelope };
    this.route(bus, full);
    return full.id;
  }

  private route(bus: string, envelope: EventEnvelope): void {
    for (const rule of this.rules) {
      if (rule.bus !== bus || !matchesEventPattern(rule.pattern, envelope)) continue;
      if ('bus' in rule.target) {
        // A cross-bus target gets the same event with a new id, as EventBridge does.
        this.route(rule.target.bus, { ...envelope, id: randomUUID() });
        continue;
      }
      for (let copy = 0; copy < this.deliveries; copy++) this.deliver(rule, rule.target.queue, envelope);
    }
  }

  private deliver(rule: LocalRule, target: FunctionName, envelope: EventEnvelope): void {
    const end = this.activity.begin();
    const firstAttempt = Date.now();
    const attempt = async (number: number): Promise<void> => {
      try {
        this.queues.of(target).send(JSON.stringify(envelope));
        end();
      } catch (error) {
        const expired = Date.now() - firstAttempt > rule.maxEventAgeSeconds * 1000;
        if (number > rule.retryAttempts || expired) {
          this.deadLetters.push({
            rule: rule.name,
            target,
            event: envelope,
            attempts: number,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            at: new Date().toISOString(),
          });
          end();
          return;
        }
        const delay = Math.min(5000, this.retryBaseMs * 2 ** (number - 1)) * (0.5 + Math.random() / 2);
        setTimeout(() => void attempt(number + 1), delay);
      }
    };
    // Asynchronous like EventBridge: PutEvents answers before any target runs.
    if (this.reorderMs > 0) setTimeout(() => void attempt(1), Math.random() * this.reorderMs);
    else setImmediate(() => void attempt(1));
  }

  /** Re-delivers every dead letter to its target once more (after faults are fixed); returns how many. */
  replayDeadLetters(): number {
    const letters = this.deadLetters.splice(0);
    for (const letter of letters) {
      const rule = this.rules.find((r) => r.name === letter.rule);
      if (rule) this.deliver(rule, letter.target as FunctionName, letter.event);
    }
    return letters.length;
  }
}

function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  return nameOrArn.startsWith('arn:') ? nameOrArn.split('/').pop()! : nameOrArn;
}
