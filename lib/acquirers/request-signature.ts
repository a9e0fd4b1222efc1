/**
 * Signed requests of the acquirer admin API (`/api/v1/acquirer/…`), both
 * sides: an acquirer signs each HTTP request with its gateway signature key,
 * and ServerPOS verifies it. Two factors, held by different parties: the
 * operator-issued API credential (Bearer secret) and the CA-issued gateway
 * certificate (JWS with x5c). The format is documented in docs/acquirer-api.md.
 *
 * Pure library: no Next.js, no Prisma, no Node-only modules.
 */
import type { ChainValidator, ValidatedCertificate } from '@/lib/pki';
import { checkTime, DEFAULT_MAX_SKEW_SECONDS, randomId, SetError, sha256, signPayload, utf8, verifySigned, type ReplayCache, type Signer } from '@/lib/set';

/** JWS `typ` of a request signature; distinct from SET messages (`set+jws`), so neither can stand in for the other. */
export const ACQUIRER_REQUEST_TYPE = 'acquirer-request+jws';

/** Header carrying the compact JWS. */
export const ACQUIRER_SIGNATURE_HEADER = 'X-Acquirer-Signature';

/**
 * Largest signature header accepted, checked before parsing. A gateway chain
 * of three certificates is about 5 KiB; Node refuses request headers above
 * 16 KiB in total anyway.
 */
export const MAX_SIGNATURE_HEADER_BYTES = 16 * 1024;

/** The signed payload. Every member is a string; serialised with sorted keys and no whitespace. */
export interface AcquirerRequestPayload {
  bodySha256: string;
  credentialId: string;
  method: string;
  nonce: string;
  path: string;
  query: string;
  timestamp: string;
}

const payloadKeys = ['bodySha256', 'credentialId', 'method', 'nonce', 'path', 'query', 'timestamp'] as const satisfies readonly (keyof AcquirerRequestPayload)[];

const credentialIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
// RFC 7235 token68: what a Bearer credential may contain, so it can never break the header.
const secretPattern = /^[A-Za-z0-9._~+/-]+=*$/;
const methodPattern = /^[A-Z]{1,16}$/;
const noncePattern = /^[A-Za-z0-9_-]{16,64}$/;
// Exactly what Date.prototype.toISOString writes, so the signed text has one form.
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Headers as a Fetch `Headers` object or as Node's `IncomingHttpHeaders` (lower-case names). */
export type RequestHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The request target as both sides see it: the WHATWG URL parser's
 * percent-encoded pathname and the query string without `?`. Absolute URLs
 * are accepted; scheme, host and fragment are not signed (ServerPOS may sit
 * behind a proxy that rewrites the host).
 */
export function requestTarget(url: string): { path: string; query: string } {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://request.invalid');
  } catch {
    throw new SetError('malformed_message', 'The request URL cannot be parsed.');
  }
  return { path: parsed.pathname, query: parsed.search.replace(/^\?/, '') };
}

function bodyBytes(body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return typeof body === 'string' ? utf8(body) : new Uint8Array(body);
}

/** The payload as signed text: fixed member set, keys sorted, no whitespace. */
export function canonicalPayload(payload: AcquirerRequestPayload): string {
  const ordered: Record<string, string> = {};
  for (const key of payloadKeys) ordered[key] = payload[key];
  return JSON.stringify(ordered);
}

/**
 * Signs an HTTP request to ServerPOS's acquirer admin API. Returns the two
 * headers to add: `Authorization: Bearer <secret>` (the API credential) and
 * `X-Acquirer-Signature` (a JWS over method, path, query, body hash, time,
 * nonce and credential id). `body` must be exactly the bytes sent ('' for none).
 */
export async function signAcquirerRequest(options: {
  method: string;
  /** Path and query (`/api/v1/…?a=b`), or an absolute URL. */
  url: string;
  body: string | Uint8Array;
  credentialId: string;
  credentialSecret: string;
  signer: Signer;
  now?: Date;
}): Promise<Record<string, string>> {
  const method = options.method.toUpperCase();
  if (!methodPattern.test(method)) throw new SetError('malformed_message', 'The request method is not an HTTP method name.');
  if (!credentialIdPattern.test(options.credentialId)) throw new SetError('malformed_message', 'The credential id must be 1–128 letters, digits or . _ : -.');
  if (!secretPattern.test(options.credentialSecret)) throw new SetError('malformed_message', 'The credential secret is not a Bearer token (token68).');
  const { path, query } = requestTarget(options.url);
  const payload: AcquirerRequestPayload = {
    bodySha256: await sha256(bodyBytes(options.body)),
    credentialId: options.credentialId,
    method,
    nonce: randomId(),
    path,
    query,
    timestamp: (options.now ?? new Date()).toISOString(),
  };
  const jws = await signPayload(canonicalPayload(payload), options.signer, ACQUIRER_REQUEST_TYPE);
  return { Authorization: `Bearer ${options.credentialSecret}`, [ACQUIRER_SIGNATURE_HEADER]: jws };
}

