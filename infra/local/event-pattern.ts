/**
 * Local EventBridge event-pattern matcher for the local event bus.
 *
 * The reference is the EventBridge user guide ("Event patterns", "Comparison operators",
 * "Content filtering") and, where the guide is silent, the open-source engine EventBridge's
 * pattern language comes from (aws/event-ruler): its error conditions and its value model.
 * The goal is that a pattern which works here also works in AWS, and one AWS rejects is
 * rejected here, so a bad rule fails on the developer's machine rather than at deploy time.
 *
 * Patterns are compiled into a small typed tree; validation and matching share that one
 * compiler, so there is no second copy of the grammar that could drift from the first.
 *
 * Known limits (deliberate, documented rather than emulated):
 * - numeric comparisons use JavaScript doubles; EventBridge compares at six decimal places.
 * - equals-ignore-case folds with the JavaScript case mapping, not Java's.
 * - exact string values that look like IP addresses are compared as strings, whereas
 *   EventBridge compares them as addresses ("10.0.0.1" vs "10.000.0.1").
 * - EventBridge's pattern-size and rule-complexity quotas are not enforced.
 */

/** Raised when a pattern is one that EventBridge's PutRule would refuse. */
export class InvalidEventPatternError extends Error {
  /** Where in the pattern the problem is, e.g. `detail.seats[0].numeric`; empty for the root. */
  readonly path: string;
  /** The rule that was broken, without the path. */
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`Invalid event pattern at ${path === '' ? '(root)' : path}: ${reason}`);
    this.name = 'InvalidEventPatternError';
    this.path = path;
    this.reason = reason;
  }
}

/**
 * Checks that `pattern` is an event pattern Amazon EventBridge accepts.
 *
 * @param pattern - the parsed JSON pattern (e.g. a rule's `EventPattern` after `JSON.parse`).
 * @throws {InvalidEventPatternError} naming the offending path when the pattern is not a
 *   non-empty JSON object, a leaf is not a non-empty array, a matcher is unknown or has the
 *   wrong value type, a `numeric`, `wildcard` or `cidr` operand is malformed, or `$or` is not
 *   an array of at least two objects.
 */
export function validateEventPattern(pattern: unknown): void {
  compilePattern(pattern);
}

/**
 * Tells whether `event` matches `pattern` with EventBridge's semantics: every field in the
 * pattern must match (AND), a value array is an OR, matching is case-sensitive unless a
 * matcher says otherwise, and an array in the event matches when any element does.
 *
 * The pattern applies to the whole envelope (`source`, `detail-type`, `account`, `region`,
 * `resources`, `detail`, ...), exactly as a rule's pattern does in AWS.
 *
 * @param pattern - an event pattern; it is validated on every call.
 * @param event - the event envelope; anything that is not an object simply has no fields.
 * @returns `true` when the event matches.
 * @throws {InvalidEventPatternError} when the pattern is invalid (see {@link validateEventPattern});
 *   a pattern EventBridge would reject must never silently match or not match locally.
 */
export function matchesEventPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  return matchObject(compilePattern(pattern), event);
}

// ---------------------------------------------------------------------------------------------
// Compiled form

interface NumericBound {
  readonly value: number;
  readonly inclusive: boolean;
}

interface IpRange {
  readonly family: 4 | 6;
  readonly low: bigint;
  readonly high: bigint;
}

/** A wildcard pattern as literal UTF-16 code units, with `null` standing for `*`. */
type WildcardTokens = readonly (string | null)[];

/** The matchers anything-but may negate; a value is excluded when any of them matches. */
type ExclusionMatcher =
  | { readonly kind: 'exact'; readonly value: string | number }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: false }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: false }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly tokens: WildcardTokens };

type ValueMatcher =
  | { readonly kind: 'exact'; readonly value: string | number | boolean | null }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly tokens: WildcardTokens }
  | { readonly kind: 'numeric'; readonly lower?: NumericBound; readonly upper?: NumericBound }
  | { readonly kind: 'cidr'; readonly range: IpRange }
  | { readonly kind: 'exists'; readonly present: boolean }
  | { readonly kind: 'anything-but'; readonly excluded: readonly ExclusionMatcher[] };

