import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import * as z from 'zod';
import {
  InvalidEventPatternError,
  matchesEventPattern,
  validateEventPattern,
} from '../../infra/local/event-pattern.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
// The shared vectors, as copied into the repository: a test reads nothing from outside it, so every
// clone runs the same vectors (refresh the copy in test/fixtures when the shared reference changes).
const vectorsPath = path.resolve(repoRoot, 'test', 'fixtures', 'eventbridge-pattern-vectors.json');

const VectorFile = z.object({
  about: z.string(),
  vectors: z
    .array(
      z.object({
        name: z.string(),
        pattern: z.record(z.string(), z.unknown()),
        event: z.unknown(),
        matches: z.boolean(),
      }),
    )
    .min(1),
});

const { vectors } = VectorFile.parse(JSON.parse(readFileSync(vectorsPath, 'utf8')));

/** A complete envelope, as the local bus hands it to the matcher, with the given detail. */
function envelope(detail: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: '00000000-0000-0000-0000-000000000001',
    'detail-type': 'Registration.Confirmed',
    source: 'convene.registrations',
    account: '123456789012',
    time: '2026-06-22T08:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail,
    ...overrides,
  };
}

describe('shared EventBridge pattern vectors', () => {
  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    // Prepare / Act
    const validate = (): void => validateEventPattern(vector.pattern);
    const matched = matchesEventPattern(vector.pattern, vector.event);

    // Assess
    expect(validate).not.toThrow();
    expect(matched).toBe(vector.matches);
  });
});

