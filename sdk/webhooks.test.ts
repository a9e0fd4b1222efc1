import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions, type WebhookJwk } from './index';
import { json, scriptedServer } from './testing/scripted-server';

/** A platform signing key as ServerPOS keeps one: an Ed25519 pair and its kid. */
function signingKey(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { x } = publicKey.export({ format: 'jwk' });
  const jwk: WebhookJwk = { kty: 'OKP', crv: 'Ed25519', x: x!, kid, alg: 'EdDSA', use: 'sig' };
  return { kid, jwk, privateKey };
}

/** Signs a body exactly as the wire format says: Ed25519 over the UTF-8 bytes of `${t}.${rawBody}`, base64url without padding. */
function signatureHeader(key: { kid: string; privateKey: KeyObject }, t: number, rawBody: string) {
  const signature = sign(null, Buffer.from(`${t}.${rawBody}`, 'utf8'), key.privateKey).toString('base64url');
  return `t=${t},kid=${key.kid},v1=${signature}`;
}

const now = Date.parse('2031-05-01T12:00:00.000Z');
const nowSeconds = now / 1000;
const event = {
  id: '0b6f3f8e-4a57-4f55-9a5e-7c1d1e0f9a10',
  type: 'payment.authorized',
  createdAt: '2031-05-01T11:59:58.000Z',
  data: {
    payment: { id: 'e3c1…', status: 'AUTHORIZED', amount: 3300, currency: 'JPY', declineMessage: null, maskedPan: '411111******1111' },
    order: { id: '5a2c…', shopOrderRef: 'SB-20310501-K3M9Q2' },
  },
};
const rawBody = JSON.stringify(event);

function delivery(key: { kid: string; privateKey: KeyObject }, options: { t?: number; body?: string; eventId?: string } = {}) {
  const body = options.body ?? rawBody;
  return {
    rawBody: body,
    headers: { 'content-type': 'application/json', 'serverpos-event-id': options.eventId ?? event.id, 'serverpos-signature': signatureHeader(key, options.t ?? nowSeconds, body) },
    now,
  };
}

async function reason(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).reason;
}

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** ServerPOS's JWKS endpoint: publishes whatever `published` holds at the time of each request. */
async function jwksServer(published: WebhookJwk[], status = 200) {
  const server = await scriptedServer((_arrival, _index, response) => json(response, status, { keys: published }, { 'cache-control': 'public, max-age=300' }));
  servers.push(server);
  return { jwksUrl: `${server.url}/api/v1/pos/webhook-keys`, fetches: () => server.arrivals.length };
}