type CompiledNode =
  | { readonly kind: 'object'; readonly object: CompiledObject }
  | { readonly kind: 'leaf'; readonly matchers: readonly ValueMatcher[] };

interface CompiledObject {
  readonly fields: readonly { readonly key: string; readonly node: CompiledNode }[];
  /** Branches of this level's `$or`; absent when the level has none. */
  readonly or?: readonly CompiledObject[];
}

// ---------------------------------------------------------------------------------------------
// Compilation (this is where every rejection rule lives)

const OR_KEY = '$or';

/**
 * EventBridge's numeric matching is limited to ±5.0e9; operands outside it are rejected and
 * event values outside it never satisfy a numeric matcher.
 */
const NUMERIC_LIMIT = 5e9;

const LOWER_BOUND_OPERATORS = new Set(['>', '>=']);
const UPPER_BOUND_OPERATORS = new Set(['<', '<=']);

/**
 * Field names the engine reserves inside `$or` branches (matcher names, comparison operators
 * and a few names held for future operators); a branch may not use them as field names.
 */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard',
  'numeric', 'cidr', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);

function compilePattern(pattern: unknown): CompiledObject {
  if (!isJsonObject(pattern)) {
    throw new InvalidEventPatternError('', 'the pattern must be a JSON object');
  }
  return compileObject(pattern, '', false);
}

function compileObject(source: Record<string, unknown>, path: string, insideOr: boolean): CompiledObject {
  const entries = Object.entries(source);
  if (entries.length === 0) {
    throw new InvalidEventPatternError(path, 'empty objects are not allowed');
  }
  const fields: { key: string; node: CompiledNode }[] = [];
  let or: CompiledObject[] | undefined;
  for (const [key, value] of entries) {
    const fieldPath = joinPath(path, key);
    if (key === OR_KEY) {
      or = compileOr(value, fieldPath);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new InvalidEventPatternError(fieldPath, `"${key}" is a reserved name and cannot be a field inside $or`);
    }
    if (isArray(value)) {
      fields.push({ key, node: { kind: 'leaf', matchers: compileLeaf(value, fieldPath) } });
    } else if (isJsonObject(value)) {
      fields.push({ key, node: { kind: 'object', object: compileObject(value, fieldPath, insideOr) } });
    } else {
      throw new InvalidEventPatternError(fieldPath, `"${key}" must be an object or an array of values`);
    }
  }
  return or === undefined ? { fields } : { fields, or };
}

function compileOr(value: unknown, path: string): CompiledObject[] {
  if (!isArray(value)) {
    throw new InvalidEventPatternError(path, '$or must be an array of objects');
  }
  if (value.length < 2) {
    throw new InvalidEventPatternError(path, '$or must contain at least 2 objects');
  }
  return value.map((branch, index) => {
    const branchPath = `${path}[${index}]`;
    if (!isJsonObject(branch)) {
      throw new InvalidEventPatternError(branchPath, 'only JSON objects are allowed in $or');
    }
    return compileObject(branch, branchPath, true);
  });
}

function compileLeaf(values: readonly unknown[], path: string): ValueMatcher[] {
  if (values.length === 0) {
    throw new InvalidEventPatternError(path, 'empty arrays are not allowed');
  }
  return values.map((value, index) => {
    const valuePath = `${path}[${index}]`;
    if (value === null || typeof value === 'string' || typeof value === 'boolean') {
      return { kind: 'exact', value };
    }
    if (typeof value === 'number') {
      return { kind: 'exact', value: requireJsonNumber(value, valuePath) };
    }
    if (isJsonObject(value)) {
      return compileMatcher(value, valuePath);
    }
    throw new InvalidEventPatternError(valuePath, 'a match value must be a string, number, true, false, null or a matcher object');
  });
}

