import type { Server } from 'node:http';
import * as z from 'zod';
import { forward as forwardTo, HttpError, parseJson, readBody, sendJson, serve } from './http-server.ts';
import { LOCAL_REGION } from './settings.ts';

type Header = { Name: string; Value: string };
type Attachment = Record<string, unknown>;
type BulkDestination = { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
type BulkRequest = {
  FromEmailAddress?: string;
  ConfigurationSetName?: string;
  DefaultEmailTags?: unknown[];
  DefaultContent?: { Template?: { TemplateContent?: { Subject?: string; Html?: string; Text?: string }; TemplateData?: string; Headers?: Header[]; Attachments?: Attachment[] } };
  BulkEmailEntries?: Array<{
    Destination?: BulkDestination;
    ReplacementEmailContent?: { ReplacementTemplate?: { ReplacementTemplateData?: string } };
    ReplacementHeaders?: Header[];
    ReplacementTags?: unknown[];
  }>;
};

export type SesFrontStats = {
  bulkCalls: number;
  bulkEntries: number;
  sendCalls: number;
  injectedFaults: number;
  /** The most recipients accepted within any one second. */
  peakRate: number;
  /** Recipients refused for the sending rate (SendEmail 429, bulk entries ACCOUNT_THROTTLED). */
  throttled: number;
  /** Recipients refused for the 24-hour quota. */
  quotaRefused: number;
  /** Recipients refused because the account is in the sandbox and they are not verified. */
  sandboxRefused: number;
  /** Recipients accepted in the last 24 hours (SES's SentLast24Hours). */
  readonly sentLast24Hours: number;
};

/**
 * The SES account the front plays: its maximum send rate (recipients per second), its 24-hour quota
 * (recipients), whether it is in the sandbox, and the identities it has verified (addresses, or domains
 * for every address in them).
 */
export type SesAccount = { maxSendRate: number; max24HourSend: number; sandbox: boolean; verified?: string[] };
/** An account out of the sandbox with SES's default quotas: the base that POST /_front/account changes when none was set. */
const PRODUCTION_DEFAULTS: SesAccount = { maxSendRate: 14, max24HourSend: 50_000, sandbox: false, verified: [] };
/** POST /_front/account: the fields to change, every one left out kept. */
const sesAccountRequest = z
  .strictObject({ maxSendRate: z.number().positive(), max24HourSend: z.number().min(0), sandbox: z.boolean(), verified: z.array(z.string().min(1)) })
  .partial();

/** Recipients counted over a sliding span, in buckets of `bucketMs` (1 ms for the rate, 1 s for the day). */
class SlidingCount {
  private keys: number[] = [];
  private counts: number[] = [];
  /** The first live bucket, and the absolute index of `keys[0]` (grants keep absolute indexes). */
  private head = 0;
  private base = 0;
  private sum = 0;

  constructor(
    private readonly spanMs: number,
    private readonly bucketMs: number,
  ) {}

  /** The count over the span up to `now`; a bucket leaves only once all of it is older than the span (never early). */
  total(now: number): number {
    const oldest = Math.floor((now - this.spanMs) / this.bucketMs) - 1;
    while (this.head < this.keys.length && this.keys[this.head]! <= oldest) this.sum -= this.counts[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.keys.length) {
      this.keys.splice(0, this.head);
      this.counts.splice(0, this.head);
      this.base += this.head;
      this.head = 0;
    }
    return this.sum;
  }

  /** Adds `n` at `now`; the answer lets `remove` take them back. */
  add(now: number, n: number): number {
    const key = Math.floor(now / this.bucketMs);
    const last = this.keys.length - 1;
    if (last >= this.head && this.keys[last]! >= key) this.counts[last]! += n;
    else {
      this.keys.push(key);
      this.counts.push(n);
    }
    this.sum += n;
    return this.base + this.keys.length - 1;
  }

  remove(index: number, n: number): void {
    const at = index - this.base;
    if (at < this.head || at >= this.keys.length) return; // already out of the span
    this.counts[at]! -= n;
    this.sum -= n;
  }
}

export type SesRefusal = { reason: 'sandbox'; unverified: string[] } | { reason: 'quota' } | { reason: 'rate' };
type Grant = { n: number; rate: number; day: number };

/**
 * The sending limits of an SES account, counted in recipients as SES counts them: every To, Cc and Bcc
 * address uses one unit of the per-second rate and one of the 24-hour quota.
 *
 * The rate is a sliding one-second window of capacity `maxSendRate`: a mail is accepted when its
 * recipients fit in what the last second left, so no second ever holds more than one second's worth.
 * One exception, as SES makes it: a single mail with more recipients than the rate is accepted when
 * the window is empty, and the account then refuses everything until those recipients' time has passed
 * (n / maxSendRate seconds); otherwise such a mail could never be sent.
 */
export class SendingAccount {
  private readonly rate = new SlidingCount(1000, 1);
  private readonly day = new SlidingCount(24 * 3600 * 1000, 1000);
  private blockedUntil = 0;
  peakRate = 0;

  constructor(
    public limits: SesAccount,
    private readonly clock: () => number = () => performance.timeOrigin + performance.now(),
  ) {}

  sentLast24Hours(now = this.clock()): number {
    return this.day.total(now);
  }

  /** Accepts a mail to `recipients` (and counts it) or tells why SES would refuse it. */
  admit(recipients: string[], now = this.clock()): { grant: Grant } | { refusal: SesRefusal } {
    const { maxSendRate, max24HourSend, sandbox } = this.limits;
    if (sandbox) {
      const unverified = recipients.filter((recipient) => !this.isVerified(recipient));
      if (unverified.length) return { refusal: { reason: 'sandbox', unverified } };
    }
    const n = recipients.length;
    if (this.day.total(now) + n > max24HourSend) return { refusal: { reason: 'quota' } };
    const used = this.rate.total(now);
    const fits = used + n <= maxSendRate || (n > maxSendRate && used === 0);
    if (!fits || now < this.blockedUntil) return { refusal: { reason: 'rate' } };
    if (n > maxSendRate) this.blockedUntil = now + (1000 * n) / maxSendRate;
    this.peakRate = Math.max(this.peakRate, used + n);
    return { grant: { n, rate: this.rate.add(now, n), day: this.day.add(now, n) } };
  }

  /** Takes back a mail accepted but then not sent (the emulator refused it). */
  release(grant: Grant): void {
    this.rate.remove(grant.rate, grant.n);
    this.day.remove(grant.day, grant.n);
  }

  private isVerified(recipient: string): boolean {
    const address = recipient.toLowerCase();
    if (address.endsWith('@simulator.amazonses.com')) return true;
    const domain = address.slice(address.lastIndexOf('@') + 1);
    return (this.limits.verified ?? []).some((identity) => {
      const id = identity.toLowerCase();
      return id.includes('@') ? id === address : id === domain;
    });
  }
}

/** The bare address of `"Name" <a@b>` or `a@b`. */
const bareAddress = (mailbox: string) => (/<([^>]*)>/.exec(mailbox)?.[1] ?? mailbox).trim();

/** The mailboxes of an address header (commas inside quotes are not separators). */
function mailboxesOf(header: string): string[] {
  return (header.match(/(?:"[^"]*"|[^,])+/g) ?? []).map(bareAddress).filter(Boolean);
}

/** The recipients SES counts for a SendEmail request: its Destination, or for raw content without one, the message's To, Cc and Bcc. */
function recipientsOf(request: { Destination?: BulkDestination; Content?: { Raw?: { Data?: string } } } | null): string[] {
  if (!request || typeof request !== 'object') return [];
  const destination = request.Destination;
  const list = (addresses: unknown) => (Array.isArray(addresses) ? addresses.filter((a): a is string => typeof a === 'string') : []);
  if (destination) return [...list(destination.ToAddresses), ...list(destination.CcAddresses), ...list(destination.BccAddresses)].map(bareAddress);
  const raw = request.Content?.Raw?.Data;
  if (typeof raw !== 'string') return [];
  const text = Buffer.from(raw, 'base64').toString('utf8');
  const head = text.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .filter((line) => /^(to|cc|bcc)\s*:/i.test(line))
    .flatMap((line) => mailboxesOf(line.slice(line.indexOf(':') + 1)));
}

/**
 * How SES refuses a send, for SendEmail (status, error type, message) and for a bulk entry (status).
 * - Rate: SES v2 answers SendEmail with 429 TooManyRequestsException `{"message":"Maximum sending rate
 *   exceeded."}` (API reference, SendEmail, Errors: TooManyRequestsException, HTTP 429, as in the SDK's
 *   model; the message is SES's, see "Errors related to the sending quotas",
 *   docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html). The SDK treats a 429 and that
 *   name as throttling, so its standard retry applies.
 * - 24-hour quota: the SES v2 API reference for SendEmail lists LimitExceededException (HTTP 400) as the
 *   error for a limit reached (docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html#API_SendEmail_Errors);
 *   the message is SES's "Daily message quota exceeded." from the page above. (SES v1 answered
 *   `Throttling`; the v2 model has no such error.) The SDK also lists LimitExceededException among its
 *   throttling errors, so it retries it as it would against SES.
 * - Sandbox: MessageRejected (HTTP 400) with SES's message naming every identity that failed the check
 *   and the region in capitals (docs.aws.amazon.com/ses/latest/dg/troubleshoot-error-messages.html).
 * - Bulk entries: BulkEmailStatus ACCOUNT_THROTTLED, ACCOUNT_DAILY_QUOTA_EXCEEDED, MESSAGE_REJECTED.
 */
function refusalAnswer(refusal: SesRefusal): { status: number; type: string; message: string; entryStatus: string } {
  switch (refusal.reason) {
    case 'rate':
      return { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.', entryStatus: 'ACCOUNT_THROTTLED' };
    case 'quota':
      return { status: 400, type: 'LimitExceededException', message: 'Daily message quota exceeded.', entryStatus: 'ACCOUNT_DAILY_QUOTA_EXCEEDED' };
    case 'sandbox':
      return {
        status: 400,
        type: 'MessageRejected',
        message: `Email address is not verified. The following identities failed the check in region ${LOCAL_REGION.toUpperCase()}: ${refusal.unverified.join(', ')}`,
        entryStatus: 'MESSAGE_REJECTED',
      };
  }
}

/**
 * Faults the front can inject (local runtime only): a share of calls answered with throttling (429) or a
 * server error (500), a share of bulk entries failed, or every bulk call failing after the next N.
 */
/** `failBulkAfterCalls` / `failSendsAfterCalls`: every SendBulkEmail / SendEmail after that many fails with a 500 (an SES outage mid-run). */
export type SesFaults = { throttleShare: number; serverErrorShare: number; failEntryShare: number; failBulkAfterCalls: number | null; failSendsAfterCalls: number | null };
const NO_FAULTS: SesFaults = { throttleShare: 0, serverErrorShare: 0, failEntryShare: 0, failBulkAfterCalls: null, failSendsAfterCalls: null };
const share = z.number().min(0).max(1);
/** POST /_front/faults: the faults to set, every one left out switched off. */
const sesFaultsRequest = z.strictObject({ throttleShare: share, serverErrorShare: share, failEntryShare: share, failBulkAfterCalls: z.number().int().min(0).nullable(), failSendsAfterCalls: z.number().int().min(0).nullable() }).partial();

/** How many raw messages the front keeps for GET /_front/raw (the oldest go first). */
const RAW_KEPT = 5_000;

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
 *
 * Given an `account`, the front also plays that SES account, as strictly as SES: GetAccount answers its
 * quotas, and each send is held to its sending rate, its 24-hour quota and, in the sandbox, its verified
 * identities (see SendingAccount and refusalAnswer); what it refuses never reaches the emulator. Without
 * one, sending is unlimited and GetAccount goes to the emulator, as before. POST /_front/account sets or
 * changes the account at runtime (partial; unset fields start from SES's production defaults).
 */
export async function startSesFront(
  port: number,
  emulatorPort: number,
  account?: SesAccount,
): Promise<{
  server: Server;
  stats: SesFrontStats;
  faults: SesFaults;
  tagsOf: (messageId: string) => Record<string, string[]>;
  /** The account played now (undefined: unlimited), and a change of it, as POST /_front/account makes. */
  account: () => SesAccount | undefined;
  setAccount: (change: Partial<SesAccount>) => SesAccount;
}> {
  let played: SesAccount | undefined = account ? { ...account, verified: [...(account.verified ?? [])] } : undefined;
  const limits = new SendingAccount(played ?? { maxSendRate: Number.POSITIVE_INFINITY, max24HourSend: Number.POSITIVE_INFINITY, sandbox: false });
  const setAccount = (change: Partial<SesAccount>): SesAccount => {
    played = { ...(played ?? PRODUCTION_DEFAULTS), ...change };
    played.verified = [...(played.verified ?? [])];
    limits.limits = played;
    // The peak a test reads is the peak at the rate it set.
    if (change.maxSendRate !== undefined) limits.peakRate = 0;
    return played;
  };
  const stats = {
    bulkCalls: 0,
    bulkEntries: 0,
    sendCalls: 0,
    injectedFaults: 0,
    peakRate: 0,
    throttled: 0,
    quotaRefused: 0,
    sandboxRefused: 0,
    get sentLast24Hours() {
      return limits.sentLast24Hours();
    },
  } satisfies SesFrontStats as SesFrontStats;
  /** Admits a mail to `recipients`, counting a refusal in the stats. */
  const admit = (recipients: string[]) => {
    const decision = limits.admit(recipients);
    stats.peakRate = limits.peakRate;
    if ('refusal' in decision) {
      const counter = ({ rate: 'throttled', quota: 'quotaRefused', sandbox: 'sandboxRefused' } as const)[decision.refusal.reason];
      stats[counter] += recipients.length;
    }
    return decision;
  };
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
  /**
   * The raw MIME of the last RAW_KEPT raw sends, by message id (GET /_front/raw/<id>): the emulator's
   * store keeps only what mailparser read of a message, and tests read the message's own structure
   * (the invitation's text/calendar part and its method) with parsers of their own.
   */
  const raws = new Map<string, string>();
  const keepRaw = (messageId: string | undefined, data: unknown) => {
    if (!messageId || typeof data !== 'string') return;
    raws.set(messageId, data);
    if (raws.size > RAW_KEPT) raws.delete(raws.keys().next().value!);
  };
  const faults: SesFaults = { ...NO_FAULTS };
  let bulkCallsSinceFaults = 0;
  let sendCallsSinceFaults = 0;

  /** A whole-call fault to answer instead of the real call, if one is due. */
  function callFault(isBulk: boolean): { status: number; type: string } | undefined {
    if (isBulk && faults.failBulkAfterCalls !== null && bulkCallsSinceFaults++ >= faults.failBulkAfterCalls) return { status: 500, type: 'InternalFailure' };
    if (!isBulk && faults.failSendsAfterCalls !== null && sendCallsSinceFaults++ >= faults.failSendsAfterCalls) return { status: 500, type: 'InternalFailure' };
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
    // Every entry is judged when the call arrives, as SES judges the call; the admitted ones are sent after.
    const decisions = (bulk.BulkEmailEntries ?? []).map((entry) => {
      stats.bulkEntries++;
      if (Math.random() < faults.failEntryShare) {
        stats.injectedFaults++;
        return { Status: 'TRANSIENT_FAILURE', Error: 'injected entry failure' };
      }
      const decision = admit(recipientsOf(entry));
      if ('refusal' in decision) {
        const answer = refusalAnswer(decision.refusal);
        return { Status: answer.entryStatus, Error: answer.message };
      }
      return decision.grant;
    });
    const results = [];
    // Should the emulator fail the call midway, what was admitted but not sent is taken back.
    const unsent = new Set(decisions.filter((decision): decision is Grant => !('Status' in decision)));
    try {
      for (const [index, entry] of (bulk.BulkEmailEntries ?? []).entries()) {
        const decision = decisions[index]!;
        if ('Status' in decision) {
          results.push(decision);
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
        unsent.delete(decision);
        const answer = JSON.parse(sent.body.toString('utf8') || '{}') as { MessageId?: string; detail?: string };
        if (sent.status === 200) remember(answer.MessageId, single.EmailTags);
        else limits.release(decision);
        results.push(sent.status === 200 && answer.MessageId ? { Status: 'SUCCESS', MessageId: answer.MessageId } : { Status: 'FAILED', Error: answer.detail ?? `status ${sent.status}` });
      }
    } catch (error) {
      for (const grant of unsent) limits.release(grant);
      throw error;
    }
    return { BulkEmailEntryResults: results };
  }

  const server = await serve(
    port,
    async (request, response) => {
      const url = request.url ?? '/';
      const body = await readBody(request, MAX_REQUEST_BYTES);
      const path = url.split('?', 1)[0]!;
      if (url === '/_front/stats') {
        sendJson(response, 200, { ...stats, faults, account: played ?? null });
        return;
      }
      if (url === '/_front/account') {
        if (request.method === 'POST') {
          const parsed = sesAccountRequest.safeParse(parseJson(body));
          if (!parsed.success) throw new HttpError(400, `expected maxSendRate, max24HourSend, sandbox, verified: ${parsed.error.message}`);
          setAccount(parsed.data);
        }
        sendJson(response, 200, played ?? null);
        return;
      }
      if (played && request.method === 'GET' && path === '/v2/email/account') {
        // SES v2 GetAccount (GET /v2/email/account), the fields the SDK's GetAccountResponse reads.
        sendJson(response, 200, {
          DedicatedIpAutoWarmupEnabled: false,
          EnforcementStatus: 'HEALTHY',
          ProductionAccessEnabled: !played.sandbox,
          SendingEnabled: true,
          SendQuota: { Max24HourSend: played.max24HourSend, MaxSendRate: played.maxSendRate, SentLast24Hours: limits.sentLast24Hours() },
        });
        return;
      }
      const raw = /^\/_front\/raw\/([^/]+)$/.exec(path);
      if (raw && request.method === 'GET') {
        const data = raws.get(decodeURIComponent(raw[1]!));
        if (!data) throw new HttpError(404, 'no raw message with that id is kept');
        response.writeHead(200, { 'content-type': 'message/rfc822' });
        response.end(Buffer.from(data, 'base64'));
        return;
      }
      const identity = /^\/v2\/email\/identities\/([^/]+)$/.exec(path);
      if (played && request.method === 'GET' && identity) {
        // SES v2 GetEmailIdentity: the account's verified identities are the ones it plays (`verified`); a
        // domain is DKIM-signed (Easy DKIM), an address is not, as SES answers for an address identity.
        const name = decodeURIComponent(identity[1]!);
        if (!(played.verified ?? []).includes(name)) {
          sendJson(response, 404, { __type: 'NotFoundException', message: `Email identity ${name} does not exist.` }, { 'x-amzn-errortype': 'NotFoundException' });
          return;
        }
        const domain = !name.includes('@');
        sendJson(response, 200, {
          IdentityType: domain ? 'DOMAIN' : 'EMAIL_ADDRESS',
          VerifiedForSendingStatus: true,
          VerificationStatus: 'SUCCESS',
          FeedbackForwardingStatus: true,
          DkimAttributes: { SigningEnabled: domain, Status: domain ? 'SUCCESS' : 'NOT_STARTED', SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_2048_BIT' },
          ...(domain ? { MailFromAttributes: { MailFromDomain: `bounce.${name}`, MailFromDomainStatus: 'SUCCESS', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' } } : {}),
        });
        return;
      }
      if (url === '/_front/faults' && request.method === 'POST') {
        const parsed = sesFaultsRequest.safeParse(parseJson(body));
        if (!parsed.success) throw new HttpError(400, `expected ${Object.keys(NO_FAULTS).join(', ')}: ${parsed.error.message}`);
        Object.assign(faults, NO_FAULTS, parsed.data);
        bulkCallsSinceFaults = 0;
        sendCallsSinceFaults = 0;
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
      let grant: Grant | undefined;
      if (isSingleSend) {
        stats.sendCalls++;
        const decision = admit(recipientsOf(parseJson(body) as Parameters<typeof recipientsOf>[0]));
        if ('refusal' in decision) {
          const answer = refusalAnswer(decision.refusal);
          sendJson(response, answer.status, { message: answer.message }, { 'x-amzn-errortype': answer.type });
          return;
        }
        grant = decision.grant;
      }
      const upstream = await forward(request.method ?? 'GET', url, request.headers, body).catch((error: unknown) => {
        if (grant) limits.release(grant);
        throw error;
      });
      if (isSingleSend && upstream.status === 200) {
        const sent = parseJson(body) as { EmailTags?: unknown[]; Content?: { Raw?: { Data?: unknown } } };
        const messageId = (JSON.parse(upstream.body.toString('utf8') || '{}') as { MessageId?: string }).MessageId;
        remember(messageId, sent.EmailTags);
        keepRaw(messageId, sent.Content?.Raw?.Data);
      } else if (grant) limits.release(grant);
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
  return { server, stats, faults, tagsOf: (messageId) => tags.get(messageId) ?? {}, account: () => played, setAccount };
}
