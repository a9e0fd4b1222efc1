import fc from 'fast-check';
import { expect } from 'vitest';
import { dbPool } from '@/lib/db/client';
import { recordExchange } from './recorder';

/**
 * Shared pieces of the bad-input fuzz (reliability/fuzz-*.rel.test.ts): arbitraries for hostile values,
 * bodies, path parameters and protocol messages; a way to hand a request straight to a route handler; and
 * the checks every answer must pass (no 5xx, every refusal a 4xx `{ error: { code, message } }`, nothing
 * written by a refusal, no unhandled rejection).
 */

/** Cases per route and method: the guarantee's 1,000; FUZZ_RUNS changes it (more for a longer hunt, fewer while writing a test). */
export const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS) || 1000;

/** fast-check's settings for one route: the number of runs, and FUZZ_SEED to replay a reported failure. */
export function fuzzSettings(numRuns = RUNS_PER_ROUTE): fc.Parameters<unknown> {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns, ...(Number.isInteger(seed) ? { seed } : {}), endOnFailure: true, reporter: reportShortly };
}

/** fast-check's report of a failure with each long value cut short: hostile inputs run to tens of kilobytes. */
function reportShortly(details: fc.RunDetails<unknown>): void {
  if (!details.failed) return;
  const message = fc.defaultReportMessage(details) ?? 'the property failed';
  throw new Error(message.replace(/(.{1,6}?)\1{20,}/gs, (run, unit: string) => `${unit.repeat(4)}…(${run.length / unit.length} × ${JSON.stringify(unit)})`).slice(0, 6000), { cause: details.errorInstance });
}

// ── hostile values ────────────────────────────────────────────────────────────────────────────────────

/** Strings that have broken parsers, databases and screens: lone surrogates, NUL, bidi overrides, combining marks, emoji, injections, huge. */
export const unicodeEdgeCases: readonly string[] = [
  '',
  ' ',
  '\uD800',
  '\uDFFF',
  'ok\uD83D',
  '\uDE00ok',
  '\u0000',
  'a\u0000b',
  '\u202Eevil\u202C',
  '\u200F\u061C\u2066x\u2069',
  `e${'\u0301'.repeat(64)}`,
  '😀',
  '👨‍👩‍👧‍👦🏳️‍🌈',
  '\uFEFF',
  '\u200B\u200C\u200D',
  '\u2028\u2029',
  '\r\n\t\v\f',
  '\u0085\u009f',
  'Ａｂｃ ﬀ ǅ Å Å',
  '𝕏𝔾',
  '\uFFFE\uFFFF',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%',
  '%E0%A4%A',
  "' OR 1=1 --",
  '"; DROP TABLE "Order"; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'NaN',
  '-1',
  '1e999',
  'x'.repeat(10_000),
  '😀'.repeat(3_000),
  `${'\u0301'.repeat(5_000)}`,
];

/** Any string: the edge cases above, fast-check's full-code-point strings (lone surrogates included) and long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...unicodeEdgeCases) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '😀', '\u0000', '\uD800', 'é'), fc.integer({ min: 200, max: 20_000 })).map(([unit, count]) => unit.repeat(count)) },
);

/** Amounts a careless server would take: huge, negative, zero, fractional, -0, beyond 2^53, as strings, as other types. */
export const hostileAmount: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 0.5, 1.000001, -0.01, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e12, 1e12 + 1, 1e21, 1e308, -1e308, Number.MIN_VALUE, 10_000_000_001),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('100', '1e3', '0x10', '', ' 5', '-0', 'NaN', 'Infinity', null, true, [], {}, [100], { value: 100 }),
);

/** Currency codes that are not one of ours (and a few that are, so the property also sees valid ones). */
export const hostileCurrency: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('XXX', 'XTS', 'jpy', 'Jpy', 'JP', 'JPYY', 'BTC', '¥', '$', 'JPY\u0000', ' JPY', 'ＪＰＹ', 'JPY ', '', 'EUR', 'USD', 'GBP', 'JPY', 'XAU', 'CHF'),
  fc.string({ unit: 'grapheme-ascii', minLength: 3, maxLength: 3 }),
  fc.constantFrom(null, 392, ['JPY'], { code: 'JPY' }),
);

/** A value of any JSON type, hostile strings and amounts included. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileAmount },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }, { __proto__: { polluted: true } }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/**
 * A valid object with one thing wrong, or several: a field replaced by a hostile value (at any depth),
 * removed, or an unknown field added. Sometimes nothing is changed, so valid input is exercised too.
 */
