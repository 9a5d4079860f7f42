import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export type SignedRequest = {
  method: string;
  host: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: Buffer;
};

export type Credentials = { accessKeyId: string; secretAccessKey: string };

/** Maximum clock skew API Gateway accepts on a signed request. */
const MAX_SKEW_MS = 15 * 60 * 1000;

/**
 * Checks an AWS Signature Version 4 (service execute-api) the way API Gateway's IAM authorisation does:
 * known access key, date within 15 minutes, and a signature recomputed over the signed headers. Returns
 * the reason for refusal, or undefined when the signature is valid.
 */
export async function verifySigV4(request: SignedRequest, credentials: Credentials, region: string, now = new Date()): Promise<string | undefined> {
  const authorization = request.headers['authorization'] ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(authorization);
  if (!match) return 'missing or malformed SigV4 authorization';
  const [, accessKeyId, , signedRegion, service, signedHeaderList, signature] = match;
  if (accessKeyId !== credentials.accessKeyId) return 'unknown access key';
  if (signedRegion !== region || service !== 'execute-api') return 'wrong credential scope';
  const amzDate = request.headers['x-amz-date'];
  if (!amzDate) return 'missing x-amz-date';
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(signingDate.getTime()) || Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) return 'signature expired';

  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host')) return 'host header not signed';
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = name === 'host' ? request.host : request.headers[name];
    if (value === undefined) return `signed header ${name} missing`;
    headers[name] = value;
  }
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (declaredHash && declaredHash !== createHash('sha256').update(request.body).digest('hex')) {
    return 'payload hash mismatch';
  }
  const signer = new SignatureV4({ credentials, region, service: 'execute-api', sha256: Sha256, uriEscapePath: true, applyChecksum: false });
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: request.host, path: request.path, query: request.query, headers, body: request.body },
    { signingDate, unsignableHeaders: new Set(), signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers['authorization'] ?? ''))?.[1] ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(signature!);
  return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'signature does not match';
}