function compileMatcher(source: Record<string, unknown>, path: string): ValueMatcher {
  const [name, operand] = singleEntry(source, path, 'match expression');
  const operandPath = joinPath(path, name);
  switch (name) {
    case 'prefix':
    case 'suffix': {
      if (typeof operand === 'string') {
        return { kind: name, value: operand, ignoreCase: false };
      }
      // The only nested form is { "prefix": { "equals-ignore-case": "..." } } (and suffix).
      if (isJsonObject(operand)) {
        const [innerName, innerOperand] = singleEntry(operand, operandPath, `${name} expression`);
        if (innerName !== 'equals-ignore-case') {
          throw new InvalidEventPatternError(joinPath(operandPath, innerName), `unsupported ${name} pattern "${innerName}"`);
        }
        return { kind: name, value: requireString(innerOperand, joinPath(operandPath, innerName), 'equals-ignore-case'), ignoreCase: true };
      }
      throw new InvalidEventPatternError(operandPath, `${name} match pattern must be a string or { "equals-ignore-case": string }`);
    }
    case 'equals-ignore-case':
      return { kind: 'equals-ignore-case', value: requireString(operand, operandPath, name) };
    case 'wildcard':
      return { kind: 'wildcard', tokens: compileWildcard(requireString(operand, operandPath, name), operandPath) };
    case 'numeric':
      return compileNumeric(operand, operandPath);
    case 'exists':
      if (typeof operand !== 'boolean') {
        throw new InvalidEventPatternError(operandPath, 'exists match pattern must be either true or false');
      }
      return { kind: 'exists', present: operand };
    case 'cidr':
      return { kind: 'cidr', range: compileCidr(requireString(operand, operandPath, name), operandPath) };
    case 'anything-but':
      return { kind: 'anything-but', excluded: compileAnythingBut(operand, operandPath) };
    default:
      // "exactly" is accepted by the open-source engine but not documented for EventBridge,
      // so it is rejected here with every other unknown name.
      throw new InvalidEventPatternError(operandPath, `unrecognized match type "${name}"`);
  }
}

const ANYTHING_BUT_FORMS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;

function isAnythingButForm(name: string): name is (typeof ANYTHING_BUT_FORMS)[number] {
  return ANYTHING_BUT_FORMS.some((form) => form === name);
}

function compileAnythingBut(operand: unknown, path: string): ExclusionMatcher[] {
  if (typeof operand === 'string') {
    return [{ kind: 'exact', value: operand }];
  }
  if (typeof operand === 'number') {
    return [{ kind: 'exact', value: requireNumericOperand(operand, path) }];
  }
  if (isArray(operand)) {
    // A list must be all strings or all numbers: EventBridge refuses null, booleans, objects
    // and mixed lists here, and an empty list would exclude nothing.
    if (operand.length === 0) {
      throw new InvalidEventPatternError(path, 'anything-but list must not be empty');
    }
    if (operand.every((item): item is string => typeof item === 'string')) {
      return operand.map((value) => ({ kind: 'exact', value }));
    }
    if (operand.every((item): item is number => typeof item === 'number')) {
      return operand.map((value, index) => ({ kind: 'exact', value: requireNumericOperand(value, `${path}[${index}]`) }));
    }
    throw new InvalidEventPatternError(path, 'anything-but list must contain only strings or only numbers');
  }
  if (isJsonObject(operand)) {
    const [name, inner] = singleEntry(operand, path, 'anything-but expression');
    const innerPath = joinPath(path, name);
    if (!isAnythingButForm(name)) {
      throw new InvalidEventPatternError(innerPath, `unsupported anything-but pattern "${name}"`);
    }
    // Each nested form takes one string or a non-empty list of strings.
    const strings: readonly unknown[] = typeof inner === 'string' ? [inner] : isArray(inner) ? inner : [];
    if (strings.length === 0 || !strings.every((item): item is string => typeof item === 'string')) {
      throw new InvalidEventPatternError(innerPath, `anything-but ${name} must be a string or a non-empty array of strings`);
    }
    return strings.map((value, index): ExclusionMatcher => {
      const valuePath = typeof inner === 'string' ? innerPath : `${innerPath}[${index}]`;
      switch (name) {
        case 'prefix':
        case 'suffix':
          // An empty prefix/suffix would exclude every string; EventBridge refuses it.
          if (value === '') {
            throw new InvalidEventPatternError(valuePath, `empty ${name} is not allowed inside anything-but`);
          }
          return { kind: name, value, ignoreCase: false };
        case 'equals-ignore-case':
          return { kind: 'equals-ignore-case', value };
        case 'wildcard':
          return { kind: 'wildcard', tokens: compileWildcard(value, valuePath) };
      }
    });
  }
  throw new InvalidEventPatternError(
    path,
    'anything-but must be a string, a number, an array of strings or of numbers, or one of { prefix | suffix | equals-ignore-case | wildcard }',
  );
}

