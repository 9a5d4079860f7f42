import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One client per cold start. The endpoint comes from the SDK's standard AWS_ENDPOINT_URL_DYNAMODB in the
 * local runtime, so there is no "if local" branch here.
 */
export const dynamoClient = new DynamoDBClient({});
export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
