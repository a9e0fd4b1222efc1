import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as init from '@/app/api/checkout/[token]/init/route';
import * as pay from '@/app/api/checkout/[token]/pay/route';
import { caParty } from '@/lib/certificates/ca-client';
import { startCheckout } from '@/lib/checkout/start-checkout';
import { db } from '@/lib/db/client';
import { createPInitReq, createPReq, openPInitRes } from '@/lib/set';
import { card, customer, orderFor, storeWithOrder } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';
import {
  applyMutations,
  buildRequest,
  byteMutations,
  callRoute,
  FuzzTally,
  fuzzRoute,
  handlerOf,
  hostileJsonBody,
  hostileJsonValue,
  hostilePathParam,
  hostileString,
  mutatedObject,
  pathSegment,
  refusedMethodGroups,
  databaseState,
  refusalsWriteNothing,
  watchUnhandledRejections,
  wellFormed,
  type FuzzBody,
} from './support/fuzz';

/**
 * Bad input against the checkout API, in process, with the real wallet code and the simulated CA and
 * acquirers: PInitReqs and PReqs built by the wallet and then mutated byte by byte (so the parser, the
 * signature, the dual signature, the order match and the replay checks all get their turn), inside bodies
 * that are themselves fuzzed, under hostile checkout tokens. At least 1,000 cases per route: never a 5xx,
 * every refusal a 4xx `{ error: { code, message } }` that changed none of the store's orders and payments,
 * and no payment authorised twice.
 */

const ORIGIN = 'http://localhost';
const tally = new FuzzTally();
const unhandled = watchUnhandledRejections();
const COUNTED_TABLES = ['Order', 'Payment', 'PaymentTransaction', 'OutboxMessage', 'WebhookEvent', 'AuditEvent'] as const;
const STORE_TABLES = ['Order', 'Payment', 'PaymentTransaction'] as const;
/** Purchases prepared for the pay route: each valid PReq may be authorised once; its replays must be refused. */
const PURCHASES = 12;

let world: SimWorld;
let store: Awaited<ReturnType<typeof storeWithOrder>>;
let orders: { id: string; token: string }[] = [];
const purchases: { token: string; orderId: string; preq: string; paid: boolean }[] = [];

beforeAll(async () => {
  world = await startSimWorld();
  store = await storeWithOrder(world);
  orders = [{ id: store.order.id, token: store.token }];
  for (let index = 0; index < 4; index += 1) {
    const order = await orderFor(store);
    orders.push({ id: order.id, token: order.checkoutToken });
  }
  const party = await caParty();
  for (let index = 0; index < PURCHASES; index += 1) {
    const order = await orderFor(store);
    const request = createPInitReq({ brand: 'VISA', orderRef: order.id, bin: '411111' });
    const { pinitRes } = await startCheckout({ token: order.checkoutToken, pinitReq: request.raw });
    const opened = await openPInitRes(pinitRes, { party, request: request.message });
    const preq = await createPReq({ init: opened, request: request.message, orderDescription: order.description, account: card('4111111111111111') });
    purchases.push({ token: order.checkoutToken, orderId: order.id, preq: preq.raw, paid: false });
  }
});

afterAll(async () => {
  unhandled.stop();
  console.log(tally.summary('checkout fuzz'));
  await world?.stop();
});

/** What a checkout request could write; the store's orders, payments and transactions row by row. */
const state = databaseState({ tables: COUNTED_TABLES, storeTables: STORE_TABLES, storeIds: () => [store.storeId] });

/** The body's JSON with the protocol message put in `field` (when the fuzzed body still is an object with it). */
function withMessage(body: FuzzBody, field: string, message: string): FuzzBody {
  const value = body.json;
  if (body.kind !== 'mutated' || value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as Record<string, unknown>)[field] !== 'string') return body;
  const json = { ...(value as Record<string, unknown>), [field]: message };
  return { ...body, json, bytes: new TextEncoder().encode(JSON.stringify(json)) };
}

