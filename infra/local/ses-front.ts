import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

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

/** SES's simple substitution for inline template content: `{{name}}` → value, missing → empty. */
function render(template: string | undefined, data: Record<string, unknown>): string | undefined {
  return template?.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    const value = key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), data);
    return value === undefined || value === null ? '' : String(value);
  });
}

async function read(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The SES front of the local runtime, on the SES port, in front of aws-ses-v2-local. It passes every call
 * through, except SendBulkEmail: aws-ses-v2-local 2.10.2 drops a bulk template's attachments, so the front
 * expands each bulk call into the per-destination sends SES itself would make (template rendered,
 * headers merged, attachments kept), while counting the bulk calls for the tests and benchmarks.
 */
export function startSesFront(
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

  const forward = (method: string, path: string, headers: Record<string, string | string[] | undefined>, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: emulatorPort, method, path, headers: { ...headers, host: `127.0.0.1:${emulatorPort}`, 'content-length': String(body.length) } }, async (response) => {
        resolve({ status: response.statusCode ?? 502, headers: response.headers, body: await read(response) });
      });
      upstream.on('error', reject);
      upstream.end(body);
    });

  async function expandBulk(headers: Record<string, string | string[] | undefined>, body: Buffer) {
    const bulk = JSON.parse(body.toString('utf8')) as BulkRequest;
    const template = bulk.DefaultContent?.Template;
    const defaults = JSON.parse(template?.TemplateData ?? '{}') as Record<string, unknown>;
    stats.bulkCalls++;
    const results = [];
    for (const entry of bulk.BulkEmailEntries ?? []) {
      stats.bulkEntries++;
      if (Math.random() < faults.failEntryShare) {
        stats.injectedFaults++;
        results.push({ Status: 'TRANSIENT_FAILURE', Error: 'injected entry failure' });
        continue;
      }
      const data = { ...defaults, ...(JSON.parse(entry.ReplacementEmailContent?.ReplacementTemplate?.ReplacementTemplateData ?? '{}') as Record<string, unknown>) };
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

  const server = createServer(async (request, response) => {
    try {
      const url = request.url ?? '/';
      const body = await read(request);
      if (url === '/_front/stats') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ...stats, faults }));
        return;
      }
      if (url === '/_front/faults' && request.method === 'POST') {
        Object.assign(faults, NO_FAULTS, body.length ? (JSON.parse(body.toString('utf8')) as Partial<SesFaults>) : {});
        bulkCallsSinceFaults = 0;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(faults));
        return;
      }
      const isSend = request.method === 'POST' && url.startsWith('/v2/email/outbound-');
      const fault = isSend ? callFault(url.startsWith('/v2/email/outbound-bulk-emails')) : undefined;
      if (fault) {
        stats.injectedFaults++;
        response.writeHead(fault.status, { 'content-type': 'application/json', 'x-amzn-errortype': fault.type });
        response.end(JSON.stringify({ message: `injected ${fault.type}` }));
        return;
      }
      if (request.method === 'POST' && url.startsWith('/v2/email/outbound-bulk-emails')) {
        const answer = await expandBulk(request.headers, body);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
        return;
      }
      const isSingleSend = request.method === 'POST' && url.startsWith('/v2/email/outbound-emails');
      if (isSingleSend) stats.sendCalls++;
      const upstream = await forward(request.method ?? 'GET', url, request.headers, body);
      if (isSingleSend && upstream.status === 200) {
        const sent = JSON.parse(body.toString('utf8') || '{}') as { EmailTags?: unknown[] };
        remember((JSON.parse(upstream.body.toString('utf8') || '{}') as { MessageId?: string }).MessageId, sent.EmailTags);
      }
      response.writeHead(upstream.status, upstream.headers);
      response.end(upstream.body);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, stats, faults, tagsOf: (messageId) => tags.get(messageId) ?? {} }));
  });
}