describe('validateEventPattern', () => {
  const rejected: ReadonlyArray<readonly [string, unknown]> = [
    ['a pattern that is not an object', ['source']],
    ['a null pattern', null],
    ['an empty pattern', {}],
    ['an empty nested object', { detail: {} }],
    ['a wildcard with two consecutive asterisks', { detail: { a: [{ wildcard: 'a**b' }] } }],
    ['a wildcard with a dangling escape', { detail: { a: [{ wildcard: 'a\\b' }] } }],
    ['a wildcard that is not a string', { detail: { a: [{ wildcard: 5 }] } }],
    ['a leaf that is a bare string', { source: 'x' }],
    ['a leaf that is a bare number', { detail: { n: 5 } }],
    ['an empty value array', { source: [] }],
    ['a nested array as a match value', { source: [['x']] }],
    ['a numeric bound that is not a number', { detail: { n: [{ numeric: ['>', 'x'] }] } }],
    ['two lower bounds in one numeric range', { detail: { n: [{ numeric: ['>', 5, '>', 6] }] } }],
    ['an unknown numeric operator', { detail: { n: [{ numeric: ['!=', 5] }] } }],
    ['a numeric operator without a value', { detail: { n: [{ numeric: ['>'] }] } }],
    ['a numeric range whose lower bound is not below its upper bound', { detail: { n: [{ numeric: ['>', 5, '<', 5] }] } }],
    ['a numeric equality with extra terms', { detail: { n: [{ numeric: ['=', 5, '<', 6] }] } }],
    ['a numeric range with extra terms', { detail: { n: [{ numeric: ['>', 0, '<', 6, '<', 7] }] } }],
    ['a numeric value that is not an array', { detail: { n: [{ numeric: 5 }] } }],
    ['a numeric operand beyond five billion', { detail: { n: [{ numeric: ['<', 6e9] }] } }],
    ['an unknown matcher key', { detail: { a: [{ contains: 'x' }] } }],
    ['a matcher object with two keys', { detail: { a: [{ prefix: 'a', suffix: 'b' }] } }],
    ['a matcher object with no key', { detail: { a: [{}] } }],
    ['$or with a single branch', { $or: [{ a: ['x'] }] }],
    ['$or that is not an array', { $or: { a: ['x'] } }],
    ['$or with a branch that is not an object', { $or: [{ a: ['x'] }, ['y']] }],
    ['a reserved name used as a field inside $or', { $or: [{ prefix: ['x'] }, { b: ['y'] }] }],
    ['exists with a non-boolean', { detail: { e: [{ exists: 'yes' }] } }],
    ['prefix with a number', { detail: { a: [{ prefix: 5 }] } }],
    ['prefix with an object other than equals-ignore-case', { detail: { a: [{ prefix: { suffix: 'x' } }] } }],
    ['suffix with equals-ignore-case that is not a string', { detail: { a: [{ suffix: { 'equals-ignore-case': 1 } }] } }],
    ['equals-ignore-case with a number', { detail: { a: [{ 'equals-ignore-case': 1 }] } }],
    ['anything-but with null', { detail: { a: [{ 'anything-but': null }] } }],
    ['anything-but with a boolean', { detail: { a: [{ 'anything-but': true }] } }],
    ['anything-but with a mixed list', { detail: { a: [{ 'anything-but': ['a', 1] }] } }],
    ['anything-but with an empty list', { detail: { a: [{ 'anything-but': [] }] } }],
    ['anything-but with an unsupported nested matcher', { detail: { a: [{ 'anything-but': { numeric: ['>', 1] } }] } }],
    ['anything-but with an empty prefix', { detail: { a: [{ 'anything-but': { prefix: '' } }] } }],
    ['anything-but with a malformed wildcard', { detail: { a: [{ 'anything-but': { wildcard: 'a**' } }] } }],
    ['a cidr without a mask', { detail: { ip: [{ cidr: '10.0.0.1' }] } }],
    ['a cidr with an out-of-range octet', { detail: { ip: [{ cidr: '10.0.0.256/24' }] } }],
    ['a cidr with a full-length IPv4 mask', { detail: { ip: [{ cidr: '10.0.0.1/32' }] } }],
    ['a cidr with a non-numeric mask', { detail: { ip: [{ cidr: '10.0.0.0/x' }] } }],
    ['a cidr that is not a string', { detail: { ip: [{ cidr: 24 }] } }],
  ];

  it.each(rejected)('rejects %s', (_name, pattern) => {
    // Act / Assess
    expect(() => validateEventPattern(pattern)).toThrow(InvalidEventPatternError);
  });

  it('names the offending path in the error message', () => {
    // Prepare
    const pattern = { detail: { a: [{ wildcard: 'a**b' }] } };

    // Act / Assess
    expect(() => validateEventPattern(pattern)).toThrow(/detail\.a\[0\]\.wildcard/);
  });

  it('accepts every documented matcher form', () => {
    // Prepare
    const pattern = {
      source: ['convene.registrations', { prefix: 'convene.' }],
      account: [123456789012],
      detail: {
        a: [{ prefix: { 'equals-ignore-case': 'EventB' } }],
        b: [{ suffix: { 'equals-ignore-case': '.PNG' } }],
        c: [{ 'anything-but': { 'equals-ignore-case': ['x', 'y'] } }],
        d: [{ 'anything-but': { wildcard: '*/lib/*' } }],
        e: [{ 'anything-but': [100, 200] }],
        f: [{ numeric: ['=', 3.018e2] }, { numeric: ['<=', 5] }, { numeric: ['>=', -1, '<', 1] }],
        g: [{ cidr: '2001:db8::/32' }],
        h: [null, true, ''],
        $or: [{ i: [{ exists: true }] }, { j: { k: [{ wildcard: 'a\\*b\\\\c*' }] } }],
      },
    };

    // Act / Assess
    expect(() => validateEventPattern(pattern)).not.toThrow();
  });

  it('refuses to match with a pattern EventBridge would reject', () => {
    // Act / Assess
    expect(() => matchesEventPattern({ source: 'x' }, envelope({}))).toThrow(InvalidEventPatternError);
  });
});

