import { arnHere, THIS_ACCOUNT } from './arns.ts';
import { ArnFormat, Aspects, RemovalPolicy, type IAspect } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

/**
 * The SNS topic every CloudWatch alarm of the stack notifies, on ALARM and on OK, so that every alarm
 * reaches a person: the addresses of `convene:alarmEmail` by mail (each confirms the subscription AWS
 * mails it once), anyone else by subscribing to the `AlarmTopicArn` output (chat, paging).
 *
 * Encrypted with its own customer-managed key rather than the AWS-managed `alias/aws/sns`: CloudWatch can
 * publish to an encrypted topic only if the key policy lets it use the key, and an AWS-managed key's policy
 * cannot be changed, so alarms would deploy cleanly and notify nobody. Both grants to CloudWatch are
 * limited to this account's alarms in this region (confused deputy).
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: { emails: readonly string[] }) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: 'Convene: encrypts the alarm topic; CloudWatch alarms of this account may use it to publish',
      enableKeyRotation: true,
      // It protects notifications in transit only: nothing stays encrypted under it once they are delivered.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Convene alarms', masterKey: key, enforceSSL: true });

    const alarmsOfThisAccount = arnHere(this, { service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    // sns:Publish on the topic policy, kms:Decrypt and kms:GenerateDataKey* on the key policy.
    this.topic.grantPublish(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': THIS_ACCOUNT },
        ArnLike: { 'aws:SourceArn': alarmsOfThisAccount },
      }),
    );

    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /**
   * Makes every alarm under `scope` notify the topic when it fires and when it recovers, whichever
   * construct creates it and whenever: an aspect visits the whole tree at synth, after every construct
   * (also those created after this one) exists.
   */
  notifyEveryAlarmIn(scope: IConstruct): void {
    Aspects.of(scope).add(new NotifyOnAlarm(new SnsAction(this.topic)));
  }
}

/** Adds the action to the ALARM and OK transitions of every alarm (metric or composite) it visits. */
class NotifyOnAlarm implements IAspect {
  constructor(private readonly action: cloudwatch.IAlarmAction) {}

  visit(node: IConstruct): void {
    if (node instanceof cloudwatch.AlarmBase) {
      node.addAlarmAction(this.action);
      node.addOkAction(this.action);
    }
  }
}