/**
 * Numeric operands follow the engine's grammar: `["=", n]`, a single bound (`[">", n]`,
 * `["<=", n]`, ...), or a range that states the lower bound first and the upper bound second
 * (`[">", 0, "<=", 5]`), with the lower bound strictly below the upper one.
 */
function compileNumeric(operand: unknown, path: string): ValueMatcher {
  if (!isArray(operand)) {
    throw new InvalidEventPatternError(path, 'value of numeric must be an array');
  }
  const terms = operand;
  const [operator, value] = readNumericTerm(terms, 0, path);
  if (operator === '=') {
    requireNumericLength(terms, 2, path, '"=" must be the only comparison');
    return { kind: 'numeric', lower: { value, inclusive: true }, upper: { value, inclusive: true } };
  }
  if (UPPER_BOUND_OPERATORS.has(operator)) {
    requireNumericLength(terms, 2, path, 'an upper bound must come last; state the lower bound (">" or ">=") first');
    return { kind: 'numeric', upper: { value, inclusive: operator === '<=' } };
  }
  const lower: NumericBound = { value, inclusive: operator === '>=' };
  if (terms.length === 2) {
    return { kind: 'numeric', lower };
  }
  const [upperOperator, upperValue] = readNumericTerm(terms, 2, path);
  if (!UPPER_BOUND_OPERATORS.has(upperOperator)) {
    throw new InvalidEventPatternError(`${path}[2]`, `bad numeric range operator "${upperOperator}"; a lower bound may only be followed by "<" or "<="`);
  }
  requireNumericLength(terms, 4, path, 'a range has exactly one lower and one upper bound');
  if (!(lower.value < upperValue)) {
    throw new InvalidEventPatternError(path, 'the lower bound of a numeric range must be less than its upper bound');
  }
  return { kind: 'numeric', lower, upper: { value: upperValue, inclusive: upperOperator === '<=' } };
}

function readNumericTerm(terms: readonly unknown[], index: number, path: string): [string, number] {
  const operator = terms[index];
  if (typeof operator !== 'string' || !(operator === '=' || LOWER_BOUND_OPERATORS.has(operator) || UPPER_BOUND_OPERATORS.has(operator))) {
    throw new InvalidEventPatternError(`${path}[${index}]`, `unrecognized numeric operator ${describe(operator)}; expected =, <, <=, > or >=`);
  }
  if (index + 1 >= terms.length) {
    throw new InvalidEventPatternError(path, `operator "${operator}" must be followed by a number`);
  }
  const value = terms[index + 1];
  if (typeof value !== 'number') {
    throw new InvalidEventPatternError(`${path}[${index + 1}]`, `value of "${operator}" must be a number, got ${describe(value)}`);
  }
  return [operator, requireNumericOperand(value, `${path}[${index + 1}]`)];
}

function requireNumericLength(terms: readonly unknown[], length: number, path: string, reason: string): void {
  if (terms.length !== length) {
    throw new InvalidEventPatternError(path, `too many elements in numeric expression; ${reason}`);
  }
}

/**
 * Wildcard operands: `*` matches any run of characters, `\*` is a literal asterisk and `\\` a
 * literal backslash. EventBridge rejects `**` and a backslash before anything else.
 */
function compileWildcard(source: string, path: string): (string | null)[] {
  const tokens: (string | null)[] = [];
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '*') {
      if (source[i + 1] === '*') {
        throw new InvalidEventPatternError(path, `consecutive wildcard characters at position ${i}`);
      }
      tokens.push(null);
    } else if (char === '\\') {
      const next = source[i + 1];
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(path, `invalid escape character at position ${i}; only \\* and \\\\ are allowed`);
      }
      tokens.push(next);
      i++;
    } else if (char !== undefined) {
      tokens.push(char);
    }
  }
  return tokens;
}

/**
 * CIDR operands are `address/bits` for IPv4 or IPv6. Following the engine, a full-length mask
 * (/32, /128) is refused: a single address is written as an exact string value instead.
 */
