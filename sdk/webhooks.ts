import { WebhookVerificationError } from './errors';
import type { WebhookEvent, WebhookJwk } from './types';

/** Request headers as a Fetch `Headers` or as Node's `IncomingMessage.headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The body exactly as received: the signature covers these bytes, so do not parse and re-serialise it first. */
  rawBody: string | Uint8Array;
  headers: WebhookHeaders;
  /** Where the public keys are published: `<ServerPOS>/api/v1/pos/webhook-keys`. Fetched once and cached. */
  jwksUrl?: string;
  /** Or the keys themselves (a JWKS or its `keys`), e.g. pinned in configuration: then nothing is fetched. */
  keys?: WebhookJwk[] | { keys: WebhookJwk[] };
  /** How far the signature's time may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The current time (default: the clock); for tests. */
  now?: Date | number;
  /** The fetch for the key set (default: the global one). */
  fetch?: typeof fetch;
}

export const SIGNATURE_HEADER = 'ServerPOS-Signature';
export const EVENT_ID_HEADER = 'ServerPOS-Event-Id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The JWKS is kept this long unless its Cache-Control says otherwise (within the bounds below). */
const DEFAULT_JWKS_TTL_MS = 300_000;
const MIN_JWKS_TTL_MS = 30_000;
const MAX_JWKS_TTL_MS = 3_600_000;
const JWKS_FETCH_TIMEOUT_MS = 10_000;
/**
 * An unknown kid fetches the key set again (the key may have just been rotated in), but at most this often:
 * otherwise anyone could make the shop fetch the JWKS once per forged request.
 */
const UNKNOWN_KID_REFETCH_INTERVAL_MS = 10_000;

const encoder = new TextEncoder();

/**
 * Verifies a webhook delivery and answers its event, or throws {@link WebhookVerificationError} with the
 * reason. Checks, in order: the `ServerPOS-Signature` header (`t=<unix seconds>,kid=<key id>,v1=<base64url>`),
 * that `t` is within the tolerance of now, the Ed25519 signature over `${t}.${rawBody}` with the published
 * key named by `kid` (the key set is fetched again once when the kid is unknown), the body's shape, and
 * that `ServerPOS-Event-Id`, when sent, names the signed event.
 *
 * Deliveries are at least once: after this, drop an event whose `id` you have already handled, and answer
 * 2xx quickly; any other answer, or none within 10 s, is delivered again later.
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const header = headerValue(options.headers, SIGNATURE_HEADER);
  if (header === undefined || header.trim() === '') throw new WebhookVerificationError('missing_signature', `The ${SIGNATURE_HEADER} header is missing.`);
  const signature = parseSignatureHeader(header);

  const nowSeconds = Math.floor((options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime()) / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - signature.timestamp) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_tolerance', `The signature's time is ${nowSeconds - signature.timestamp} s from now; at most ${tolerance} s is accepted.`);
  }

  const key = await verificationKey(options, signature.kid);
  const body = typeof options.rawBody === 'string' ? encoder.encode(options.rawBody) : options.rawBody;
  const signed = concat(encoder.encode(`${signature.timestamp}.`), body);
  let valid = false;
  for (const candidate of signature.signatures) {
    if (candidate.length === 64 && (await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, key, candidate, signed))) {
      valid = true;
      break;
    }
  }
  if (!valid) throw new WebhookVerificationError('invalid_signature', 'The signature does not match the body and time.');

  const event = parseEvent(body);
  const eventIdHeader = headerValue(options.headers, EVENT_ID_HEADER);
  if (eventIdHeader !== undefined && eventIdHeader.trim() !== event.id) {
    throw new WebhookVerificationError('event_id_mismatch', `The ${EVENT_ID_HEADER} header does not name the signed event.`);
  }
  return event;
}

interface ParsedSignature {
  timestamp: number;
  kid: string;
  signatures: Uint8Array<ArrayBuffer>[];
}

function parseSignatureHeader(header: string): ParsedSignature {
  const malformed = () => new WebhookVerificationError('malformed_signature', `The ${SIGNATURE_HEADER} header is not t=<seconds>,kid=<key id>,v1=<signature>.`);
  let timestamp: number | undefined;
  let kid: string | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) throw malformed();
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) throw malformed();
      timestamp = Number(value);
    } else if (name === 'kid') {
      if (kid !== undefined || !/^[\x21-\x7e]{1,200}$/.test(value)) throw malformed();
      kid = value;
    } else if (name === 'v1') {
      const bytes = base64UrlDecode(value);
      if (!bytes) throw malformed();
      signatures.push(bytes);
    }
    // Other schemes are ignored, so ServerPOS can add one (v2) beside v1 without breaking receivers.
  }
  if (timestamp === undefined || kid === undefined || signatures.length === 0) throw malformed();
  return { timestamp, kid, signatures };
}

function parseEvent(body: Uint8Array): WebhookEvent {
  const malformed = (why: string) => new WebhookVerificationError('malformed_body', `The signed body is not a ServerPOS event: ${why}.`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw malformed('not UTF-8 JSON');
  }
  const event = value as Partial<Record<keyof WebhookEvent, unknown>>;
  if (!isObject(event) || typeof event.id !== 'string' || typeof event.type !== 'string' || typeof event.createdAt !== 'string') throw malformed('id, type or createdAt missing');
  const data = event.data as Record<string, unknown> | undefined;
  if (!isObject(data) || !isObject(data.payment) || !isObject(data.order)) throw malformed('data.payment or data.order missing');
  return value as WebhookEvent;
}

// ─────────────────────────────── keys ───────────────────────────────

interface KeySet {
  keys: Map<string, CryptoKey>;
  expiresAt: number;
  lastUnknownKidRefetch: number;
}

const keySets = new Map<string, KeySet>();
const loading = new Map<string, Promise<KeySet>>();

async function verificationKey(options: VerifyWebhookOptions, kid: string): Promise<CryptoKey> {
  if (options.keys) {
    const keys = await importKeys(Array.isArray(options.keys) ? options.keys : options.keys.keys);
    const key = keys.get(kid);
    if (!key) throw new WebhookVerificationError('unknown_key', `No configured key has the kid "${kid}".`);
    return key;
  }
  if (!options.jwksUrl) throw new TypeError('verifyWebhook: pass jwksUrl or keys');
  const url = options.jwksUrl;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  let set = keySets.get(url);
  let fresh = false;
  if (!set || set.expiresAt <= Date.now()) {
    set = await loadKeySet(url, fetchImpl, set);
    fresh = true;
  }
  let key = set.keys.get(kid);
  if (!key && !fresh && Date.now() - set.lastUnknownKidRefetch >= UNKNOWN_KID_REFETCH_INTERVAL_MS) {
    set.lastUnknownKidRefetch = Date.now();
    set = await loadKeySet(url, fetchImpl, set);
    key = set.keys.get(kid);
  }
  if (!key) throw new WebhookVerificationError('unknown_key', `No published key has the kid "${kid}".`);
  return key;
}

/** Fetches the key set once for all callers waiting on it; if that fails, a set fetched earlier keeps serving a little longer. */
async function loadKeySet(url: string, fetchImpl: typeof fetch, previous: KeySet | undefined): Promise<KeySet> {
  let pending = loading.get(url);
  if (!pending) {
    pending = fetchKeySet(url, fetchImpl, previous?.lastUnknownKidRefetch ?? 0).finally(() => loading.delete(url));
    loading.set(url, pending);
  }
  try {
    const set = await pending;
    keySets.set(url, set);
    return set;
  } catch (error) {
    if (previous) {
      previous.expiresAt = Date.now() + MIN_JWKS_TTL_MS;
      return previous;
    }
    throw error;
  }
}