export function mutatedObject(valid: () => Record<string, unknown>, fieldValues: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<unknown> {
  const change = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileJsonValue }),
    fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), value: fc.constant(null) }),
    fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(), value: fc.constant(null) }),
    fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), value: hostileJsonValue }),
  );
  return fc.tuple(fc.array(change, { minLength: 0, maxLength: 3 }), fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), fc.constantFrom(...Object.keys(fieldValues).concat('-'))).chain(([changes, picks, fieldName]) => {
    const specific = fieldValues[fieldName];
    return (specific ?? fc.constant(undefined)).map((specificValue) => {
      const object = structuredClone(valid());
      for (const each of changes) {
        const paths = leafPaths(object);
        const path = paths[each.pick % Math.max(paths.length, 1)] ?? [];
        // A copy: the constant values are shared between cases, and one put inside itself would make a cycle.
        if (each.kind === 'replace') setAt(object, path, structuredClone(each.value));
        else if (each.kind === 'remove') removeAt(object, path);
        else if (each.kind === 'add') setAt(object, [...path.slice(0, -1), `unknown${picks[0]! % 7}`], structuredClone(each.value));
        else if (specific) setAt(object, fieldName.split('.'), specificValue);
      }
      if (specific && changes.length === 0 && picks[1]! % 2 === 0) setAt(object, fieldName.split('.'), specificValue);
      return object;
    });
  });
}

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return [prefix, ...entries.flatMap(([key, child]) => leafPaths(child, [...prefix, key]))];
}

/** The object holding the last key of `path`, or undefined when the path runs through a non-object. */
function parentAt(root: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  if (path.length === 0) return undefined;
  let node: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return undefined;
    node = next as Record<string, unknown>;
  }
  return node;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown) {
  const node = parentAt(root, path);
  if (node) node[path.at(-1)!] = value;
}

function removeAt(root: Record<string, unknown>, path: string[]) {
  const node = parentAt(root, path);
  if (!node) return;
  if (Array.isArray(node)) node.splice(Number(path.at(-1)), 1);
  else delete node[path.at(-1)!];
}

// ── bodies ────────────────────────────────────────────────────────────────────────────────────────────

/** A request body as sent: bytes and the Content-Type it is sent under (null: none), and how it was made. */
export interface FuzzBody {
  kind: string;
  bytes: Uint8Array<ArrayBuffer> | null;
  contentType: string | null;
  /** The value sent, when it was sent well-formed as JSON (so the test can tell whether it was valid). */
  json?: unknown;
}

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text) as Uint8Array<ArrayBuffer>;

/** Content types a JSON API must refuse (415) or, for JSON variants, parse. */
const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/jsonx',
  'APPLICATION/JSON',
  '',
  '*/*',
  'application/json\u0000',
);

/**
 * Bodies for a JSON endpoint whose limit is `maxBytes`: mostly the route's own body mutated (`object`),
 * and malformed JSON, other JSON types, bytes that are not UTF-8, wrong content types and bodies just over
 * the limit (declared honestly, declared falsely small, or not declared).
 */
export function hostileJsonBody(object: fc.Arbitrary<unknown>, maxBytes: number): fc.Arbitrary<FuzzBody> {
  const json = (kind: string) => object.map((value): FuzzBody => ({ kind, bytes: utf8(JSON.stringify(value) ?? 'null'), contentType: 'application/json', json: value }));
  return fc.oneof(
    { weight: 10, arbitrary: json('mutated') },
    {
      weight: 2,
      arbitrary: fc.tuple(object, fc.nat(), fc.constantFrom('truncate', 'garbage', 'trailing', 'comment', 'single-quotes')).map(([value, cut, how]): FuzzBody => {
        const text = JSON.stringify(value) ?? 'null';
        const broken =
          how === 'truncate' ? text.slice(0, cut % Math.max(text.length, 1)) : how === 'garbage' ? `${text}}` : how === 'trailing' ? `${text.slice(0, -1)},}` : how === 'comment' ? `/* */${text}` : text.replaceAll('"', "'");
        return { kind: `malformed-${how}`, bytes: utf8(broken), contentType: 'application/json' };
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', '[]', '0', '"x"', 'true', '{', '}', '{"a":}', '\uFEFF{}', '{"__proto__":{"x":1}}', 'NaN', '1e999', '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]').map((text): FuzzBody => ({ kind: 'odd-json', bytes: utf8(text), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text): FuzzBody => ({ kind: 'random-text', bytes: utf8(text), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes): FuzzBody => ({ kind: 'random-bytes', bytes: new Uint8Array(bytes), contentType: 'application/json' })) },
    { weight: 1, arbitrary: fc.constantFrom([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf, 0x7b, 0x7d]).map((bytes): FuzzBody => ({ kind: 'not-utf8', bytes: new Uint8Array(bytes), contentType: 'application/json' })) },
    { weight: 2, arbitrary: fc.tuple(object, contentTypes).map(([value, contentType]): FuzzBody => ({ kind: 'content-type', bytes: utf8(JSON.stringify(value) ?? 'null'), contentType: contentType || null, json: value })) },
    { weight: 1, arbitrary: object.map((value): FuzzBody => ({ kind: 'no-content-type', bytes: utf8(JSON.stringify(value) ?? 'null'), contentType: null, json: value })) },
    { weight: 1, arbitrary: fc.constant<FuzzBody>({ kind: 'no-body', bytes: null, contentType: 'application/json' }) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('padded-json', 'raw')).map(([extra, how]): FuzzBody => {
        const filler = 'x'.repeat(maxBytes + extra);
        return { kind: 'oversized', bytes: utf8(how === 'raw' ? filler : JSON.stringify({ padding: filler })), contentType: 'application/json' };
      }),
    },
  );
}

// ── path parameters ───────────────────────────────────────────────────────────────────────────────────

/** Path parameters (as the router hands them, decoded): not UUIDs, traversal, encodings, Unicode, huge, and sometimes real ids. */
export function hostilePathParam(realIds: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom('..', '.', '../..', '..\\..', '%2e%2e', '%252e', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '1', '0', '-1', 'a/b', 'a?b=c', 'a#b', 'undefined') },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.uuid().map((uuid) => uuid.toUpperCase()) },
    ...(realIds.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...realIds) }] : []),
  );
}

