import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSignatureHeader, signWebhookBody, verifyWebhookSignature, webhookJwkOf } from '@/lib/webhooks/signature';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const jwk = webhookJwkOf(publicKey, 'webhook-key-1');
const rawBody = JSON.stringify({ id: '6f1c1c9e-4a8e-4e43-9d55-1f7a3a9b2c10', type: 'payment.authorized', createdAt: '2026-11-25T03:47:09.123Z', data: { note: 'café ☕' } });
const now = new Date('2026-11-25T03:47:10.000Z');
const t = now.getTime() / 1000;
const header = signWebhookBody({ rawBody, privateKey, kid: jwk.kid, now });

describe('the webhook signature', () => {
  it('is t=<unix seconds>,kid=<kid>,v1=<unpadded base64url Ed25519 over "t.body">, verifiable with node:crypto from the published JWK alone', () => {
    expect(header).toMatch(new RegExp(`^t=${t},kid=webhook-key-1,v1=[A-Za-z0-9_-]{86}$`));
    expect(jwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), kid: 'webhook-key-1', alg: 'EdDSA', use: 'sig' });
    // What a shop does without our code: the JWK as published, the header split by hand.
    const published = createPublicKey({ key: JSON.parse(JSON.stringify(jwk)) as { kty: string; crv: string; x: string }, format: 'jwk' });
    const fields = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
    expect(verify(null, Buffer.from(`${fields.t}.${rawBody}`, 'utf8'), published, Buffer.from(fields.v1!, 'base64url'))).toBe(true);
    expect(verifyWebhookSignature({ header, rawBody, keys: [jwk], now })).toEqual({ ok: true, kid: 'webhook-key-1', timestamp: t });
  });

  it('fails for a tampered body, a changed timestamp, another key or a header that is not of the form', () => {
    expect(verifyWebhookSignature({ header, rawBody: rawBody.replace('authorized', 'captured'), keys: [jwk], now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhookSignature({ header, rawBody: `${rawBody} `, keys: [jwk], now })).toEqual({ ok: false, reason: 'bad_signature' });
    // A replayer moving t forward to pass the freshness check breaks the signature, which covers t.
    const movedTimestamp = header.replace(`t=${t}`, `t=${t + 270}`);
    expect(movedTimestamp).not.toBe(header);
    expect(verifyWebhookSignature({ header: movedTimestamp, rawBody, keys: [jwk], now: new Date(now.getTime() + 540_000) })).toEqual({ ok: false, reason: 'bad_signature' });
    const other = webhookJwkOf(generateKeyPairSync('ed25519').publicKey, 'webhook-key-1');
    expect(verifyWebhookSignature({ header, rawBody, keys: [other], now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhookSignature({ header, rawBody, keys: [{ ...jwk, kid: 'webhook-key-2' }], now })).toEqual({ ok: false, reason: 'unknown_key' });
    for (const bad of [null, '', 'v1=abc', `t=abc,kid=k,v1=${'A'.repeat(86)}`, `t=1,kid=k`, 'garbage']) {
      expect(verifyWebhookSignature({ header: bad, rawBody, keys: [jwk], now })).toEqual({ ok: false, reason: 'malformed_header' });
    }
  });

  it('refuses a delivery whose t is more than 300 s from the receiver’s clock, either way', () => {
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(verifyWebhookSignature({ header, rawBody, keys: [jwk], now: at(300) }).ok).toBe(true);
    expect(verifyWebhookSignature({ header, rawBody, keys: [jwk], now: at(301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhookSignature({ header, rawBody, keys: [jwk], now: at(-301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('signs anew each time: the same body signed later has a later t and verifies only around then', () => {
    const later = new Date(now.getTime() + 3_600_000);
    const resent = signWebhookBody({ rawBody, privateKey, kid: jwk.kid, now: later });
    expect(parseSignatureHeader(resent)?.timestamp).toBe(parseSignatureHeader(header)!.timestamp + 3600);
    expect(verifyWebhookSignature({ header: resent, rawBody, keys: [jwk], now: later }).ok).toBe(true);
    expect(verifyWebhookSignature({ header, rawBody, keys: [jwk], now: later })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });
});