function compileCidr(source: string, path: string): IpRange {
  const parts = source.split('/');
  const [address, bitsText] = parts;
  if (parts.length !== 2 || address === undefined || address === '' || bitsText === undefined || bitsText === '') {
    throw new InvalidEventPatternError(path, `malformed CIDR "${source}": exactly one "/" is required`);
  }
  if (!/^[0-9]+$/.test(bitsText)) {
    throw new InvalidEventPatternError(path, `malformed CIDR "${source}": mask bits must be a non-negative integer`);
  }
  const ip = parseIp(address);
  if (ip === undefined) {
    throw new InvalidEventPatternError(path, `malformed CIDR "${source}": "${address}" is not an IPv4 or IPv6 address`);
  }
  const width = ip.family === 4 ? 32 : 128;
  const bits = Number(bitsText);
  if (bits >= width) {
    throw new InvalidEventPatternError(path, `malformed CIDR "${source}": IPv${ip.family} mask bits must be < ${width}`);
  }
  const hostMask = (1n << BigInt(width - bits)) - 1n;
  const low = ip.value & ~hostMask;
  return { family: ip.family, low, high: low | hostMask };
}

function singleEntry(source: Record<string, unknown>, path: string, what: string): [string, unknown] {
  const entries = Object.entries(source);
  const [first] = entries;
  if (first === undefined) {
    throw new InvalidEventPatternError(path, `${what} must have exactly one key, found none`);
  }
  if (entries.length > 1) {
    throw new InvalidEventPatternError(path, `${what} must have exactly one key, found ${entries.map(([k]) => `"${k}"`).join(', ')}`);
  }
  return first;
}

function requireString(value: unknown, path: string, name: string): string {
  if (typeof value !== 'string') {
    throw new InvalidEventPatternError(path, `${name} match pattern must be a string, got ${describe(value)}`);
  }
  return value;
}

function requireJsonNumber(value: number, path: string): number {
  if (!Number.isFinite(value)) {
    throw new InvalidEventPatternError(path, `${value} is not a JSON number`);
  }
  return value;
}

