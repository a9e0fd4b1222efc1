import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACQUIRER_SIGNATURE_HEADER, signAcquirerRequest } from '@/lib/acquirers/request-signature';
import { acquirerStoreInfoSchema } from '@/lib/stores/schemas';
import { enrolmentBodySchema, suspendBodySchema } from '@/lib/acquirers/acquirer-api-schemas';
import { acquirerApiRoutes, acquirerClient, storeContractedWith, type AcquirerClient } from '@/lib/testing/acquirer-api-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';
import {
  applyMutations,
  byteMutations,
  callRoute,
  errorCodeOf,
  FuzzTally,
  fuzzRoute,
  handlerOf,
  hostileAmount,
  hostileAuthorization,
  hostileJsonBody,
  hostileJsonValue,
  hostilePathParam,
  hostileQuery,
  hostileString,
  mutatedObject,
  pathSegment,
  refusedMethodGroups,
  randomClientAddress,
  databaseState,
  refusalsWriteNothing,
  watchUnhandledRejections,
  type Answer,
  type FuzzBody,
} from './support/fuzz';

/**
 * Bad input against every acquirer admin API route, in process, against the simulated CA's real
 * certificates: each route handler × method gets at least 1,000 generated requests. Most are signed
 * validly after the body, path and query were fuzzed — so that the body's own checks refuse them, not the
 * signature — and the rest carry mutated signatures (the JWS byte by byte), another body than was signed,
 * hostile credentials or none. No answer may be a 5xx; every refusal is a 4xx `{ error: { code, message } }`
 * that changed none of the stores, contracts, store information or outbox (the call itself is audited,
 * and its nonce remembered, by design).
 */

const ORIGIN = 'http://localhost';
const tally = new FuzzTally();
const unhandled = watchUnhandledRejections();
const COUNTED_TABLES = ['Store', 'AcquirerContract', 'StoreInfoRevision', 'OutboxMessage', 'WebhookEvent', 'Notice', 'AcquirerApiCredential'] as const;
const STORE_TABLES = ['Store', 'AcquirerContract', 'StoreInfoRevision'] as const;

let world: SimWorld;
let client: AcquirerClient;
/** Stores under contract with ACQ-CARD, one per contract state, so valid changes and state refusals both occur. */
const stores: { storeId: string; merchantNumber: string }[] = [];

beforeAll(async () => {
  world = await startSimWorld();
  client = await acquirerClient(world, 'ACQ-CARD');
  for (const contractStatus of ['VERIFIED', 'APPLIED', 'WITHDRAWING', 'VERIFIED'] as const) {
    const store = await storeContractedWith([client.acquirerId], { contractStatus, storeStatus: contractStatus === 'APPLIED' ? 'PENDING' : 'ACTIVE' });
    stores.push({ storeId: store.storeId, merchantNumber: store.merchantNumbers[0]! });
  }
});

afterAll(async () => {
  unhandled.stop();
  console.log(tally.summary('acquirer API fuzz'));
  await world?.stop();
});

const moduleOf = (pattern: string) => acquirerApiRoutes.find(([each]) => each === pattern)![1];

/** How a case is authenticated: mostly signed well; otherwise broken in one of the ways an attacker or a bug would. */
type Auth = { kind: 'signed' } | { kind: 'mutated-signature'; mutations: Parameters<typeof applyMutations>[1] } | { kind: 'body-swapped' } | { kind: 'wrong-secret' } | { kind: 'hostile'; authorization: string | null; signature: string | null } | { kind: 'stale' };
const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Auth>({ kind: 'signed' }) },
  { weight: 2, arbitrary: byteMutations.map((mutations): Auth => ({ kind: 'mutated-signature', mutations })) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'body-swapped' }) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'wrong-secret' }) },
  { weight: 1, arbitrary: fc.constant<Auth>({ kind: 'stale' }) },
  { weight: 1, arbitrary: fc.tuple(hostileAuthorization, fc.oneof(fc.constant(null), hostileString)).map(([authorization, signature]): Auth => ({ kind: 'hostile', authorization, signature })) },
);

/** The request for a case: signed over exactly the bytes sent (unless the case breaks that on purpose). */
async function acquirerRequest(method: string, path: string, body: FuzzBody | null, how: Auth): Promise<{ request: Request; validlySigned: boolean }> {
  const request = await brokenAsAsked(method, path, body, how);
  const validlySigned = how.kind === 'signed' || (how.kind === 'mutated-signature' && request.signatureUnchanged);
  return { request: request.request, validlySigned };
}

