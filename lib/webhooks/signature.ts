import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The webhook signature, both sides of it, with nothing but node:crypto: ServerPOS signs each POST with
 * its platform Ed25519 key at send time; a receiver verifies against the published JWKS
 * (GET /api/v1/pos/webhook-keys).
 *
 *   ServerPOS-Signature: t=<unix seconds>,kid=<key id>,v1=<base64url, no padding, of Ed25519 over `${t}.${rawBody}`>
 *
 * The timestamp is inside what is signed, so a captured delivery cannot be replayed later with a fresh
 * `t`; receivers refuse a `t` more than five minutes from their clock and de-duplicate by event id.
 */

export const SIGNATURE_HEADER = 'ServerPOS-Signature';
export const EVENT_ID_HEADER = 'ServerPOS-Event-Id';
/** How far a delivery's `t` may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** One public key as the JWKS publishes it. */
export interface WebhookJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface WebhookJwks {
  keys: WebhookJwk[];
}

/** The bytes the signature covers: the timestamp, a dot, and the body exactly as sent. */
function signedBytes(timestamp: number, rawBody: string): Buffer {
  return Buffer.from(`${timestamp}.${rawBody}`, 'utf8');
}

/** The public half of an Ed25519 key as a JWK with its key id. */
export function webhookJwkOf(publicKey: KeyObject, kid: string): WebhookJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('A webhook signing key is an Ed25519 key.');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' };
}

/** The ServerPOS-Signature header value for `rawBody`, signed now (`now`) with the key `kid`. */
export function signWebhookBody(input: { rawBody: string; privateKey: KeyObject; kid: string; now?: Date }): string {
  const timestamp = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const signature = sign(null, signedBytes(timestamp, input.rawBody), input.privateKey).toString('base64url');
  return `t=${timestamp},kid=${input.kid},v1=${signature}`;
}

export interface ParsedSignatureHeader {
  timestamp: number;
  kid: string;
  /** Every v1 signature in the header (one today). */
  signatures: string[];
}

/** Reads the header's fields; null when it is not of the documented form. */
export function parseSignatureHeader(header: string | null | undefined): ParsedSignatureHeader | null {
  if (!header || header.length > 1000) return null;
  let timestamp: number | undefined;
  let kid: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) return null;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (!/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (name === 'kid') {
      if (!/^[\x21-\x7e]{1,100}$/.test(value)) return null;
      kid = value;
    } else if (name === 'v1') {
      if (!/^[A-Za-z0-9_-]+$/.test(value)) return null;
      signatures.push(value);
    }
    // Other fields are ignored, so a later scheme (v2) can be sent beside v1.
  }
  if (timestamp === undefined || kid === undefined || signatures.length === 0) return null;
  return { timestamp, kid, signatures };
}

export type WebhookVerification =
  | { ok: true; kid: string; timestamp: number }
  | { ok: false; reason: 'malformed_header' | 'unknown_key' | 'stale_timestamp' | 'bad_signature' };

/**
 * What a receiver does with a delivery: the signature must verify with the key the header names, and
 * `t` must be within the tolerance of `now`. `unknown_key` means: fetch the JWKS again once, then retry.
 */
export function verifyWebhookSignature(input: { header: string | null | undefined; rawBody: string; keys: readonly WebhookJwk[]; now?: Date; toleranceSeconds?: number }): WebhookVerification {
  const parsed = parseSignatureHeader(input.header);
  if (!parsed) return { ok: false, reason: 'malformed_header' };
  const jwk = input.keys.find((key) => key.kid === parsed.kid);
  if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return { ok: false, reason: 'unknown_key' };
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale_timestamp' };
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  const data = signedBytes(parsed.timestamp, input.rawBody);
  const valid = parsed.signatures.some((signature) => verify(null, data, publicKey, Buffer.from(signature, 'base64url')));
  return valid ? { ok: true, kid: parsed.kid, timestamp: parsed.timestamp } : { ok: false, reason: 'bad_signature' };
}