/** A path segment for the request's URL: percent-encoded, lone surrogates (which no URL can carry) replaced. */
export function pathSegment(value: string): string {
  return encodeURIComponent(wellFormed(value));
}

/** The string with each lone surrogate replaced by U+FFFD, as String.prototype.toWellFormed (ES2024) does. */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

// ── auth headers ──────────────────────────────────────────────────────────────────────────────────────

/** Authorization headers that must not authenticate anyone (null: none sent). */
export const hostileAuthorization: fc.Arbitrary<string | null> = fc.oneof(
  fc.constantFrom(null, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x', 'Bearer spk_live_', 'Bearer spk_test_00000000000000000000', 'Bearer \u0000', `Bearer ${'a'.repeat(8_000)}`, 'Token abc', 'Bearer a b c'),
  fc.string({ unit: 'grapheme-ascii', maxLength: 120 }).map((token) => `Bearer ${token}`),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
);

/** Only what fetch's Headers accepts (ISO-8859-1, no CR/LF/NUL): a header value the fuzz wants to send, made sendable. */
export function headerValue(value: string): string {
  return value.replace(/[^\x20-\x7e\x80-\xff\t]/g, '?');
}

// ── protocol messages ─────────────────────────────────────────────────────────────────────────────────

/** One byte-level change of a message; positions are taken modulo its length, so one plan fits any message. */
export interface ByteMutation {
  kind: 'flip' | 'truncate' | 'extend' | 'splice' | 'delete' | 'set';
  at: number;
  bit: number;
  length: number;
}

/**
 * Plans for mutating a protocol message (any text: a compact JWS, JSON) byte by byte: a bit flipped, bytes
 * cut off, bytes added, a run replaced by another part of the message, bytes deleted, one byte set to a
 * separator; one to three changes. Sometimes none, so a valid message reaches the replay check.
 */
export const byteMutations: fc.Arbitrary<ByteMutation[]> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<ByteMutation[]>([]) },
  {
    weight: 12,
    arbitrary: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }), length: fc.constant(0) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), bit: fc.constant(0), length: fc.constant(0) }),
        fc.record({ kind: fc.constant('extend' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 255 }), length: fc.integer({ min: 1, max: 64 }) }),
        fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bit: fc.nat(), length: fc.integer({ min: 1, max: 256 }) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), bit: fc.constant(0), length: fc.integer({ min: 1, max: 8 }) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bit: fc.constantFrom(0x00, 0x2e, 0x22, 0x7b, 0x41, 0x2d, 0x5f, 0x3d, 0xff), length: fc.constant(0) }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  },
);

/** A message with a plan of byteMutations applied (the bytes read back as UTF-8, as a server reading a JSON string would see them). */
export function applyMutations(message: string, mutations: readonly ByteMutation[]): string {
  let bytes: Buffer = Buffer.from(message, 'utf8');
  for (const each of mutations) bytes = mutate(bytes, each);
  return mutations.length === 0 ? message : bytes.toString('utf8');
}

