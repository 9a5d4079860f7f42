import * as z from 'zod';
import { SesEmailBounced, SesEmailComplaint, SesEmailDelivered } from '../../events/index.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './settings.ts';
import { localNames } from '../topology.ts';

export const sesFeedbackRequest = z.object({ messageId: z.string().min(1), type: z.enum(['Bounce', 'Complaint', 'Delivery']) }).strict();

/**
 * The event SES itself would put on the default bus for a mail (as its event publishing documents it:
 * detail-type "Email Bounced" etc., detail = the event record with `mail`, and `bounce`/`complaint`/
 * `delivery`). The forwarding rule and the record-delivery handler then run as in AWS.
 */
export function sesFeedbackEvent(
  type: z.infer<typeof sesFeedbackRequest>['type'],
  mail: { messageId: string; from: string; destination: { to: string[] }; at?: number },
  tags: Record<string, string[]> = {},
) {
  const now = new Date().toISOString();
  const recipients = mail.destination.to.map((emailAddress) => ({ emailAddress }));
  const common = {
    mail: {
      // the emulator keeps the send time in seconds
      timestamp: mail.at ? new Date(mail.at * 1000).toISOString() : now,
      source: mail.from,
      sendingAccountId: LOCAL_ACCOUNT,
      messageId: mail.messageId,
      destination: mail.destination.to,
      headersTruncated: false,
      tags: { ...tags, 'ses:configuration-set': [localNames.configurationSet] },
    },
  };
  const byType = {
    Delivery: { detailType: SesEmailDelivered.detailType, detail: { eventType: 'Delivery', ...common, delivery: { timestamp: now, recipients: mail.destination.to, smtpResponse: '250 2.6.0 Message received' } } },
    Bounce: {
      detailType: SesEmailBounced.detailType,
      detail: { eventType: 'Bounce', ...common, bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: recipients.map((r) => ({ ...r, action: 'failed', status: '5.1.1' })), timestamp: now } },
    },
    Complaint: { detailType: SesEmailComplaint.detailType, detail: { eventType: 'Complaint', ...common, complaint: { complainedRecipients: recipients, timestamp: now, complaintFeedbackType: 'abuse' } } },
  } as const;
  const { detailType, detail } = byType[type];
  return {
    source: 'aws.ses',
    'detail-type': detailType,
    time: now.replace(/\.\d{3}Z$/, 'Z'),
    resources: [`arn:aws:ses:${LOCAL_REGION}:${LOCAL_ACCOUNT}:configuration-set/${localNames.configurationSet}`],
    detail,
  };
}