describe('checkout API under bad input', () => {
  it('POST /api/checkout/:token/init: PInitReqs mutated byte by byte, hostile envelopes and tokens', async () => {
    const cases = fc.record({
      order: fc.nat(),
      token: fc.oneof({ weight: 4, arbitrary: fc.constant('real') }, { weight: 1, arbitrary: hostilePathParam(['a'.repeat(43)]) }),
      mutations: byteMutations,
      brand: fc.oneof({ weight: 4, arbitrary: fc.constant('VISA') }, { weight: 1, arbitrary: fc.oneof(hostileString, fc.constantFrom('MASTER', 'JCB', 'BANK', 'visa', 'AMEX')) }),
      body: hostileJsonBody(mutatedObject(() => ({ pinitReq: 'placeholder' }), { pinitReq: hostileJsonValue }), 16 * 1024),
    });
    const send = refusalsWriteNothing(state);
    await fuzzRoute(
      tally,
      'POST /api/checkout/:token/init',
      cases,
      ({ order: pick, token, mutations, brand, body }) => {
        const order = orders[pick % orders.length]!;
        const tokenValue = token === 'real' ? order.token : token;
        // A fresh PInitReq each time (a wallet never repeats one), for this order, unless the brand was fuzzed.
        const request = createPInitReq({ brand: wellFormed(brand).slice(0, 40) || 'VISA', orderRef: order.id, bin: '411111' });
        const message = applyMutations(request.raw, mutations);
        return send(() => callRoute(handlerOf(init, 'POST'), buildRequest({ method: 'POST', url: `${ORIGIN}/api/checkout/${pathSegment(tokenValue)}/init`, body: withMessage(body, 'pinitReq', message) }), { token: tokenValue }));
      },
      (_input, answer) => {
        if (answer.status === 200) expect(answer.json).toMatchObject({ pinitRes: expect.any(String) });
      },
    );
  });

  it('POST /api/checkout/:token/pay: PReqs mutated byte by byte, replays, hostile customers, envelopes and tokens — each purchase authorised at most once', async () => {
    const cases = fc.record({
      purchase: fc.nat(),
      token: fc.oneof({ weight: 6, arbitrary: fc.constant('real') }, { weight: 1, arbitrary: fc.constant('other order') }, { weight: 1, arbitrary: hostilePathParam() }),
      mutations: byteMutations,
      body: hostileJsonBody(
        mutatedObject(() => ({ preq: 'placeholder', customer }), {
          preq: hostileJsonValue,
          customer: hostileJsonValue,
          'customer.email': fc.oneof(hostileString, fc.constantFrom('a@b', 'yui@example.test\u0000', `${'a'.repeat(400)}@example.test`)),
          'customer.name': hostileString,
        }),
        64 * 1024,
      ),
    });
    const send = refusalsWriteNothing(state);
    await fuzzRoute(
      tally,
      'POST /api/checkout/:token/pay',
      cases,
      ({ purchase: pick, token, mutations, body }) => {
        const purchase = purchases[pick % purchases.length]!;
        const tokenValue = token === 'real' ? purchase.token : token === 'other order' ? orders[0]!.token : token;
        return send(() => callRoute(handlerOf(pay, 'POST'), buildRequest({ method: 'POST', url: `${ORIGIN}/api/checkout/${pathSegment(tokenValue)}/pay`, body: withMessage(body, 'preq', applyMutations(purchase.preq, mutations)) }), { token: tokenValue }));
      },
      async ({ purchase: pick }, answer) => {
        if (answer.status !== 200) return;
        const purchase = purchases[pick % purchases.length]!;
        expect(purchase.paid, 'a purchase was answered 200 twice').toBe(false);
        purchase.paid = true;
        expect(answer.json).toMatchObject({ status: expect.any(String), pres: expect.any(String) });
        const authorized = await db().payment.count({ where: { orderId: purchase.orderId, status: { in: ['AUTHORIZED', 'CAPTURED'] } } });
        expect(authorized).toBeLessThanOrEqual(1);
      },
    );
    // However many copies and mutants of each PReq arrived, no order has more than one authorised payment.
    const doubled = await db().payment.groupBy({ by: ['orderId'], where: { storeId: store.storeId, status: { in: ['AUTHORIZED', 'CAPTURED'] } }, _count: true, having: { orderId: { _count: { gt: 1 } } } });
    expect(doubled).toEqual([]);
  });

  it.each([
    ['/api/checkout/:token/init', init],
    ['/api/checkout/:token/pay', pay],
  ] as const)('%s: every other method answers 405 with the error shape', async (path, module) => {
    for (const methods of refusedMethodGroups(module, ['POST'])) {
      await fuzzRoute(tally, `${methods.join('|')} ${path}`, fc.tuple(fc.constantFrom(...methods), hostilePathParam(), hostileJsonBody(fc.jsonValue({ maxDepth: 2 }), 1024)), ([method, token, body]) =>
        callRoute(handlerOf(module, method), buildRequest({ method, url: `${ORIGIN}${path.replace(':token', pathSegment(token))}`, body }), { token }),
        (_input, answer) => expect(answer.status).toBe(405),
      );
    }
  });

  it('left no unhandled rejection', () => {
    expect(unhandled.rejections).toEqual([]);
  });
});