async function brokenAsAsked(method: string, path: string, body: FuzzBody | null, how: Auth): Promise<{ request: Request; signatureUnchanged: boolean }> {
  const bytes = method === 'GET' ? null : (body?.bytes ?? null);
  const options = {
    body: bytes ?? '',
    contentType: body?.contentType ?? null,
    ...(how.kind === 'wrong-secret' ? { secret: 'd3Jvbmctc2VjcmV0LXZhbHVlLWZvci10aGUtdGVzdA' } : {}),
    ...(how.kind === 'stale' ? { now: new Date(Date.now() - 3_600_000) } : {}),
  };
  const signed = await signedBytes(method, path, options);
  if (how.kind === 'mutated-signature') {
    const signature = signed.headers.get(ACQUIRER_SIGNATURE_HEADER)!;
    const mutated = headerSafe(applyMutations(signature, how.mutations));
    signed.headers.set(ACQUIRER_SIGNATURE_HEADER, mutated);
    return { request: signed, signatureUnchanged: mutated === signature };
  }
  if (how.kind === 'body-swapped') {
    // Another request than was signed: a byte more in the body, or (a GET has none) another query.
    if (method === 'GET') return { request: new Request(`${signed.url}${signed.url.includes('?') ? '&' : '?'}limit=1`, { method, headers: signed.headers }), signatureUnchanged: false };
    return { request: new Request(signed.url, { method, headers: signed.headers, body: `${bytes ? Buffer.from(bytes).toString('latin1') : ''} ` }), signatureUnchanged: false };
  }
  if (how.kind === 'hostile') {
    signed.headers.delete('authorization');
    signed.headers.delete(ACQUIRER_SIGNATURE_HEADER);
    if (how.authorization !== null) signed.headers.set('authorization', headerSafe(how.authorization));
    if (how.signature !== null) signed.headers.set(ACQUIRER_SIGNATURE_HEADER, headerSafe(how.signature));
  }
  return { request: signed, signatureUnchanged: false };
}

/** A request signed over exactly `body` (bytes as sent; a GET carries none), as an acquirer's client would send it. */
async function signedBytes(method: string, path: string, options: { body: Uint8Array<ArrayBuffer> | string; contentType: string | null; secret?: string; now?: Date }): Promise<Request> {
  const url = `${ORIGIN}${path}`;
  const signature = await signAcquirerRequest({ method, url, body: options.body, credentialId: client.credentialId, credentialSecret: options.secret ?? client.secret, signer: client.signer, ...(options.now ? { now: options.now } : {}) });
  const headers = new Headers({ accept: 'application/json', 'x-forwarded-for': randomClientAddress(), ...signature });
  if (options.contentType) headers.set('content-type', headerSafe(options.contentType));
  const hasBody = typeof options.body === 'string' ? options.body.length > 0 : options.body.byteLength > 0;
  return new Request(url, { method, headers, ...(hasBody && method !== 'GET' ? { body: options.body } : {}) });
}

function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e\t]/g, '?');
}

/** What a refusal must not change: the counted tables, and the fuzzed stores with their contracts and information row by row. */
const state = databaseState({ tables: COUNTED_TABLES, storeTables: STORE_TABLES, storeIds: () => stores.map((store) => store.storeId) });
const senders = new Map<string, ReturnType<typeof refusalsWriteNothing>>();

async function sendChecked(pattern: string, method: string, path: string, params: Record<string, string>, body: FuzzBody | null, how: Auth): Promise<Answer> {
  const route = `${method} ${pattern}`;
  // An older store-information version is refused as `conflict` after ServerPOS's newer one was queued for the acquirer (documented).
  const documented = (answer: Answer) => route === 'PUT /api/v1/acquirer/stores/:merchantNumber/info' && answer.status === 409 && errorCodeOf(answer) === 'conflict';
  if (!senders.has(route)) senders.set(route, refusalsWriteNothing(state, documented));
  const { request, validlySigned } = await acquirerRequest(method, path, body, how);
  const send = () => callRoute(handlerOf(moduleOf(pattern), method), request, params);
  // A GET changes nothing whatever its answer: checked once around all its cases (readsOnly), not case by case.
  const answer = method === 'GET' ? await send() : await senders.get(route)!(send);
  if (answer.status < 300) expect(validlySigned, `an answer ${answer.status} to a request without a valid signature (${how.kind})`).toBe(true);
  return answer;
}

/** For a route that only reads: nothing counted may change over all its cases (its calls are audited, by design). */
async function readsOnly(run: () => Promise<void>): Promise<void> {
  const before = await state();
  await run();
  expect(await state(), 'a read-only route changed stores, contracts or the outbox').toBe(before);
}