function mutate(bytes: Buffer, how: ByteMutation): Buffer {
  if (bytes.length === 0) return Buffer.from([how.bit & 0xff]);
  const at = how.at % bytes.length;
  switch (how.kind) {
    case 'flip': {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ (1 << how.bit);
      return copy;
    }
    case 'set': {
      const copy = Buffer.from(bytes);
      copy[at] = how.bit;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'extend':
      return Buffer.concat([bytes.subarray(0, at), Buffer.alloc(how.length, how.bit), bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + how.length)]);
    case 'splice': {
      const from = how.bit % bytes.length;
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(from, from + how.length), bytes.subarray(at + how.length)]);
    }
  }
}

// ── sending and checking ──────────────────────────────────────────────────────────────────────────────

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A route file's handler for a method (every route file exports the methods it refuses, too). */
export function handlerOf(module: Record<string, unknown>, method: string): RouteHandler {
  const handler = module[method];
  if (typeof handler !== 'function') throw new Error(`the route has no ${method} handler`);
  return handler as RouteHandler;
}

/**
 * The methods a route file exports other than `served`, grouped by the handler that answers them: a route
 * refuses the rest with one methodNotAllowed handler exported under several names, fuzzed once per handler
 * with the methods taking turns.
 */
export function refusedMethodGroups(module: Record<string, unknown>, served: readonly string[]): string[][] {
  const groups = new Map<unknown, string[]>();
  for (const [method, handler] of Object.entries(module)) {
    if (!/^[A-Z]+$/.test(method) || served.includes(method) || typeof handler !== 'function') continue;
    groups.set(handler, [...(groups.get(handler) ?? []), method]);
  }
  return [...groups.values()];
}

/** The request for a case: body bytes with their Content-Type, the headers given (null values left out). */
export function buildRequest(options: { method: string; url: string; headers?: Record<string, string | null>; body?: FuzzBody | null }): Request {
  // A client address per request, as the proxy in front of the app reports it: the per-address limits on
  // failed API keys and credentials would otherwise refuse the rest of the fuzz with 429 after a few cases.
  const headers = new Headers({ 'x-forwarded-for': randomClientAddress() });
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== null) headers.set(name, headerValue(value));
  if (options.body?.contentType) headers.set('content-type', headerValue(options.body.contentType));
  const bytes = options.body?.bytes ?? null;
  return new Request(options.url, { method: options.method, headers, ...(bytes && options.method !== 'GET' && options.method !== 'HEAD' ? { body: bytes } : {}) });
}

/** A client address from a private range, new for each request. */
export function randomClientAddress(): string {
  const part = () => Math.floor(Math.random() * 254) + 1;
  return `10.${part()}.${part()}.${part()}`;
}

/** One answer, read: status, headers and body text, and the body as JSON when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/**
 * Hands a request straight to a route handler, as Next.js would after routing (params already decoded),
 * records the exchange for the suite's secret scan, and reads the answer.
 */
export async function callRoute(handler: RouteHandler, request: Request, params: Record<string, string> = {}): Promise<Answer> {
  const method = request.method;
  const url = request.url;
  const response = await handler(request, { params: Promise.resolve(params) });
  return readAnswer(method, url, response);
}