describe('matchesEventPattern', () => {
  it('matches a prefix only at the start of the value', () => {
    const pattern = { detail: { id: [{ prefix: 'reg-' }] } };

    expect(matchesEventPattern(pattern, envelope({ id: 'reg-42' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ id: 'x-reg-42' }))).toBe(false);
  });

  it('matches a prefix or suffix ignoring case when asked to', () => {
    const prefix = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    const suffix = { detail: { file: [{ suffix: { 'equals-ignore-case': '.png' } }] } };

    expect(matchesEventPattern(prefix, envelope({ service: 'eventbridge' }))).toBe(true);
    expect(matchesEventPattern(suffix, envelope({ file: 'badge.PNG' }))).toBe(true);
    expect(matchesEventPattern(suffix, envelope({ file: 'badge.PNG.txt' }))).toBe(false);
  });

  it('excludes values with the suffix given inside anything-but', () => {
    const pattern = { detail: { file: [{ 'anything-but': { suffix: '.png' } }] } };

    expect(matchesEventPattern(pattern, envelope({ file: 'agenda.pdf' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ file: 'badge.png' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({}))).toBe(false);
  });

  it('excludes values in any casing with equals-ignore-case inside anything-but', () => {
    const pattern = { detail: { status: [{ 'anything-but': { 'equals-ignore-case': ['cancelled', 'waitlisted'] } }] } };

    expect(matchesEventPattern(pattern, envelope({ status: 'CANCELLED' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ status: 'Waitlisted' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ status: 'confirmed' }))).toBe(true);
  });

  it('excludes values matching a wildcard inside anything-but', () => {
    const pattern = { detail: { path: [{ 'anything-but': { wildcard: '*/lib/*' } }] } };

    expect(matchesEventPattern(pattern, envelope({ path: '/usr/lib/x.so' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ path: '/usr/bin/x' }))).toBe(true);
  });

  it('lets anything-but a string match a value of another type', () => {
    const pattern = { detail: { seats: [{ 'anything-but': ['5'] }] } };

    expect(matchesEventPattern(pattern, envelope({ seats: 5 }))).toBe(true);
  });

  it('matches anything-but when any element of an event array is not excluded', () => {
    const pattern = { detail: { tags: [{ 'anything-but': 'vip' }] } };

    expect(matchesEventPattern(pattern, envelope({ tags: ['vip', 'early'] }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ tags: ['vip'] }))).toBe(false);
  });

  it('treats an escaped asterisk in a wildcard as a literal asterisk', () => {
    const pattern = { detail: { label: [{ wildcard: 'gold\\*-*' }] } };

    expect(matchesEventPattern(pattern, envelope({ label: 'gold*-2026' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ label: 'golden-2026' }))).toBe(false);
  });

  it('treats an escaped backslash in a wildcard as a literal backslash', () => {
    const pattern = { detail: { share: [{ wildcard: '\\\\\\\\server\\\\*' }] } };

    expect(matchesEventPattern(pattern, envelope({ share: '\\\\server\\docs' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ share: '\\server\\docs' }))).toBe(false);
  });

  it('lets a wildcard asterisk match an empty run and anchors both ends', () => {
    const pattern = { detail: { template: [{ wildcard: 'reminder-*' }] } };

    expect(matchesEventPattern(pattern, envelope({ template: 'reminder-' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ template: 'old-reminder-1h' }))).toBe(false);
  });

  it('matches a wildcard in linear time on adversarial input', () => {
    // No wall-clock limit here (speed is measured in benchmarks): a backtracking matcher would take
    // exponential time on these inputs and never finish within the test timeout.
    const pattern = { detail: { s: [{ wildcard: '*a*a*a*a*a*a*a*a*b' }] } };

    const matched = matchesEventPattern(pattern, envelope({ s: 'a'.repeat(20_000) }));

    expect(matched).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ s: `${'a'.repeat(20_000)}b` }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ s: `${'a'.repeat(20_000)}ba` }))).toBe(false);
  });

  it('matches IPv4 addresses inside a cidr block only', () => {
    const pattern = { detail: { sourceIp: [{ cidr: '10.0.0.0/24' }] } };

    expect(matchesEventPattern(pattern, envelope({ sourceIp: '10.0.0.17' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ sourceIp: '10.0.1.17' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ sourceIp: 'not-an-ip' }))).toBe(false);
  });

  it('matches IPv6 addresses inside an IPv6 cidr block and never across families', () => {
    const pattern = { detail: { sourceIp: [{ cidr: '2001:db8::/32' }] } };

    expect(matchesEventPattern(pattern, envelope({ sourceIp: '2001:db8:0:1::5' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ sourceIp: '2001:db9::5' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ sourceIp: '32.1.13.184' }))).toBe(false);
  });

  it('matches a nested $or inside a $or branch', () => {
    const pattern = {
      source: ['convene.registrations'],
      $or: [
        { detail: { tier: ['vip'] } },
        { detail: { $or: [{ seats: [{ numeric: ['>=', 10] }] }, { promoCode: [{ exists: true }] }] } },
      ],
    };

    expect(matchesEventPattern(pattern, envelope({ tier: 'std', promoCode: 'A1' }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ tier: 'std', seats: 12 }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ tier: 'std', seats: 2 }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ tier: 'vip' }, { source: 'convene.other' }))).toBe(false);
  });

  it('never matches numeric against a string that looks like a number', () => {
    const pattern = { detail: { seats: [{ numeric: ['=', 5] }] } };

    expect(matchesEventPattern(pattern, envelope({ seats: '5' }))).toBe(false);
    expect(matchesEventPattern(pattern, envelope({ seats: 5.0 }))).toBe(true);
  });

  it('matches an exact number numerically but not its string form', () => {
    const pattern = { detail: { limit: [300] } };

    expect(matchesEventPattern(pattern, envelope({ limit: 3.0e2 }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ limit: '300' }))).toBe(false);
  });

  it('matches numeric bounds exclusively or inclusively as written', () => {
    const pattern = { detail: { n: [{ numeric: ['>=', 1, '<', 3] }] } };

    expect(matchesEventPattern(pattern, envelope({ n: 1 }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ n: 2.5 }))).toBe(true);
    expect(matchesEventPattern(pattern, envelope({ n: 3 }))).toBe(false);
  });

  it('treats an object-valued field as not existing', () => {
    const absent = { detail: { counts: [{ exists: false }] } };
    const present = { detail: { counts: [{ exists: true }] } };
    const event = envelope({ counts: { c1: 100 } });

    expect(matchesEventPattern(absent, event)).toBe(true);
    expect(matchesEventPattern(present, event)).toBe(false);
  });

  it('treats a null-valued field as existing', () => {
    expect(matchesEventPattern({ detail: { promoCode: [{ exists: true }] } }, envelope({ promoCode: null }))).toBe(true);
  });

  it('requires the fields of a nested pattern to match within one element of an event array', () => {
    const pattern = { detail: { sessions: { kind: ['workshop'], language: ['fr'] } } };

    const split = envelope({ sessions: [{ kind: 'workshop', language: 'en' }, { kind: 'talk', language: 'fr' }] });
    const together = envelope({ sessions: [{ kind: 'talk', language: 'en' }, { kind: 'workshop', language: 'fr' }] });

    expect(matchesEventPattern(pattern, split)).toBe(false);
    expect(matchesEventPattern(pattern, together)).toBe(true);
  });

  it('matches envelope fields such as region and resources', () => {
    const pattern = {
      region: [{ prefix: 'eu-' }],
      account: ['123456789012'],
      resources: [{ suffix: ':session/s-1' }],
    };

    const event = envelope({}, { resources: ['arn:aws:x:eu-central-1:123456789012:forum/f-1', 'arn:aws:x:eu-central-1:123456789012:session/s-1'] });

    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern(pattern, { ...event, region: 'us-east-1' })).toBe(false);
  });

  it('does not match a field whose event value has a different nesting', () => {
    const pattern = { detail: { session: { kind: ['workshop'] } } };

    expect(matchesEventPattern(pattern, envelope({ session: 'workshop' }))).toBe(false);
    expect(matchesEventPattern({ detail: { session: ['workshop'] } }, envelope({ session: { kind: 'workshop' } }))).toBe(false);
  });
});
