import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { EventPattern as ContractPattern } from '../../events/contract.ts';
import { busForwards, rules, type StageNames } from '../topology.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { EventQueues } from './event-queues.ts';
import { pascalCase } from './functions.ts';

/** EventBridge's top-level pattern fields, as the CDK EventPattern spells them. */
const PATTERN_FIELDS: Record<string, keyof events.EventPattern> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

/**
 * A contract's pattern (EventBridge JSON) as a CDK EventPattern, which CDK renders back unchanged.
 * @throws Error on a top-level field EventBridge does not know, rather than dropping it.
 */
export function toEventPattern(pattern: ContractPattern): events.EventPattern {
  const converted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const key = PATTERN_FIELDS[field];
    if (!key) throw new Error(`Unknown EventBridge pattern field "${field}"`);
    converted[key] = value;
  }
  return converted as events.EventPattern;
}

/**
 * One rule per `topology.rules` entry on the convene bus, its pattern taken from the event contract, its
 * target the consumer's queue (EventQueues), delivery retried as the spec says and backed by the rule's
 * own dead-letter queue; plus the forwards from the
 * default bus (SES events).
 */
export class EventRules extends Construct {
  constructor(scope: Construct, id: string, props: { bus: events.IEventBus; queues: EventQueues; names: StageNames }) {
    super(scope, id);

    for (const spec of rules) {
      const name = pascalCase(spec.name);
      const deadLetterQueue = new DeadLetterQueue(this, `${name}Dlq`, {
        purpose: `events of rule ${spec.name} that could not be delivered to ${spec.target}`,
        kind: 'rule',
        redriveTarget: props.queues.of(spec.target).queueArn,
      });
      new events.Rule(this, name, {
        eventBus: props.bus,
        description: `${spec.name}: ${spec.contract.detailType} -> ${spec.target}`,
        eventPattern: toEventPattern(spec.contract.pattern()),
        targets: [
          new targets.SqsQueue(props.queues.of(spec.target), {
            deadLetterQueue,
            retryAttempts: spec.retryAttempts,
            maxEventAge: Duration.seconds(spec.maxEventAgeSeconds),
          }),
        ],
      });
    }

    for (const forward of busForwards(props.names)) {
      const name = pascalCase(forward.name);
      const deadLetterQueue = new DeadLetterQueue(this, `${name}Dlq`, {
        purpose: `events forwarded by ${forward.name} that could not reach the ${forward.to} bus`,
        kind: 'forward',
      });
      new events.Rule(this, name, {
        // No eventBus: the rule lives on the account's default bus, where SES publishes.
        description: `${forward.name}: ${forward.from} bus -> ${forward.to} bus`,
        eventPattern: toEventPattern(forward.pattern),
        targets: [new targets.EventBus(props.bus, { deadLetterQueue })],
      });
    }
  }
}
