import type { Server } from 'node:http';
import * as z from 'zod';
import { forward as forwardTo, HttpError, parseJson, readBody, sendJson, serve } from './http-server.ts';

type Header = { Name: string; Value: string };
type Attachment = Record<string, unknown>;
type BulkRequest = {
  FromEmailAddress?: string;
  ConfigurationSetName?: string;
  DefaultEmailTags?: unknown[];
  DefaultContent?: { Template?: { TemplateContent?: { Subject?: string; Html?: string; Text?: string }; TemplateData?: string; Headers?: Header[]; Attachments?: Attachment[] } };
  BulkEmailEntries?: Array<{
    Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    ReplacementEmailContent?: { ReplacementTemplate?: { ReplacementTemplateData?: string } };
    ReplacementHeaders?: Header[];
    ReplacementTags?: unknown[];
  }>;
};

export type SesFrontStats = { bulkCalls: number; bulkEntries: number; sendCalls: number; injectedFaults: number };

/**
 * Faults the front can inject (local runtime only): a share of calls answered with throttling (429) or a
 * server error (500), a share of bulk entries failed, or every bulk call failing after the next N.
 */
export type SesFaults = { throttleShare: number; serverErrorShare: number; failEntryShare: number; failBulkAfterCalls: number | null };
const NO_FAULTS: SesFaults = { throttleShare: 0, serverErrorShare: 0, failEntryShare: 0, failBulkAfterCalls: null };
const share = z.number().min(0).max(1);
/** POST /_front/faults: the faults to set, every one left out switched off. */
const sesFaultsRequest = z.strictObject({ throttleShare: share, serverErrorShare: share, failEntryShare: share, failBulkAfterCalls: z.number().int().min(0).nullable() }).partial();

/** Above SES v2's own message limit (40 MB), so the emulator, not the front, refuses what SES would. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** SES's simple substitution for inline template content: `{{name}}` → value, missing → empty. */
function render(template: string | undefined, data: Record<string, unknown>): string | undefined {
  return template?.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    const value = key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), data);
    return value === undefined || value === null ? '' : String(value);
  });
}

/**
 * The SES front of the local runtime, on the SES port, in front of aws-ses-v2-local. It passes every call
 * through, except SendBulkEmail: aws-ses-v2-local 2.10.2 drops a bulk template's attachments, so the front
 * expands each bulk call into the per-destination sends SES itself would make (template rendered,
 * headers merged, attachments kept), while counting the bulk calls for the tests and benchmarks.
 */