async function fetchKeySet(url: string, fetchImpl: typeof fetch, lastUnknownKidRefetch: number): Promise<KeySet> {
  const unavailable = (why: string) => new WebhookVerificationError('jwks_unavailable', `Could not fetch the webhook keys from ${url}: ${why}.`);
  let response: Response;
  let document: unknown;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS) });
    if (!response.ok) throw unavailable(`HTTP ${response.status}`);
    document = await response.json();
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw error;
    throw unavailable(error instanceof Error ? error.message : String(error));
  }
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw unavailable('the answer is not a JWKS');
  return { keys: await importKeys(keys), expiresAt: Date.now() + ttlOf(response.headers.get('cache-control')), lastUnknownKidRefetch };
}

/** The Ed25519 keys of a set by kid; keys of other types (or broken ones) are left out rather than failing the set. */
async function importKeys(jwks: unknown[]): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>();
  for (const jwk of jwks) {
    if (!isObject(jwk) || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || typeof jwk.kid !== 'string') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    try {
      keys.set(jwk.kid, await globalThis.crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']));
    } catch {
      // Not a valid Ed25519 public key: it cannot verify anything.
    }
  }
  return keys;
}

function ttlOf(cacheControl: string | null): number {
  const maxAge = cacheControl ? /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl)?.[1] : undefined;
  if (maxAge === undefined) return DEFAULT_JWKS_TTL_MS;
  return Math.min(Math.max(Number(maxAge) * 1000, MIN_JWKS_TTL_MS), MAX_JWKS_TTL_MS);
}

// ─────────────────────────────── bytes and headers ───────────────────────────────

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  // Duck-typed rather than instanceof, so a framework's own Headers class works too; a plain record's values are never functions.
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== lower || value === undefined) continue;
    return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

function base64UrlDecode(value: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(value) || value.length % 4 === 1) return null;
  const base64 = value.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (value.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
