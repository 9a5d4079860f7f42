/** What the delivery capability offers the others; everything else in this folder is its own. */
export { DynamoFanOutProgress, type BulkFailure } from './dynamo-fanout-progress.ts';
export { DynamoMailLog } from './dynamo-mail-log.ts';
export { fanOut, type FanOutDeps } from './fan-out.ts';
export { mailConsumerAdapters } from './mail-consumer-adapters.ts';
export { LoggingMailer, type MailRecord } from './mail-log.ts';
export { perZoneAndLanguage } from './per-audience.ts';
export { recipientPages } from './recipients.ts';
export { bulkPace, dailyAllowance, readSendQuota, unpaced, type SendPace, type SendQuota } from './send-pace.ts';
export { DynamoRateLedger } from './dynamo-rate-ledger.ts';
