import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiUrl, futureSession, importSessions, registrationBody } from '../support/api.ts';
import { testDocumentClient } from '../support/seed.ts';

const session = futureSession({ capacity: 50 });

async function itemCount(): Promise<number> {
  const client = testDocumentClient();
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    // A refused browser form is kept as an encrypted draft for an hour (Post/Redirect/Get): not a registration.
    const out = await client.send(new ScanCommand({ TableName: 'convene', Select: 'COUNT', FilterExpression: 'NOT begins_with(pk, :draft)', ExpressionAttributeValues: { ':draft': 'DRAFT#' }, ExclusiveStartKey: startKey }));
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/**
 * The answer's status; a form post refused for its fields is sent on to the page that shows it again
 * (`303` to `/?…&draft=…`, Post/Redirect/Get): a refusal too.
 */
async function send(body: string | Buffer, contentType = 'application/json'): Promise<number> {
  const response = await fetch(`${apiUrl()}/registrations`, { method: 'POST', headers: { 'content-type': contentType }, body, redirect: 'manual' });
  await response.arrayBuffer();
  // Any other redirect fails the test as a 5xx would.
  if (response.status === 303) return /^\/\?lang=[a-z]{2}&draft=[A-Za-z0-9_-]{43}$/.test(response.headers.get('location') ?? '') ? 303 : 599;
  return response.status;
}

const script = fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE x; --", '{{constructor.constructor("x")()}}', '\u0000', '\u202e', 'a\r\nBcc: victim@example.org');
const hostileString = fc.oneof(script, fc.string({ maxLength: 300 }), fc.string({ minLength: 201, maxLength: 5000 }), fc.constant(''), fc.constant(' '.repeat(50)));
const badEmail = fc.constantFrom('Amina <amina@example.org>', 'a@b@example.org', 'amina.example.org', 'amina@example.org\r\nBcc: x@example.org', '@example.org', 'amina@', 'amina@localhost', 'a'.repeat(250) + '@example.org');
const badTimeZone = fc.constantFrom('Mars/Olympus', 'Europe/Atlantis', 'UTC+25', '', 'Europe/Zurich\n');
const anything = fc.anything({ maxDepth: 3 });
const nested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
const deep = fc.integer({ min: 50, max: 3000 }).map(nested);

/** A registration with exactly one field made hostile, so the payload is never valid by chance. */
const hostilePayload = fc
  .record({
    field: fc.constantFrom('name', 'email', 'organisation', 'stakeholderType', 'country', 'language', 'timeZone', 'sessionIds', 'consent', 'extra'),
    text: hostileString,
    email: badEmail,
    zone: badTimeZone,
    other: fc.oneof(anything, deep),
    // drawn by the record, not sampled inside the map, so a failure shrinks and replays from its seed
    sessionIds: fc.constantFrom([], [session.sessionId, session.sessionId], Array(21).fill(session.sessionId), 'all', [1, 2], null),
    consent: fc.constantFrom(false, 'yes', 1, null, undefined),
    extraKey: fc.constantFrom('role', '__proto__', 'constructor', 'isAdmin'),
  })
  .map(({ field, text, email, zone, other, sessionIds, consent, extraKey }) => {
    const body: Record<string, unknown> = registrationBody([session.sessionId]);
    switch (field) {
      case 'name':
      case 'organisation':
        // invalid text (empty, too long, control characters) or a value of the wrong type
        // (judged as the server does: after trimming)
        body[field] = text.trim() === '' || text.trim().length > 200 || /\p{Cc}/u.test(text.trim()) ? text : typeof other === 'string' ? 42 : other;
        break;
      case 'email':
        body.email = email;
        break;
      case 'timeZone':
        body.timeZone = zone;
        break;
      case 'sessionIds':
        body.sessionIds = sessionIds;
        break;
      case 'consent':
        body.consent = consent;
        break;
      case 'extra':
        // defineProperty, so that "__proto__" is an own key that really reaches the JSON
        Object.defineProperty(body, extraKey, { value: other ?? 1, enumerable: true });
        break;
      default:
        body[field] = other === null || typeof other !== 'string' ? other : `${text}-not-a-valid-value`;
    }
    return body;
  });

describe('hostile input', () => {
  it('answers 4xx (never 5xx) to thousands of generated payloads and leaves the table unchanged', async () => {
    await importSessions(session);
    const before = await itemCount();
    const statuses = new Map<number, number>();
    const record = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

    await fc.assert(
      fc.asyncProperty(hostilePayload, async (payload) => {
        const status = await send(JSON.stringify(payload));
        record(status);
        return (status >= 400 && status < 500) || status === 303;
      }),
      { numRuns: 1500 },
    );
    // hand-picked: malformed bodies, wrong content types, invalid UTF-8, huge and deep bodies
    const handPicked: Array<[string | Buffer, string]> = [
      ['{"name":', 'application/json'],
      ['null', 'application/json'],
      ['[]', 'application/json'],
      ['"just a string"', 'application/json'],
      [Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'application/json'],
      [Buffer.from([0xff, 0xfe, 0xfd]), 'application/x-www-form-urlencoded'],
      ['name=x&email=y', 'text/plain'],
      ['<xml/>', 'application/xml'],
      [JSON.stringify(registrationBody([session.sessionId])), 'multipart/form-data'],
      [JSON.stringify({ ...registrationBody([session.sessionId]), organisation: 'x'.repeat(100_000) }), 'application/json'],
      [JSON.stringify(nested(3000)), 'application/json'],
      ['[' .repeat(5000) + ']'.repeat(5000), 'application/json'],
      ['name=A&email=a%40example.org&consent=on&sessionIds=x&sessionIds=x', 'application/x-www-form-urlencoded'],
    ];
    for (const [body, type] of handPicked) record(await send(body, type));

    const after = await itemCount();
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    const serverErrors = [...statuses.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
    console.log(`hostile input: payloads ${total} (${[...statuses.entries()].map(([s, n]) => `${s}: ${n}`).join(', ')}) -> 5xx ${serverErrors}, items before ${before}, after ${after}`);
    expect(serverErrors).toBe(0);
    expect([...statuses.keys()].every((s) => (s >= 400 && s < 500) || s === 303)).toBe(true);
    expect(after).toBe(before);
  });
});