/** What a verified request proves. The caller still checks the secret against its store and that the credential is this acquirer's. */
export interface VerifiedAcquirerRequest {
  credentialId: string;
  /** As presented; compare it with the stored hash, never log it. */
  credentialSecret: string;
  /** From the gateway certificate's SET identity, not from anything the request says. */
  acquirerId: string;
  signer: ValidatedCertificate;
}

function headerValue(headers: RequestHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const values = Object.entries(headers).filter(([key, value]) => key.toLowerCase() === wanted && value !== undefined);
  if (values.length === 0) return undefined;
  const value = values.length === 1 ? values[0]![1] : undefined;
  // Two copies of an authentication header make the request ambiguous; refuse rather than pick one.
  if (typeof value !== 'string') throw new SetError('malformed_message', `The ${name} header appears more than once.`);
  return value;
}

function parsePayload(text: string): AcquirerRequestPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SetError('malformed_message', 'The signed payload is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SetError('malformed_message', 'The signed payload is not a JSON object.');
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== payloadKeys.length || !payloadKeys.every((key) => typeof record[key] === 'string')) {
    throw new SetError('malformed_message', `The signed payload has exactly the string members ${payloadKeys.join(', ')}.`);
  }
  const payload = record as unknown as AcquirerRequestPayload;
  // One signed form only: a payload that is not canonical was not made by a conforming signer.
  if (canonicalPayload(payload) !== text) throw new SetError('malformed_message', 'The signed payload is not in canonical form.');
  if (!methodPattern.test(payload.method)) throw new SetError('malformed_message', 'The signed method is not an upper-case HTTP method.');
  if (!credentialIdPattern.test(payload.credentialId)) throw new SetError('malformed_message', 'The signed credential id is not valid.');
  if (!noncePattern.test(payload.nonce)) throw new SetError('malformed_message', 'The signed nonce is not 16–64 base64url characters.');
  if (!timestampPattern.test(payload.timestamp)) throw new SetError('malformed_message', 'The signed timestamp is not an ISO 8601 UTC time with milliseconds.');
  return payload;
}

/**
 * Verifies a signed acquirer request: both headers present; the JWS chain
 * validates to a pinned root as a gateway signature certificate; the signature
 * is that certificate's; method, path, query and body hash are the ones that
 * arrived; the time is within ±`maxSkewSeconds`; the nonce is new for this
 * certificate. Every refusal is a SetError with a stable code.
 */
export async function verifyAcquirerRequest(options: {
  method: string;
  url: string;
  body: string | Uint8Array;
  headers: RequestHeaders;
  validator: ChainValidator;
  replayCache: ReplayCache;
  now?: Date;
  maxSkewSeconds?: number;
}): Promise<VerifiedAcquirerRequest> {
  const now = options.now ?? new Date();
  const maxSkewSeconds = options.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;

  const signature = headerValue(options.headers, ACQUIRER_SIGNATURE_HEADER);
  if (signature === undefined || signature.length === 0) throw new SetError('missing_signature', `The request carries no ${ACQUIRER_SIGNATURE_HEADER} header.`);
  const authorization = headerValue(options.headers, 'Authorization');
  const bearer = authorization === undefined ? null : /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (!bearer || !secretPattern.test(bearer[1]!)) throw new SetError('missing_credential', 'The request carries no API credential (Authorization: Bearer …).');
  const credentialSecret = bearer[1]!;

  // The same verification as SET messages (chain to a gateway signature certificate, then the signature), for another `typ`.
  let verified: { payload: string; signer: ValidatedCertificate };
  try {
    verified = await verifySigned(signature, options.validator, ['gateway'], MAX_SIGNATURE_HEADER_BYTES, ACQUIRER_REQUEST_TYPE);
  } catch (error) {
    if (error instanceof SetError && error.code === 'signature_invalid') throw new SetError('signature_invalid', 'The signature does not match the request.');
    throw error;
  }
  const { signer } = verified;
  const payloadText = verified.payload;
  const payload = parsePayload(payloadText);

  const arrived = requestTarget(options.url);
  if (payload.method !== options.method.toUpperCase()) throw new SetError('request_mismatch', 'The signature was made for another method.');
  if (payload.path !== arrived.path) throw new SetError('request_mismatch', 'The signature was made for another path.');
  if (payload.query !== arrived.query) throw new SetError('request_mismatch', 'The signature was made for another query.');
  if (payload.bodySha256 !== (await sha256(bodyBytes(options.body)))) throw new SetError('request_mismatch', 'The signature was made for another body.');
  checkTime(payload.timestamp, now, maxSkewSeconds);

  const acquirerId = signer.identity.acquirerId;
  if (!acquirerId) throw new SetError('identity_mismatch', 'The gateway certificate names no acquirer.');
  // Last, so that only requests that passed every other check use up a nonce. Kept for the
  // whole window in which the timestamp would still be accepted.
  const fresh = await options.replayCache.remember(`acqreq|${signer.thumbprint}|${payload.nonce}`, new Date(now.getTime() + 2 * maxSkewSeconds * 1000));
  if (!fresh) throw new SetError('replayed_message', 'This request was already received.');

  return { credentialId: payload.credentialId, credentialSecret, acquirerId, signer };
}
