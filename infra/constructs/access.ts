import { Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { tables, type Access, type TableSpec } from '../topology.ts';
import type { Mail } from './mail.ts';

/** The stack's shared resources that a function's `access` may name. */
export type SharedResources = {
  table: dynamodb.Table;
  idempotencyTable: dynamodb.Table;
  bus: events.IEventBus;
  mail: Mail;
  tokenSecret: secretsmanager.ISecret;
};

/**
 * Turns a topology `access` into grants on the function, each scoped to the resource's ARN. The only
 * wildcard that remains (a table's `/index/*`) is acknowledged here, beside the grant that makes it.
 */
export function grantAccess(fn: lambda.IFunction, role: iam.Role, access: Access, resources: SharedResources): void {
  if (access.table === 'read') {
    resources.table.grantReadData(fn);
    acknowledgeIndexWildcard(role, resources.table);
  }
  if (access.table === 'readWrite') {
    resources.table.grantReadWriteData(fn);
    acknowledgeIndexWildcard(role, resources.table);
  }
  if (access.idempotencyTable) resources.idempotencyTable.grantReadWriteData(fn);
  if (access.bus === 'put') resources.bus.grantPutEventsTo(fn);
  if (access.sendMail) resources.mail.grantSend(fn);
  if (access.tokenSecret) resources.tokenSecret.grantRead(fn);
  if (access.readSendQuota) {
    // GetAccount is an account-level action: IAM offers no resource to scope it to.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:GetAccount (the account\'s sending quota, which every sender paces itself to) supports only Resource "*".',
    });
  }
}

/** CDK grants a table's data actions on `<table>/index/*` as soon as the table has an index. */
function acknowledgeIndexWildcard(role: iam.Role, table: dynamodb.Table): void {
  const indexes: TableSpec['globalIndexes'] = tables.main.globalIndexes;
  if (indexes.length === 0) return;
  const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as dynamodb.CfnTable);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
    reason: `Queries use the main table's global secondary indexes (${indexes.map((i) => i.name).join(', ')}, declared in topology.tables); the wildcard covers only that table's indexes.`,
  });
}
