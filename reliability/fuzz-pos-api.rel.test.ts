import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catchAll from '@/app/api/[...path]/route';
import * as health from '@/app/api/health/route';
import * as me from '@/app/api/v1/pos/me/route';
import * as openapi from '@/app/api/v1/pos/openapi.json/route';
import * as orderByRef from '@/app/api/v1/pos/orders/by-ref/[shopOrderRef]/route';
import * as order from '@/app/api/v1/pos/orders/[orderId]/route';
import * as orders from '@/app/api/v1/pos/orders/route';
import * as capture from '@/app/api/v1/pos/payments/[paymentId]/capture/route';
import * as refunds from '@/app/api/v1/pos/payments/[paymentId]/refunds/route';
import * as payment from '@/app/api/v1/pos/payments/[paymentId]/route';
import * as voidPayment from '@/app/api/v1/pos/payments/[paymentId]/void/route';
import * as payments from '@/app/api/v1/pos/payments/route';
import * as webhookKeys from '@/app/api/v1/pos/webhook-keys/route';
import * as signup from '@/app/api/v1/signup/route';
import { db } from '@/lib/db/client';
import { createOrderSchema } from '@/lib/payments/schemas';
import { settlementBodySchema } from '@/lib/payments/settle-through-api';
import { signUpSchema } from '@/lib/stores/schemas';
import { orderBody, posApiClient, seedOrder, seedPayment } from '@/lib/testing/pos-api-fixtures';
import {
  buildRequest,
  callRoute,
  FuzzTally,
  fuzzRoute,
  handlerOf,
  hostileAmount,
  hostileAuthorization,
  hostileCurrency,
  hostileJsonBody,
  hostilePathParam,
  hostileQuery,
  hostileString,
  mutatedObject,
  pathSegment,
  refusedMethodGroups,
  databaseState,
  refusalsWriteNothing,
  watchUnhandledRejections,
  type FuzzBody,
} from './support/fuzz';

/**
 * Bad input against every POS API route (and the other public JSON routes: sign-up, health, the catch-all),
 * in process: each route handler × method gets at least 1,000 generated requests. Mostly with a valid API
 * key, so the deep validation runs and not only the key check. No answer may be a 5xx; every refusal is a
 * 4xx `{ error: { code, message } }`; a refusal writes nothing; an accepted request was valid.
 */

const ORIGIN = 'http://localhost';
const tally = new FuzzTally();
const unhandled = watchUnhandledRejections();
// What the POS API and sign-up write; a refusal must leave every count as it was.
const WRITTEN_TABLES = ['Order', 'Payment', 'PaymentTransaction', 'Store', 'StoreUser', 'Pos', 'AcquirerContract', 'OutboxMessage', 'AuditEvent', 'WebhookEvent'] as const;

let client: Awaited<ReturnType<typeof posApiClient>>;
let acquirerCode: string;
let orderIds: string[] = [];
let orderRefs: string[] = [];
let paymentIds: string[] = [];

beforeAll(async () => {
  client = await posApiClient();
  acquirerCode = (await db().posAcquirer.findFirstOrThrow({ where: { posId: client.posId }, select: { acquirer: { select: { code: true } } } })).acquirer.code;
  const seeded = await Promise.all([0, 1, 2].map(() => seedOrder({ storeId: client.storeId, posId: client.posId })));
  orderIds = seeded.map((each) => each.id);
  orderRefs = seeded.map((each) => each.shopOrderRef);
  const statuses = ['AUTHORIZED', 'CAPTURED', 'DECLINED'] as const;
  paymentIds = (await Promise.all(seeded.map((each, index) => seedPayment({ storeId: client.storeId, posId: client.posId, orderId: each.id, status: statuses[index]! })))).map((each) => each.id);
});

afterAll(() => {
  unhandled.stop();
  console.log(tally.summary('POS API fuzz'));
});

/** The Authorization header of a case: mostly the client's valid key, sometimes a hostile one. */
const authorization = fc.oneof({ weight: 4, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: hostileAuthorization }).map((value) => (value === 'valid' ? client.authorization : value));

/** Everything a POS API request or a sign-up could write, and the client's store's orders and payments row by row. */
const state = databaseState({ tables: WRITTEN_TABLES, storeTables: ['Order', 'Payment', 'PaymentTransaction'], storeIds: () => [client.storeId] });

