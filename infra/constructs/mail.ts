import { arnHere } from './arns.ts';
import { CfnOutput } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/** The MAIL FROM subdomain of a forum's domain: bounces return there, and SPF aligns with the From domain. */
export const MAIL_FROM_SUBDOMAIN = 'bounce';

export type MailProps = {
  senderAddress: string;
  configurationSetName: string;
  /** The forum's domain and its Route 53 zone: the sender becomes a domain identity that passes DMARC. */
  domain?: { name: string; zone: route53.IPublicHostedZone };
};

/**
 * SES v2: the sender identity and the configuration set every mail is sent with. The configuration set
 * publishes delivery, bounce and complaint events to the account's default bus (the only bus SES can
 * target); a rule there forwards this stage's to its convene bus (topology `busForwards`).
 *
 * With a domain, the identity is the domain itself with Easy DKIM (2048-bit keys) and a custom MAIL FROM
 * (`bounce.<domain>`), its DKIM CNAMEs, MX and SPF records created in the zone: mail then passes DMARC by
 * both aligned DKIM and aligned SPF, as `p=reject` domains and Gmail's and Yahoo's bulk-sender rules
 * require. Without one, the sender address is an email identity, fit to try Convene, not for a forum.
 */
export class Mail extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly configurationSetArn: string;
  readonly identity: ses.EmailIdentity;
  readonly senderAddress: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.senderAddress = props.senderAddress;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToDefaultBus', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      // The three SES events that events/ses-events.ts has contracts for.
      events: [ses.EmailSendingEvent.DELIVERY, ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    this.configurationSetArn = arnHere(this, {
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
    if (props.domain) {
      this.identity = new ses.EmailIdentity(this, 'Domain', {
        identity: ses.Identity.publicHostedZone(props.domain.zone),
        configurationSet: this.configurationSet,
        dkimSigning: true,
        dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
        mailFromDomain: `${MAIL_FROM_SUBDOMAIN}.${props.domain.name}`,
        mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
      });
      // The records are created in the zone; printed too, for a zone whose parent is elsewhere or a check by hand.
      this.identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, { value: `${record.name} CNAME ${record.value}`, description: `Easy DKIM record ${index + 1} of the sending domain (created in the hosted zone)` });
      });
    } else {
      this.identity = new ses.EmailIdentity(this, 'Sender', {
        identity: ses.Identity.email(props.senderAddress),
        configurationSet: this.configurationSet,
      });
    }
  }

  /** SendEmail and SendBulkEmail from the sender address only, through this identity and configuration set. */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail', 'ses:SendBulkEmail'],
      resourceArns: [this.identity.emailIdentityArn, this.configurationSetArn],
      conditions: { StringEquals: { 'ses:FromAddress': this.senderAddress } },
    });
  }
}