/** Reads and records an answer (for requests sent over HTTP too). */
export async function readAnswer(method: string, url: string, response: Response): Promise<Answer> {
  const text = await response.text();
  recordExchange({ method, url, status: response.status, responseHeaders: Object.fromEntries(response.headers), responseBody: text });
  let json: unknown = undefined;
  if ((response.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The code of an error answer, if it is one. */
export function errorCodeOf(answer: Answer): string | undefined {
  return (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
}

/**
 * The guarantee for one answer: never a 5xx; a 4xx is JSON `{ error: { code, message } }` with a
 * snake_case code and a message. `what` names the case in the failure.
 */
export function expectNoServerError(answer: Answer, what: string): void {
  expect(answer.status, `${what}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) expectErrorShape(answer, what);
}

export function expectErrorShape(answer: Answer, what: string): void {
  const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  expect(typeof error?.code === 'string' && /^[a-z_]+$/.test(error.code), `${what}: a refusal without a code: ${answer.status} ${answer.text.slice(0, 300)}`).toBe(true);
  expect(typeof error?.message === 'string' && error.message.trim().length > 0, `${what}: a refusal without a message: ${answer.text.slice(0, 300)}`).toBe(true);
}

/**
 * Every unhandled promise rejection while the fuzz runs. Vitest reports them too (and fails the run);
 * this keeps them so a test can assert there were none at a point of its choosing.
 */
export function watchUnhandledRejections(): { rejections: unknown[]; stop(): void } {
  const rejections: unknown[] = [];
  const listener = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', listener);
  return { rejections, stop: () => process.off('unhandledRejection', listener) };
}

/** Counts per route and kind of case, printed after a file so the report can give the figures. */
export class FuzzTally {
  private readonly counts = new Map<string, { cases: number; statuses: Map<number, number> }>();
  private readonly started = Date.now();

  add(route: string, status: number): void {
    const entry = this.counts.get(route) ?? { cases: 0, statuses: new Map<number, number>() };
    entry.cases += 1;
    entry.statuses.set(status, (entry.statuses.get(status) ?? 0) + 1);
    this.counts.set(route, entry);
  }

  casesOf(route: string): number {
    return this.counts.get(route)?.cases ?? 0;
  }

  summary(title: string): string {
    const lines = [...this.counts].map(([route, { cases, statuses }]) => `  ${route}: ${cases} cases (${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')})`);
    return `${title}: ${[...this.counts.values()].reduce((sum, each) => sum + each.cases, 0)} cases in ${((Date.now() - this.started) / 1000).toFixed(1)} s\n${lines.join('\n')}`;
  }
}

/**
 * What a refusal must not change, read in one statement: the row count of each of `tables` (a row added or
 * removed anywhere) and a hash of every row of `storeTables` that belongs to one of `storeIds` (a row of
 * those stores changed; `Store` itself by its id). Table names as in the Prisma schema.
 */
export function databaseState(options: { tables: readonly string[]; storeTables?: readonly string[]; storeIds?: () => readonly string[] }): () => Promise<string> {
  const storeTables = options.storeTables ?? [];
  for (const table of [...options.tables, ...storeTables]) if (!/^[A-Za-z]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  const parts = [
    ...options.tables.map((table) => `'${table}=' || (SELECT count(*) FROM "${table}")`),
    ...storeTables.map((table) => `'${table}#' || (SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') FROM "${table}" t WHERE t."${table === 'Store' ? 'id' : 'storeId'}" = ANY($1::uuid[]))`),
  ];
  const statement = `SELECT concat_ws(' ', ${parts.join(', ')}) AS state`;
  return async () => {
    const { rows } = await dbPool().query<{ state: string }>(statement, storeTables.length > 0 ? [options.storeIds?.() ?? []] : []);
    return rows[0]!.state;
  };
}

/**
 * Sends cases one after another and fails any refusal (4xx) that changed the database state: the state
 * is read once before the first case and after every case, so each case costs one extra statement.
 * `documented` names refusals whose write is the documented behaviour (they are not checked).
 */
export function refusalsWriteNothing(state: () => Promise<string>, documented: (answer: Answer) => boolean = () => false): (send: () => Promise<Answer>) => Promise<Answer> {
  let last: string | undefined;
  return async (send) => {
    last ??= await state();
    const answer = await send();
    const now = await state();
    if (answer.status >= 400 && !documented(answer)) expect(now, `a refusal (${answer.status} ${errorCodeOf(answer)}) wrote to the database`).toBe(last);
    last = now;
    return answer;
  };
}

/** A query string of hostile values for the given parameter names (and unknown ones). */
export function hostileQuery(names: readonly string[], values: fc.Arbitrary<string> = hostileString): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...names), hostileString), values), { maxLength: 4 })
    .map((pairs) => new URLSearchParams(pairs.map(([name, value]) => [wellFormed(name), wellFormed(value)])).toString());
}

/**
 * Runs one route's property: `numRuns` cases from `cases`, each sent by `send`; every answer must be below
 * 500 and, unless the route answers in another format (`errorShape: false`: next-auth's, a server action's),
 * every 4xx must have our error shape; then `check` (what the route guarantees beyond that). Counts into `tally`.
 */
export async function fuzzRoute<T>(
  tally: FuzzTally,
  route: string,
  cases: fc.Arbitrary<T>,
  send: (input: T) => Promise<Answer>,
  check?: (input: T, answer: Answer) => Promise<void> | void,
  options: { numRuns?: number; errorShape?: boolean } = {},
): Promise<void> {
  const numRuns = options.numRuns ?? RUNS_PER_ROUTE;
  await fc.assert(
    fc.asyncProperty(cases, async (input) => {
      const answer = await send(input);
      tally.add(route, answer.status);
      if (options.errorShape === false) expect(answer.status, `${route}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
      else expectNoServerError(answer, route);
      await check?.(input, answer);
    }),
    fuzzSettings(numRuns),
  );
  expect(tally.casesOf(route)).toBeGreaterThanOrEqual(numRuns);
}