describe('verifyWebhook', () => {
  it('accepts a delivery signed with a published key and answers the event; the key set is fetched once and cached', async () => {
    const key = signingKey('k-2031-05');
    const jwks = await jwksServer([key.jwk]);

    expect(await verifyWebhook({ ...delivery(key), jwksUrl: jwks.jwksUrl })).toEqual(event);
    // Fetch Headers and a Buffer body work the same as Node's header record and a string.
    const again = delivery(key, { t: nowSeconds - 10 });
    expect(await verifyWebhook({ rawBody: Buffer.from(again.rawBody), headers: new Headers(again.headers), now, jwksUrl: jwks.jwksUrl })).toEqual(event);
    expect(jwks.fetches()).toBe(1);
  });

  it('refuses a body changed after signing, and a signature by another key under the same kid', async () => {
    const key = signingKey('k-1');
    const impostor = signingKey('k-1');
    const jwks = await jwksServer([key.jwk]);
    const signed = delivery(key);

    expect(await reason(verifyWebhook({ ...signed, rawBody: signed.rawBody.replace('3300', '33'), jwksUrl: jwks.jwksUrl }))).toBe('invalid_signature');
    expect(await reason(verifyWebhook({ ...signed, rawBody: `${signed.rawBody} `, jwksUrl: jwks.jwksUrl }))).toBe('invalid_signature');
    expect(await reason(verifyWebhook({ ...delivery(impostor), jwksUrl: jwks.jwksUrl }))).toBe('invalid_signature');
    // The time is signed too: the same signature under another t does not verify.
    const header = signed.headers['serverpos-signature'].replace(`t=${nowSeconds}`, `t=${nowSeconds - 1}`);
    expect(await reason(verifyWebhook({ ...signed, headers: { ...signed.headers, 'serverpos-signature': header }, jwksUrl: jwks.jwksUrl }))).toBe('invalid_signature');
  });

  it('refuses a signature time more than the tolerance from now, either way', async () => {
    const key = signingKey('k-1');
    const options: Pick<VerifyWebhookOptions, 'keys'> = { keys: [key.jwk] };

    expect(await reason(verifyWebhook({ ...delivery(key, { t: nowSeconds - 301 }), ...options }))).toBe('timestamp_out_of_tolerance');
    expect(await reason(verifyWebhook({ ...delivery(key, { t: nowSeconds + 301 }), ...options }))).toBe('timestamp_out_of_tolerance');
    expect(await verifyWebhook({ ...delivery(key, { t: nowSeconds - 300 }), ...options })).toEqual(event);
    expect(await reason(verifyWebhook({ ...delivery(key, { t: nowSeconds - 61 }), ...options, toleranceSeconds: 60 }))).toBe('timestamp_out_of_tolerance');
  });

  it('fetches the key set again once for an unknown kid (a key just rotated in), but not for every unknown kid', async () => {
    const first = signingKey('k-old');
    const rotated = signingKey('k-new');
    const published = [first.jwk];
    const jwks = await jwksServer(published);

    await verifyWebhook({ ...delivery(first), jwksUrl: jwks.jwksUrl });
    published.push(rotated.jwk);
    expect(await verifyWebhook({ ...delivery(rotated), jwksUrl: jwks.jwksUrl })).toEqual(event);
    expect(jwks.fetches()).toBe(2);

    // A kid nobody published: refused, and right after a refetch it costs no further fetch.
    expect(await reason(verifyWebhook({ ...delivery(signingKey('k-forged')), jwksUrl: jwks.jwksUrl }))).toBe('unknown_key');
    expect(jwks.fetches()).toBe(2);
    // Both keys stay usable from the cache.
    await verifyWebhook({ ...delivery(first), jwksUrl: jwks.jwksUrl });
    await verifyWebhook({ ...delivery(rotated), jwksUrl: jwks.jwksUrl });
    expect(jwks.fetches()).toBe(2);
  });

  it('answers unknown_key for a kid still unpublished after the refetch', async () => {
    const key = signingKey('k-1');
    const jwks = await jwksServer([key.jwk]);
    await verifyWebhook({ ...delivery(key), jwksUrl: jwks.jwksUrl });
    expect(await reason(verifyWebhook({ ...delivery(signingKey('k-2')), jwksUrl: jwks.jwksUrl }))).toBe('unknown_key');
    expect(jwks.fetches()).toBe(2);
  });

  it('answers jwks_unavailable when the keys cannot be fetched', async () => {
    const key = signingKey('k-1');
    const jwks = await jwksServer([key.jwk], 503);
    expect(await reason(verifyWebhook({ ...delivery(key), jwksUrl: jwks.jwksUrl }))).toBe('jwks_unavailable');
  });

  it.each([
    [undefined, 'missing_signature'],
    ['', 'missing_signature'],
    ['garbage', 'malformed_signature'],
    ['t=abc,kid=k-1,v1=AAAA', 'malformed_signature'],
    ['t=1,kid=k-1', 'malformed_signature'],
    ['kid=k-1,v1=AAAA', 'malformed_signature'],
    ['t=1,t=2,kid=k-1,v1=AAAA', 'malformed_signature'],
    ['t=1,kid=k-1,v1=not base64!', 'malformed_signature'],
  ])('refuses the signature header %j (%s)', async (header, expected) => {
    const key = signingKey('k-1');
    const headers: Record<string, string> = header === undefined ? {} : { 'serverpos-signature': header };
    expect(await reason(verifyWebhook({ rawBody, headers, now, keys: [key.jwk] }))).toBe(expected);
  });

  it('refuses a signed body that is not an event, and an Event-Id header that names another event', async () => {
    const key = signingKey('k-1');
    expect(await reason(verifyWebhook({ ...delivery(key, { body: '{"hello":"world"}' }), keys: { keys: [key.jwk] } }))).toBe('malformed_body');
    expect(await reason(verifyWebhook({ ...delivery(key, { body: 'not json' }), keys: [key.jwk] }))).toBe('malformed_body');
    expect(await reason(verifyWebhook({ ...delivery(key, { eventId: 'another-event' }), keys: [key.jwk] }))).toBe('event_id_mismatch');
  });
});
