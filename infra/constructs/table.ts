import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { TableSpec } from '../topology.ts';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

/**
 * A table from its topology spec: on demand, point-in-time recovery, TTL, kept when the stack goes,
 * NEW_IMAGE stream when the spec asks for one (the outbox relay reads inserted items only).
 */
export function tableFromSpec(scope: Construct, id: string, spec: TableSpec, options: { deletionProtection: boolean }): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: stringKey(spec.partitionKey),
    ...(spec.sortKey ? { sortKey: stringKey(spec.sortKey) } : {}),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: spec.timeToLiveAttribute,
    ...(spec.stream ? { stream: dynamodb.StreamViewType.NEW_IMAGE } : {}),
    deletionProtection: options.deletionProtection,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of spec.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: stringKey(index.partitionKey),
      sortKey: stringKey(index.sortKey),
      projectionType: index.projection === 'keys' ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}