/** For a route that writes: the cases one by one, each refusal checked to have written nothing. */
function checkedSender() {
  const guarded = refusalsWriteNothing(state);
  return (handler: ReturnType<typeof handlerOf>, request: Request, params: Record<string, string> = {}) => guarded(() => callRoute(handler, request, params));
}

/** For a route that only reads: nothing at all may change over all its cases. */
async function readsOnly(run: () => Promise<void>): Promise<void> {
  const before = await state();
  await run();
  expect(await state(), 'a read-only route wrote to the database').toBe(before);
}

/** True when a body was sent as JSON the route takes (its content type and its value passing `schema`). */
function sentValid(body: FuzzBody, schema: { safeParse(value: unknown): { success: boolean } }): boolean {
  return body.json !== undefined && /^application\/([\w.+-]+\+)?json\b/i.test(body.contentType ?? '') && schema.safeParse(body.json).success;
}

/** Methods a route file refuses (405), each fuzzed like the served ones: any body, any key, any query. */
const refusedMethods: [string, Record<string, unknown>, string][] = [
  ['/api/v1/pos/me', me, 'GET'],
  ['/api/v1/pos/openapi.json', openapi, 'GET'],
  ['/api/v1/pos/webhook-keys', webhookKeys, 'GET'],
  ['/api/v1/pos/orders', orders, 'POST'],
  ['/api/v1/pos/orders/:orderId', order, 'GET'],
  ['/api/v1/pos/orders/by-ref/:shopOrderRef', orderByRef, 'GET'],
  ['/api/v1/pos/payments', payments, 'GET'],
  ['/api/v1/pos/payments/:paymentId', payment, 'GET'],
  ['/api/v1/pos/payments/:paymentId/capture', capture, 'POST'],
  ['/api/v1/pos/payments/:paymentId/void', voidPayment, 'POST'],
  ['/api/v1/pos/payments/:paymentId/refunds', refunds, 'POST'],
  ['/api/v1/signup', signup, 'POST'],
];

