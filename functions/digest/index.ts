/** What the digest capability offers the others; everything else in this folder is its own. */
export { DynamoDigestLog } from './dynamo-digest-log.ts';
