import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '@/lib/pki';
import { createSigner, isSetError, utf8, type SetErrorCode, type Signer } from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';
import { ACQUIRER_REQUEST_TYPE, ACQUIRER_SIGNATURE_HEADER, signAcquirerRequest, verifyAcquirerRequest, type RequestHeaders } from './request-signature';

const url = '/api/v1/acquirer/stores/M-0001/suspension?dryRun=1';
const body = JSON.stringify({ reason: 'chargebacks above threshold' });
const credential = { credentialId: 'cred_01', credentialSecret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' };

let world: World;
let otherWorld: World;

beforeAll(async () => {
  [world, otherWorld] = await Promise.all([createWorld(), createWorld({ algorithm: 'P-256' })]);
}, 120_000);

async function sign(overrides: { signer?: Signer; now?: Date; method?: string; url?: string; body?: string } = {}) {
  return signAcquirerRequest({
    method: overrides.method ?? 'POST',
    url: overrides.url ?? url,
    body: overrides.body ?? body,
    ...credential,
    signer: overrides.signer ?? world.gateways.a.signer,
    now: overrides.now ?? world.clock.now,
  });
}

function verify(headers: RequestHeaders, arrived: { method?: string; url?: string; body?: string; party?: ReturnType<World['party']>; world?: World } = {}) {
  const party = arrived.party ?? (arrived.world ?? world).party();
  return verifyAcquirerRequest({
    method: arrived.method ?? 'POST',
    url: arrived.url ?? url,
    body: arrived.body ?? body,
    headers,
    validator: party.validator,
    replayCache: party.replayCache!,
    now: (arrived.world ?? world).clock.now,
  });
}

async function refusal(promise: Promise<unknown>): Promise<SetErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (isSetError(error)) return error.code;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('signed acquirer requests', () => {
  it('round-trips: the verifier learns the credential and the acquirer from the certificate', async () => {
    const headers = await sign();
    expect(headers.Authorization).toBe(`Bearer ${credential.credentialSecret}`);
    const verified = await verify(headers);
    expect(verified.credentialId).toBe('cred_01');
    expect(verified.credentialSecret).toBe(credential.credentialSecret);
    expect(verified.acquirerId).toBe('ACQ-A');
    expect(verified.signer.identity.role).toBe('gateway');
  });

  it('round-trips with P-256 keys, an absolute URL, an empty body and Node-style lower-case headers', async () => {
    const headers = await sign({ signer: otherWorld.gateways.b.signer, now: otherWorld.clock.now, method: 'delete', url: 'http://localhost:3000/api/v1/acquirer/stores/M-1/suspension', body: '' });
    const lowerCase = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    const verified = await verify(lowerCase, { world: otherWorld, method: 'DELETE', url: '/api/v1/acquirer/stores/M-1/suspension', body: '' });
    expect(verified.acquirerId).toBe('ACQ-B');
  });

  it('accepts a Fetch Headers object', async () => {
    const verified = await verify(new Headers(await sign()));
    expect(verified.credentialId).toBe('cred_01');
  });

  it('puts the agreed header and canonical payload in the JWS', async () => {
    const jws = (await sign())[ACQUIRER_SIGNATURE_HEADER]!;
    const [encodedHeader, encodedPayload] = jws.split('.');
    const header = JSON.parse(Buffer.from(encodedHeader!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(header).toEqual({ alg: 'PS256', typ: 'acquirer-request+jws', x5c: world.gateways.a.signer.x5c });
    const payloadText = Buffer.from(encodedPayload!, 'base64url').toString('utf8');
    const payload = JSON.parse(payloadText) as Record<string, string>;
    expect(Object.keys(payload)).toEqual(['bodySha256', 'credentialId', 'method', 'nonce', 'path', 'query', 'timestamp']);
    expect(payload).toMatchObject({ method: 'POST', path: '/api/v1/acquirer/stores/M-0001/suspension', query: 'dryRun=1', credentialId: 'cred_01', timestamp: world.clock.now.toISOString() });
    expect(payload.bodySha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', utf8(body))).toString('base64url'));
    expect(payloadText).not.toContain(' ');
  });

  it('refuses an altered body', async () => {
    expect(await refusal(verify(await sign(), { body: JSON.stringify({ reason: 'something else' }) }))).toBe('request_mismatch');
  });

  it('refuses an altered path', async () => {
    expect(await refusal(verify(await sign(), { url: '/api/v1/acquirer/stores/M-0002/suspension?dryRun=1' }))).toBe('request_mismatch');
  });

  it('refuses an altered method', async () => {
    expect(await refusal(verify(await sign(), { method: 'DELETE' }))).toBe('request_mismatch');
  });

  it('refuses an altered query', async () => {
    expect(await refusal(verify(await sign(), { url: '/api/v1/acquirer/stores/M-0001/suspension?dryRun=0' }))).toBe('request_mismatch');
    expect(await refusal(verify(await sign(), { url: '/api/v1/acquirer/stores/M-0001/suspension' }))).toBe('request_mismatch');
  });

  it('refuses a stale timestamp and one from the future', async () => {
    const stale = new Date(world.clock.now.getTime() - 301_000);
    const future = new Date(world.clock.now.getTime() + 301_000);
    expect(await refusal(verify(await sign({ now: stale })))).toBe('stale_message');
    expect(await refusal(verify(await sign({ now: future })))).toBe('message_from_future');
  });

  it('accepts a timestamp just inside the skew', async () => {
    await expect(verify(await sign({ now: new Date(world.clock.now.getTime() - 299_000) }))).resolves.toMatchObject({ acquirerId: 'ACQ-A' });
  });

  it('refuses a replayed nonce', async () => {
    const party = world.party();
    const headers = await sign();
    await verify(headers, { party });
    expect(await refusal(verify(headers, { party }))).toBe('replayed_message');
  });

  it('refuses a request without the signature header', async () => {
    const { [ACQUIRER_SIGNATURE_HEADER]: _signature, ...withoutSignature } = await sign();
    expect(await refusal(verify(withoutSignature))).toBe('missing_signature');
  });

  it('refuses a request without the API credential', async () => {
    const { Authorization: _authorization, ...withoutCredential } = await sign();
    expect(await refusal(verify(withoutCredential))).toBe('missing_credential');
    expect(await refusal(verify({ ...withoutCredential, Authorization: 'Basic dXNlcjpwYXNz' }))).toBe('missing_credential');
  });

  it('refuses a garbage JWS', async () => {
    const headers = await sign();
    expect(await refusal(verify({ ...headers, [ACQUIRER_SIGNATURE_HEADER]: 'not a jws' }))).toBe('malformed_message');
    expect(await refusal(verify({ ...headers, [ACQUIRER_SIGNATURE_HEADER]: 'e30.e30.AAAA' }))).toBe('malformed_message');
  });

  it('refuses a signature whose bytes were changed', async () => {
    const headers = await sign();
    const [encodedHeader, encodedPayload, signature] = headers[ACQUIRER_SIGNATURE_HEADER]!.split('.');
    const flipped = (signature!.startsWith('A') ? 'B' : 'A') + signature!.slice(1);
    expect(await refusal(verify({ ...headers, [ACQUIRER_SIGNATURE_HEADER]: `${encodedHeader}.${encodedPayload}.${flipped}` }))).toBe('signature_invalid');
  });

  it('refuses a SET message signature presented as a request signature', async () => {
    const headers = await sign();
    const setMessage = await new CompactSign(utf8('{}'))
      .setProtectedHeader({ alg: 'PS256', typ: 'set+jws', x5c: world.gateways.a.signer.x5c })
      .sign(world.gateways.a.signer.privateKey);
    expect(await refusal(verify({ ...headers, [ACQUIRER_SIGNATURE_HEADER]: setMessage }))).toBe('malformed_message');
  });

  it('refuses a correctly signed payload that is not canonical', async () => {
    const headers = await sign();
    const payload = JSON.parse(Buffer.from(headers[ACQUIRER_SIGNATURE_HEADER]!.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, string>;
    const reordered = JSON.stringify({ timestamp: payload.timestamp, ...payload });
    const jws = await new CompactSign(utf8(reordered))
      .setProtectedHeader({ alg: 'PS256', typ: ACQUIRER_REQUEST_TYPE, x5c: world.gateways.a.signer.x5c })
      .sign(world.gateways.a.signer.privateKey);
    expect(await refusal(verify({ ...headers, [ACQUIRER_SIGNATURE_HEADER]: jws }))).toBe('malformed_message');
  });

  it('refuses a merchant certificate', async () => {
    expect(await refusal(verify(await sign({ signer: world.merchant.signer })))).toBe('unexpected_role');
  });

  it('refuses a chain to an unknown root', async () => {
    const foreign = otherWorld.gateways.a.signer;
    const signer = await createSigner(foreign.privateKey, [...foreign.chain, otherWorld.hierarchy.root.certificate]);
    expect(await refusal(verify(await sign({ signer })))).toBe('untrusted_root');
  });

  it('refuses a revoked gateway certificate', async () => {
    const keys = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
    const gatewayCa = world.hierarchy.brands.VISA!.gatewayCa;
    const certificate = await world.issueLeaf(gatewayCa, { role: 'gateway', usage: 'signature', acquirerId: 'ACQ-A' }, keys.publicKey);
    const signer = await createSigner(keys.privateKey, [certificate, ...world.gateways.a.signer.chain.slice(1)]);
    await expect(verify(await sign({ signer }))).resolves.toMatchObject({ acquirerId: 'ACQ-A' });
    await world.revoke(gatewayCa, certificate);
    expect(await refusal(verify(await sign({ signer })))).toBe('certificate_revoked');
  });

  it('refuses a gateway certificate that names no acquirer', async () => {
    const keys = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
    const certificate = await world.issueLeaf(world.hierarchy.brands.VISA!.gatewayCa, { role: 'gateway', usage: 'signature' }, keys.publicKey);
    const signer = await createSigner(keys.privateKey, [certificate, ...world.gateways.a.signer.chain.slice(1)]);
    expect(await refusal(verify(await sign({ signer })))).toBe('identity_mismatch');
  });

  it('will not sign a secret that could break the header', async () => {
    const error = await signAcquirerRequest({ method: 'POST', url, body, credentialId: 'cred_01', credentialSecret: 'abc\r\nX-Injected: 1', signer: world.gateways.a.signer }).catch((caught: unknown) => caught);
    expect(isSetError(error, 'malformed_message')).toBe(true);
  });
});