describe('POS API under bad input', () => {
  it('GET /api/v1/pos/me: any key, any query', async () => {
    await readsOnly(() =>
      fuzzRoute(tally, 'GET /api/v1/pos/me', fc.tuple(authorization, hostileQuery(['expand'])), ([auth, query]) =>
        callRoute(handlerOf(me, 'GET'), buildRequest({ method: 'GET', url: `${ORIGIN}/api/v1/pos/me?${query}`, headers: { authorization: auth } })),
        (_input, answer) => {
          if (answer.status === 200) expect(answer.json).toMatchObject({ pos: { id: client.posId } });
        },
      ),
    );
  });

  it('POST /api/v1/pos/orders: hostile bodies, amounts, currencies, Unicode, content types, sizes and Idempotency-Keys', async () => {
    const lineItem = fc.record({ name: hostileString, unitAmount: hostileAmount, quantity: hostileAmount });
    const body = hostileJsonBody(
      mutatedObject(() => orderBody(), {
        currency: hostileCurrency,
        shopOrderRef: hostileString,
        'lineItems.0.unitAmount': hostileAmount,
        'lineItems.0.quantity': hostileAmount,
        'lineItems.1.name': hostileString,
        lineItems: fc.array(lineItem, { maxLength: 120 }),
        successUrl: fc.oneof(hostileString, fc.constantFrom('javascript:alert(1)', 'https://user:pw@shop.example/', 'http://[::1', `https://shop.example/${'a'.repeat(2100)}`, 'ftp://shop.example/')),
        autoCapture: hostileJsonValueOrBoolean(),
        expiresInMinutes: hostileAmount,
      }),
      64 * 1024,
    );
    const idempotencyKey = fc.oneof({ weight: 6, arbitrary: fc.constant('fresh') }, { weight: 1, arbitrary: fc.constantFrom(null, '', 'used-key', '\u00e9', 'k'.repeat(256), ' leading') });
    const send = checkedSender();
    await fuzzRoute(
      tally,
      'POST /api/v1/pos/orders',
      fc.record({ auth: authorization, body, key: idempotencyKey }),
      ({ auth, body: sent, key }) =>
        send(handlerOf(orders, 'POST'), buildRequest({ method: 'POST', url: `${ORIGIN}/api/v1/pos/orders`, headers: { authorization: auth, 'idempotency-key': key === 'fresh' ? randomUUID() : key }, body: sent })),
      ({ auth, body: sent, key }, answer) => {
        if (answer.status < 300) {
          expect(auth).toBe(client.authorization);
          expect(key, 'a request without a usable Idempotency-Key was accepted').not.toBe(null);
          expect(sentValid(sent, createOrderSchema), `an invalid order was accepted: ${JSON.stringify(sent.json)?.slice(0, 300)}`).toBe(true);
          expect(answer.status).toBe(201);
          expect(answer.json).toMatchObject({ order: { id: expect.any(String), amount: expect.any(Number) } });
        }
      },
    );
  });

  it.each([
    ['GET /api/v1/pos/orders/:orderId', order, 'orderId', () => orderIds],
    ['GET /api/v1/pos/orders/by-ref/:shopOrderRef', orderByRef, 'shopOrderRef', () => orderRefs],
    ['GET /api/v1/pos/payments/:paymentId', payment, 'paymentId', () => paymentIds],
  ] as const)('%s: hostile path parameters', async (route, module, param, realIds) => {
    await readsOnly(() =>
      fuzzRoute(tally, route, fc.tuple(authorization, fc.constant(null).chain(() => hostilePathParam(realIds())), hostileQuery(['expand'])), ([auth, value, query]) =>
        callRoute(handlerOf(module, 'GET'), buildRequest({ method: 'GET', url: `${ORIGIN}${route.slice(4).replace(`:${param}`, pathSegment(value))}?${query}`, headers: { authorization: auth } }), { [param]: value }),
        ([auth, value], answer) => {
          if (answer.status !== 200) return;
          // Found: one of the seeded records, or (by reference) an order the orders fuzz created under that reference.
          const found = (answer.json as { order?: { id: string; shopOrderRef: string }; payment?: { id: string } }).order ?? (answer.json as { payment?: { id: string } }).payment;
          expect(auth).toBe(client.authorization);
          expect(realIds().includes(value) || (param === 'shopOrderRef' && (found as { shopOrderRef?: string } | undefined)?.shopOrderRef === value), `an answer for ${JSON.stringify(value)}`).toBe(true);
        },
      ),
    );
  });

  it('GET /api/v1/pos/payments: hostile filters, limits and cursors', async () => {
    const values = fc.oneof(hostileString, fc.constantFrom('AUTHORIZED', 'authorized', '2026-01-01', '2026-13-45', '1970-01-01T00:00:00Z', '9999-12-31', '-1', '0', '101', '1e3', 'eyJ4IjoxfQ', 'bm90IGEgY3Vyc29y', '%'));
    await readsOnly(() =>
      fuzzRoute(tally, 'GET /api/v1/pos/payments', fc.tuple(authorization, hostileQuery(['status', 'from', 'to', 'shopOrderRef', 'limit', 'cursor'], values)), ([auth, query]) =>
        callRoute(handlerOf(payments, 'GET'), buildRequest({ method: 'GET', url: `${ORIGIN}/api/v1/pos/payments?${query}`, headers: { authorization: auth } })),
      ),
    );
  });

  it.each([
    ['POST /api/v1/pos/payments/:paymentId/capture', capture],
    ['POST /api/v1/pos/payments/:paymentId/void', voidPayment],
    ['POST /api/v1/pos/payments/:paymentId/refunds', refunds],
  ] as const)('%s: hostile ids and amounts', async (route, module) => {
    const body = hostileJsonBody(mutatedObject(() => ({ amount: 100 }), { amount: hostileAmount }), 64 * 1024);
    const idempotencyKey = fc.oneof({ weight: 6, arbitrary: fc.constant('fresh') }, { weight: 1, arbitrary: fc.constantFrom(null, '', '\u0001') });
    const send = checkedSender();
    await fuzzRoute(
      tally,
      route,
      fc.record({ auth: authorization, id: hostilePathParam(paymentIds.length ? paymentIds : ['x']), body, key: idempotencyKey }),
      ({ auth, id, body: sent, key }) =>
        send(
          handlerOf(module, 'POST'),
          buildRequest({ method: 'POST', url: `${ORIGIN}${route.slice(5).replace(':paymentId', pathSegment(id))}`, headers: { authorization: auth, 'idempotency-key': key === 'fresh' ? randomUUID() : key }, body: sent }),
          { paymentId: id },
        ),
      ({ auth, id, body: sent, key }, answer) => {
        if (answer.status < 300) {
          expect(auth === client.authorization && key !== null && paymentIds.includes(id)).toBe(true);
          expect(sent.bytes === null || sent.bytes.length === 0 || sentValid(sent, settlementBodySchema), `an invalid settlement was accepted: ${JSON.stringify(sent.json)}`).toBe(true);
        }
      },
    );
  });

  it('public documents (OpenAPI, webhook keys) and health: any query, any header', async () => {
    for (const [route, module] of [
      ['GET /api/v1/pos/openapi.json', openapi],
      ['GET /api/v1/pos/webhook-keys', webhookKeys],
      ['GET /api/health', health],
    ] as const) {
      await readsOnly(() => fuzzRoute(tally, route, fc.tuple(hostileAuthorization, hostileQuery(['format', 'kid'])), ([auth, query]) =>
        callRoute(handlerOf(module, 'GET'), buildRequest({ method: 'GET', url: `${ORIGIN}${route.slice(4)}?${query}`, headers: { authorization: auth } })),
        (_input, answer) => expect(answer.status).toBe(200),
      ));
    }
  });

  it('POST /api/v1/signup: hostile enrolments (nothing written unless valid)', async () => {
    const validSignUp = () => ({ storeName: 'Fuzz Shop', ownerName: 'Kai', email: `fuzz-${randomUUID()}@example.test`, password: 'long-enough-password', contracts: [{ acquirerCode, merchantNumber: 'M-FUZZ-0001', pin: '1234' }] });
    const body = hostileJsonBody(
      mutatedObject(validSignUp, {
        email: fc.oneof(hostileString, fc.constantFrom('a@b', '@example.test', 'x@example.test\u0000', 'é@例え.jp', `${'a'.repeat(300)}@example.test`)),
        password: hostileString,
        storeName: hostileString,
        'contracts.0.acquirerCode': fc.oneof(hostileString, fc.constant('ACQ-NONE')),
        'contracts.0.pin': hostileString,
        contracts: fc.array(fc.record({ acquirerCode: hostileString, merchantNumber: hostileString, pin: hostileString }), { maxLength: 30 }),
      }),
      8 * 1024,
    );
    const send = checkedSender();
    await fuzzRoute(
      tally,
      'POST /api/v1/signup',
      body,
      (sent) => send(handlerOf(signup, 'POST'), buildRequest({ method: 'POST', url: `${ORIGIN}/api/v1/signup`, body: sent })),
      (sent, answer) => {
        if (answer.status < 300) expect(sentValid(sent, signUpSchema), `an invalid sign-up was accepted: ${JSON.stringify(sent.json)?.slice(0, 300)}`).toBe(true);
      },
    );
  });

  it('an /api path no route serves: any method, any path', async () => {
    await fuzzRoute(tally, '* /api/[...path]', fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.array(hostileString, { minLength: 1, maxLength: 4 })), ([method, segments]) =>
      callRoute(handlerOf(catchAll, method), buildRequest({ method, url: `${ORIGIN}/api/${segments.map(pathSegment).join('/')}` }), { path: segments.join('/') }),
      (_input, answer) => expect(answer.status).toBe(404),
    );
  });

  it.each(refusedMethods)('%s: every other method answers 405 with the error shape', async (path, module, served) => {
    const groups = refusedMethodGroups(module, [served]);
    expect(groups.length).toBeGreaterThan(0);
    for (const methods of groups) {
      await fuzzRoute(tally, `${methods.join('|')} ${path}`, fc.tuple(fc.constantFrom(...methods), authorization, hostileJsonBody(fc.jsonValue({ maxDepth: 2 }), 1024)), ([method, auth, sent]) =>
        callRoute(handlerOf(module, method), buildRequest({ method, url: `${ORIGIN}${path.replace(/:\w+/, randomUUID())}`, headers: { authorization: auth }, body: sent })),
        (_input, answer) => expect(answer.status).toBe(405),
      );
    }
  });

  it('left no unhandled rejection', () => {
    expect(unhandled.rejections).toEqual([]);
  });
});

function hostileJsonValueOrBoolean(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.boolean(), hostileAmount, hostileString);
}
