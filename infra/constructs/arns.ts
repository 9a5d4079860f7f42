import { ArnFormat, Aws, Stack, type ArnComponents } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export { ArnFormat };

/**
 * An ARN in the deploying account and region, as CloudFormation's pseudo parameters. The stack is bound
 * to the account and region of its context (`-c convene:account=… -c convene:region=…`) by its manifest,
 * so `npx cdk deploy` can only deploy it there; the ARNs Convene writes itself still name neither.
 */
export function arnHere(scope: IConstruct, components: Omit<ArnComponents, 'account' | 'region'>): string {
  return Stack.of(scope).formatArn({ ...components, account: Aws.ACCOUNT_ID, region: Aws.REGION });
}

/** The deploying account, as a pseudo parameter (aws:SourceAccount conditions, the archive's pattern). */
export const THIS_ACCOUNT = Aws.ACCOUNT_ID;
