import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/settings.ts';

export type AdminResponse = { status: number; body: unknown };

export class AdminApiError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(AdminApiError.describe(status, body));
    this.name = 'AdminApiError';
  }

  private static describe(status: number, body: unknown): string {
    const error = (body as { error?: { message?: string; fields?: Array<{ field: string; message: string }> } } | null)?.error;
    const fields = error?.fields?.map((f) => `  ${f.field}: ${f.message}`).join('\n');
    return `${status} ${error?.message ?? JSON.stringify(body)}${fields ? `\n${fields}` : ''}`;
  }
}

/**
 * Calls the organisers' API with a SigV4 signature (service execute-api), as API Gateway's IAM
 * authorisation requires. Against the local runtime it signs with the local credentials; elsewhere with
 * the default AWS credential chain.
 */
export function adminClient(baseUrl: string = process.env.CONVENE_API_URL ?? 'http://127.0.0.1:3000') {
  const url = new URL(baseUrl);
  const isLocal = ['127.0.0.1', 'localhost', '::1'].includes(url.hostname);
  const signer = new SignatureV4({
    credentials: isLocal ? LOCAL_CREDENTIALS : defaultProvider(),
    region: isLocal ? LOCAL_REGION : (process.env.AWS_REGION ?? LOCAL_REGION),
    service: 'execute-api',
    sha256: Sha256,
  });

  return async function call(method: string, path: string, body?: unknown): Promise<AdminResponse> {
    const target = new URL(path, url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const query: Record<string, string> = Object.fromEntries(target.searchParams.entries());
    const signed = await signer.sign({
      method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port ? Number(target.port) : undefined,
      path: target.pathname,
      query,
      headers: { host: target.host, ...(payload ? { 'content-type': 'application/json' } : {}) },
      body: payload,
    });
    const response = await fetch(target, { method, headers: signed.headers as Record<string, string>, body: payload ?? null });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (CSV exports); keep the text
    }
    if (response.status >= 400) throw new AdminApiError(response.status, parsed);
    return { status: response.status, body: parsed };
  };
}

export type AdminCall = ReturnType<typeof adminClient>;