export async function startSesFront(
  port: number,
  emulatorPort: number,
): Promise<{ server: Server; stats: SesFrontStats; faults: SesFaults; tagsOf: (messageId: string) => Record<string, string[]> }> {
  const stats: SesFrontStats = { bulkCalls: 0, bulkEntries: 0, sendCalls: 0, injectedFaults: 0 };
  /**
   * The tags of each mail sent, by message id (the emulator does not keep them): SES puts them in every
   * event about the mail, so /_local/ses/feedback does too. The oldest are forgotten past a bound.
   */
  const tags = new Map<string, Record<string, string[]>>();
  const remember = (messageId: string | undefined, list: unknown[] | undefined) => {
    if (!messageId || !list?.length) return;
    const byName: Record<string, string[]> = {};
    for (const tag of list as Array<{ Name?: string; Value?: string }>) if (tag.Name) (byName[tag.Name] ??= []).push(tag.Value ?? '');
    tags.set(messageId, byName);
    if (tags.size > 200_000) tags.delete(tags.keys().next().value!);
  };
  const faults: SesFaults = { ...NO_FAULTS };
  let bulkCallsSinceFaults = 0;

  /** A whole-call fault to answer instead of the real call, if one is due. */
  function callFault(isBulk: boolean): { status: number; type: string } | undefined {
    if (isBulk && faults.failBulkAfterCalls !== null && bulkCallsSinceFaults++ >= faults.failBulkAfterCalls) return { status: 500, type: 'InternalFailure' };
    if (Math.random() < faults.throttleShare) return { status: 429, type: 'TooManyRequestsException' };
    if (Math.random() < faults.serverErrorShare) return { status: 500, type: 'InternalFailure' };
    return undefined;
  }

  const forward = (method: string, path: string, headers: Record<string, string | string[] | undefined>, body: Buffer) => forwardTo(emulatorPort, { method, path, headers, body });

  async function expandBulk(headers: Record<string, string | string[] | undefined>, body: Buffer) {
    const bulk = parseJson(body) as BulkRequest;
    const template = bulk.DefaultContent?.Template;
    const defaults = parseJson(Buffer.from(template?.TemplateData ?? '')) as Record<string, unknown>;
    stats.bulkCalls++;
    const results = [];
    for (const entry of bulk.BulkEmailEntries ?? []) {
      stats.bulkEntries++;
      if (Math.random() < faults.failEntryShare) {
        stats.injectedFaults++;
        results.push({ Status: 'TRANSIENT_FAILURE', Error: 'injected entry failure' });
        continue;
      }
      const data = { ...defaults, ...(parseJson(Buffer.from(entry.ReplacementEmailContent?.ReplacementTemplate?.ReplacementTemplateData ?? '')) as Record<string, unknown>) };
      // Per-name merge, as SES does: an entry's replacement header wins over the template's.
      const merged = new Map<string, Header>();
      for (const header of [...(template?.Headers ?? []), ...(entry.ReplacementHeaders ?? [])]) merged.set(header.Name.toLowerCase(), header);
      const single = {
        FromEmailAddress: bulk.FromEmailAddress,
        ConfigurationSetName: bulk.ConfigurationSetName,
        Destination: entry.Destination,
        EmailTags: [...(bulk.DefaultEmailTags ?? []), ...(entry.ReplacementTags ?? [])],
        Content: {
          Simple: {
            Subject: { Data: render(template?.TemplateContent?.Subject, data) ?? '' },
            Body: {
              ...(template?.TemplateContent?.Html !== undefined ? { Html: { Data: render(template.TemplateContent.Html, data) } } : {}),
              ...(template?.TemplateContent?.Text !== undefined ? { Text: { Data: render(template.TemplateContent.Text, data) } } : {}),
            },
            Attachments: template?.Attachments,
            Headers: [...merged.values()],
          },
        },
      };
      const sent = await forward('POST', '/v2/email/outbound-emails', { authorization: headers.authorization, 'content-type': 'application/json' }, Buffer.from(JSON.stringify(single)));
      const answer = JSON.parse(sent.body.toString('utf8') || '{}') as { MessageId?: string; detail?: string };
      if (sent.status === 200) remember(answer.MessageId, single.EmailTags);
      results.push(sent.status === 200 && answer.MessageId ? { Status: 'SUCCESS', MessageId: answer.MessageId } : { Status: 'FAILED', Error: answer.detail ?? `status ${sent.status}` });
    }
    return { BulkEmailEntryResults: results };
  }

  const server = await serve(
    port,
    async (request, response) => {
      const url = request.url ?? '/';
      const body = await readBody(request, MAX_REQUEST_BYTES);
      if (url === '/_front/stats') {
        sendJson(response, 200, { ...stats, faults });
        return;
      }
      if (url === '/_front/faults' && request.method === 'POST') {
        const parsed = sesFaultsRequest.safeParse(parseJson(body));
        if (!parsed.success) throw new HttpError(400, `expected ${Object.keys(NO_FAULTS).join(', ')}: ${parsed.error.message}`);
        Object.assign(faults, NO_FAULTS, parsed.data);
        bulkCallsSinceFaults = 0;
        sendJson(response, 200, faults);
        return;
      }
      const isSend = request.method === 'POST' && url.startsWith('/v2/email/outbound-');
      const fault = isSend ? callFault(url.startsWith('/v2/email/outbound-bulk-emails')) : undefined;
      if (fault) {
        stats.injectedFaults++;
        sendJson(response, fault.status, { message: `injected ${fault.type}` }, { 'x-amzn-errortype': fault.type });
        return;
      }
      if (request.method === 'POST' && url.startsWith('/v2/email/outbound-bulk-emails')) {
        sendJson(response, 200, await expandBulk(request.headers, body));
        return;
      }
      const isSingleSend = request.method === 'POST' && url.startsWith('/v2/email/outbound-emails');
      if (isSingleSend) stats.sendCalls++;
      const upstream = await forward(request.method ?? 'GET', url, request.headers, body);
      if (isSingleSend && upstream.status === 200) {
        const sent = parseJson(body) as { EmailTags?: unknown[] };
        remember((JSON.parse(upstream.body.toString('utf8') || '{}') as { MessageId?: string }).MessageId, sent.EmailTags);
      }
      response.writeHead(upstream.status, upstream.headers);
      response.end(upstream.body);
    },
    {
      name: 'ses-front',
      // A request SES would refuse gets SES's error type; anything else is the emulator behind failing.
      refuse: (response, error) => sendJson(response, error.status, { message: error.message }, error.status === 400 ? { 'x-amzn-errortype': 'BadRequestException' } : {}),
      fail: (response, error) => sendJson(response, 502, { message: error instanceof Error ? error.message : String(error) }),
    },
  );
  return { server, stats, faults, tagsOf: (messageId) => tags.get(messageId) ?? {} };
}