function requireNumericOperand(value: number, path: string): number {
  requireJsonNumber(value, path);
  if (Math.abs(value) > NUMERIC_LIMIT) {
    throw new InvalidEventPatternError(path, `numeric values must be between -5e9 and 5e9 inclusive, got ${value}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Matching

function matchObject(pattern: CompiledObject, node: unknown): boolean {
  const fieldsMatch = pattern.fields.every(({ key, node: fieldPattern }) => {
    const value = childOf(node, key);
    return fieldPattern.kind === 'object'
      ? matchNested(fieldPattern.object, value)
      : matchLeaf(fieldPattern.matchers, value);
  });
  return fieldsMatch && (pattern.or === undefined || pattern.or.some((branch) => matchObject(branch, node)));
}

/**
 * Descending into an array of objects, all of a sub-pattern's fields must be satisfied by the
 * same element, as EventBridge does; an empty array behaves like an absent field.
 */
function matchNested(pattern: CompiledObject, value: unknown): boolean {
  if (!isArray(value)) {
    return matchObject(pattern, value);
  }
  const elements = flatten(value);
  return elements.length === 0
    ? matchObject(pattern, undefined)
    : elements.some((element) => matchObject(pattern, element));
}

/**
 * A field "exists" only as a leaf: an object, an absent key, or an array without scalar
 * elements has no values, so `exists: true` fails there and `exists: false` succeeds.
 * Every other matcher needs at least one value, which is also why anything-but never
 * matches an absent field.
 */
function matchLeaf(matchers: readonly ValueMatcher[], value: unknown): boolean {
  const values = leafValues(value);
  return matchers.some((matcher) => {
    if (matcher.kind === 'exists') {
      return matcher.present === values.length > 0;
    }
    return values.some((candidate) => matchValue(matcher, candidate));
  });
}

function matchValue(matcher: Exclude<ValueMatcher, { kind: 'exists' }>, value: unknown): boolean {
  switch (matcher.kind) {
    case 'exact':
      // Strict equality keeps types apart: "5" does not match 5 and "" does not match null.
      return value === matcher.value;
    case 'prefix':
      return typeof value === 'string' &&
        (matcher.ignoreCase ? foldCase(value).startsWith(foldCase(matcher.value)) : value.startsWith(matcher.value));
    case 'suffix':
      return typeof value === 'string' &&
        (matcher.ignoreCase ? foldCase(value).endsWith(foldCase(matcher.value)) : value.endsWith(matcher.value));
    case 'equals-ignore-case':
      return typeof value === 'string' && foldCase(value) === foldCase(matcher.value);
    case 'wildcard':
      return typeof value === 'string' && matchWildcard(matcher.tokens, value);
    case 'numeric':
      return typeof value === 'number' && Math.abs(value) <= NUMERIC_LIMIT &&
        (matcher.lower === undefined || (matcher.lower.inclusive ? value >= matcher.lower.value : value > matcher.lower.value)) &&
        (matcher.upper === undefined || (matcher.upper.inclusive ? value <= matcher.upper.value : value < matcher.upper.value));
    case 'cidr': {
      if (typeof value !== 'string') {
        return false;
      }
      const ip = parseIp(value);
      return ip !== undefined && ip.family === matcher.range.family && ip.value >= matcher.range.low && ip.value <= matcher.range.high;
    }
    case 'anything-but':
      // Any present value the exclusions do not catch matches, whatever its type: a string
      // list does not exclude numbers, null or booleans, as in EventBridge.
      return !matcher.excluded.some((exclusion) => matchValue(exclusion, value));
  }
}

/**
 * Classic greedy glob matching with one backtrack point: linear in practice and free of the
 * catastrophic backtracking a generated RegExp can hit on patterns like `*a*a*a*b`.
 */
function matchWildcard(tokens: WildcardTokens, value: string): boolean {
  let t = 0;
  let v = 0;
  let starToken = -1;
  let starValue = 0;
  while (v < value.length) {
    const token = tokens[t];
    if (t < tokens.length && token === null) {
      starToken = t++;
      starValue = v;
    } else if (t < tokens.length && token === value[v]) {
      t++;
      v++;
    } else if (starToken >= 0) {
      t = starToken + 1;
      v = ++starValue;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t] === null) {
    t++;
  }
  return t === tokens.length;
}

function childOf(node: unknown, key: string): unknown {
  return isJsonObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Scalars (including null) at a field, with nested arrays flattened and objects dropped. */
function leafValues(value: unknown): unknown[] {
  if (value === undefined) {
    return [];
  }
  const candidates = isArray(value) ? flatten(value) : [value];
  return candidates.filter((candidate) => !isJsonObject(candidate));
}

function flatten(values: readonly unknown[]): unknown[] {
  return values.flatMap((value): unknown[] => (isArray(value) ? flatten(value) : [value]));
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Array.isArray narrows to any[]; this keeps elements unknown so every use is checked. */
function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(value: unknown): string {
  if (value === undefined) {
    return 'nothing';
  }
  return isArray(value) ? 'an array' : value === null ? 'null' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Case folding through upper then lower case also equates forms like "ſ" and "s". */
function foldCase(value: string): string {
  return value.toUpperCase().toLowerCase();
}

/**
 * Parses an IPv4 dotted quad or an IPv6 address (hex groups, at most one `::`, no embedded
 * dotted quad, no zone id) into a number; anything else is not an address.
 */
function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(text)) {
    const octets = text.split('.').map(Number);
    if (octets.some((octet) => octet > 255)) {
      return undefined;
    }
    return { family: 4, value: octets.reduce((acc, octet) => (acc << 8n) | BigInt(octet), 0n) };
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) {
    return undefined;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const groupsOf = (half: string | undefined): string[] | undefined => {
    if (half === undefined || half === '') {
      return [];
    }
    const groups = half.split(':');
    return groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group)) ? groups : undefined;
  };
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  if (head === undefined || tail === undefined) {
    return undefined;
  }
  const compressed = halves.length === 2;
  const present = head.length + tail.length;
  if (compressed ? present > 7 : present !== 8) {
    return undefined;
  }
  const groups = [...head, ...Array<string>(8 - present).fill('0'), ...tail];
  return { family: 6, value: groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n) };
}