/** A merchant number for a path: mostly one of ours, else hostile. */
const merchantNumber = fc.oneof({ weight: 2, arbitrary: fc.nat().map((pick) => stores[pick % stores.length]!.merchantNumber) }, { weight: 1, arbitrary: hostilePathParam(['M-SAKURA-0001']) });

function validIfSent(body: FuzzBody, schema: { safeParse(value: unknown): { success: boolean } }): boolean {
  return body.json !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(body.contentType ?? '') && schema.safeParse(body.json).success;
}

describe('acquirer API under bad input', () => {
  it('GET /api/v1/acquirer/stores: hostile filters, cursors and limits', async () => {
    const values = fc.oneof(hostileString, fc.constantFrom('ACTIVE', 'VERIFIED', 'active', '0', '201', '-5', '1.5', '1e2', 'T-', '\u0000'));
    await readsOnly(() =>
      fuzzRoute(tally, 'GET /api/v1/acquirer/stores', fc.tuple(hostileQuery(['status', 'contractStatus', 'cursor', 'limit'], values), auth), ([query, how]) =>
        sendChecked('/api/v1/acquirer/stores', 'GET', `/api/v1/acquirer/stores?${query}`, {}, null, how),
      ),
    );
  });

  it('GET /api/v1/acquirer/stores/:merchantNumber: hostile merchant numbers', async () => {
    await readsOnly(() =>
      fuzzRoute(tally, 'GET /api/v1/acquirer/stores/:merchantNumber', fc.tuple(merchantNumber, auth), ([number, how]) =>
        sendChecked('/api/v1/acquirer/stores/:merchantNumber', 'GET', `/api/v1/acquirer/stores/${pathSegment(number)}`, { merchantNumber: number }, null, how),
      ),
    );
  });

  it('GET /api/v1/acquirer/reports/settlement: hostile periods and merchant numbers', async () => {
    const values = fc.oneof(hostileString, fc.constantFrom('2026-01-01', '2026-02-30', '2026-13-01', '0000-01-01', '9999-12-31', '2026-01-01T00:00:00Z', '20260101', '-2026-01-01'));
    await readsOnly(() =>
      fuzzRoute(tally, 'GET /api/v1/acquirer/reports/settlement', fc.tuple(hostileQuery(['from', 'to', 'merchantNumber'], values), auth), ([query, how]) =>
        sendChecked('/api/v1/acquirer/reports/settlement', 'GET', `/api/v1/acquirer/reports/settlement?${query}`, {}, null, how),
      ),
    );
  });

  it('POST and DELETE …/suspension: hostile reasons and merchant numbers', async () => {
    const body = hostileJsonBody(mutatedObject(() => ({ reason: 'Chargeback review' }), { reason: hostileString }), 64 * 1024);
    await fuzzRoute(tally, 'POST /api/v1/acquirer/stores/:merchantNumber/suspension', fc.tuple(merchantNumber, body, auth), ([number, sent, how]) =>
      sendChecked('/api/v1/acquirer/stores/:merchantNumber/suspension', 'POST', `/api/v1/acquirer/stores/${pathSegment(number)}/suspension`, { merchantNumber: number }, sent, how),
      ([, sent], answer) => {
        if (answer.status < 300) expect(validIfSent(sent, suspendBodySchema), `an invalid suspension was accepted: ${JSON.stringify(sent.json)?.slice(0, 200)}`).toBe(true);
      },
    );
    await fuzzRoute(tally, 'DELETE /api/v1/acquirer/stores/:merchantNumber/suspension', fc.tuple(merchantNumber, fc.option(body), auth), ([number, sent, how]) =>
      sendChecked('/api/v1/acquirer/stores/:merchantNumber/suspension', 'DELETE', `/api/v1/acquirer/stores/${pathSegment(number)}/suspension`, { merchantNumber: number }, sent, how),
    );
  });

  it('PUT …/info: hostile store information', async () => {
    let version = 1;
    const valid = () => ({ version: (version += 1), name: 'Fuzzed Books', contactEmail: 'books@example.test', phone: '+81 3 1234 5678', postalAddress: '1-2-3 Ginza, Tokyo', websiteUrl: 'https://books.example.test' });
    const body = hostileJsonBody(mutatedObject(valid, { version: hostileAmount, name: hostileString, contactEmail: hostileString, phone: hostileString, postalAddress: hostileString, websiteUrl: hostileString }), 64 * 1024);
    await fuzzRoute(tally, 'PUT /api/v1/acquirer/stores/:merchantNumber/info', fc.tuple(merchantNumber, body, auth), ([number, sent, how]) =>
      sendChecked('/api/v1/acquirer/stores/:merchantNumber/info', 'PUT', `/api/v1/acquirer/stores/${pathSegment(number)}/info`, { merchantNumber: number }, sent, how),
      ([, sent], answer) => {
        if (answer.status < 300) expect(validIfSent(sent, acquirerStoreInfoSchema), `invalid store information was accepted: ${JSON.stringify(sent.json)?.slice(0, 200)}`).toBe(true);
      },
    );
  });

  it('POST …/enrolment: hostile decisions', async () => {
    const body = hostileJsonBody(
      fc.oneof(
        mutatedObject(() => ({ decision: 'verified', acquisitionNumber: 'ACQNUM-0001' }), { decision: hostileJsonValue, acquisitionNumber: hostileString }),
        mutatedObject(() => ({ decision: 'rejected', reason: 'Documents missing' }), { reason: hostileString }),
      ),
      64 * 1024,
    );
    await fuzzRoute(tally, 'POST /api/v1/acquirer/stores/:merchantNumber/enrolment', fc.tuple(merchantNumber, body, auth), ([number, sent, how]) =>
      sendChecked('/api/v1/acquirer/stores/:merchantNumber/enrolment', 'POST', `/api/v1/acquirer/stores/${pathSegment(number)}/enrolment`, { merchantNumber: number }, sent, how),
      ([, sent], answer) => {
        if (answer.status < 300) expect(validIfSent(sent, enrolmentBodySchema), `an invalid enrolment decision was accepted: ${JSON.stringify(sent.json)?.slice(0, 200)}`).toBe(true);
      },
    );
  });

  it('POST …/withdrawal: hostile merchant numbers and bodies', async () => {
    await fuzzRoute(tally, 'POST /api/v1/acquirer/stores/:merchantNumber/withdrawal', fc.tuple(merchantNumber, fc.option(hostileJsonBody(fc.jsonValue({ maxDepth: 2 }), 64 * 1024)), auth), ([number, sent, how]) =>
      sendChecked('/api/v1/acquirer/stores/:merchantNumber/withdrawal', 'POST', `/api/v1/acquirer/stores/${pathSegment(number)}/withdrawal`, { merchantNumber: number }, sent, how),
    );
  });

  it('GET /api/v1/acquirer/openapi.json: public, any query and headers', async () => {
    await fuzzRoute(tally, 'GET /api/v1/acquirer/openapi.json', fc.tuple(hostileQuery(['format']), hostileAuthorization), ([query, authorization]) =>
      callRoute(handlerOf(moduleOf('/api/v1/acquirer/openapi.json'), 'GET'), new Request(`${ORIGIN}/api/v1/acquirer/openapi.json?${query}`, { headers: authorization === null ? {} : { authorization: headerSafe(authorization) } })),
      (_input, answer) => expect(answer.status).toBe(200),
    );
  });

  it('every method a route does not serve answers 405 with the error shape', async () => {
    for (const [pattern, module] of acquirerApiRoutes) {
      // An unsigned probe of each method: a served one answers 401 (200 for the public document), one the route does not serve 405.
      const served: string[] = [];
      for (const method of Object.keys(module).filter((name) => /^[A-Z]+$/.test(name))) {
        const probe = await callRoute(handlerOf(module, method), new Request(`${ORIGIN}${pattern.replace(':merchantNumber', 'x')}`, { method }), { merchantNumber: 'x' });
        if (probe.status !== 405) served.push(method);
      }
      const path = pattern.replace(':merchantNumber', 'M-1');
      for (const methods of refusedMethodGroups(module, served)) {
        await fuzzRoute(tally, `${methods.join('|')} ${pattern}`, fc.tuple(fc.constantFrom(...methods), hostileJsonBody(fc.jsonValue({ maxDepth: 2 }), 1024), hostileAuthorization), ([method, body, authorization]) =>
          callRoute(
            handlerOf(module, method),
            new Request(`${ORIGIN}${path}`, { method, headers: { ...(authorization === null ? {} : { authorization: headerSafe(authorization) }), ...(body.contentType ? { 'content-type': headerSafe(body.contentType) } : {}) }, ...(body.bytes && method !== 'GET' ? { body: body.bytes } : {}) }),
            { merchantNumber: 'M-1' },
          ),
          (_input, answer) => expect(answer.status).toBe(405),
        );
      }
    }
  });

  it('left no unhandled rejection', () => {
    expect(unhandled.rejections).toEqual([]);
  });
});
