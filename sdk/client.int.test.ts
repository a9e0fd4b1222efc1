import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { card, customer, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { orderBody, posApiClient } from '@/lib/testing/pos-api-fixtures';
import { posApiRouteFetch } from '@/lib/testing/pos-api-route-fetch';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';
import { currentSigningKey } from '@/lib/webhooks/current-signing-key';
import { signWebhookBody } from '@/lib/webhooks/signature';
import { ServerPosClient, ServerPosError, type CreateOrderInput, type Order, type OrderWithPayments, type Payment, type PosProfile, type SettlementResult } from './index';

/**
 * The SDK against the POS API's real route handlers (in process: posApiRouteFetch skips only the socket),
 * the real database and, for payments, the simulated CA and acquirer. Every answer must have exactly the
 * fields the SDK's types declare: the `satisfies` lists below fail the type check when a type gains or
 * loses a field, and the assertions fail when an answer does.
 */

const orderFields = {
  id: true,
  shopOrderRef: true,
  status: true,
  amount: true,
  currency: true,
  lineItems: true,
  description: true,
  autoCapture: true,
  expiresAt: true,
  checkoutUrl: true,
  createdAt: true,
  viaPosId: true,
} satisfies Record<keyof Order, true>;
const paymentFields = {
  id: true,
  orderId: true,
  shopOrderRef: true,
  status: true,
  amount: true,
  capturedAmount: true,
  refundedAmount: true,
  currency: true,
  brand: true,
  maskedPan: true,
  declineCode: true,
  declineMessage: true,
  authCode: true,
  handlingNumber: true,
  createdAt: true,
  updatedAt: true,
} satisfies Record<keyof Payment, true>;
const profileFields = { pos: true, store: true, acquirers: true, canAuthorize: true } satisfies Record<keyof PosProfile, true>;
const settlementFields = { payment: true, transaction: true } satisfies Record<keyof SettlementResult, true>;
const transactionFields = { id: true, result: true, code: true } satisfies Record<keyof SettlementResult['transaction'], true>;
const lineItemFields = { name: true, unitAmount: true, quantity: true } satisfies Record<keyof Order['lineItems'][number], true>;

function expectFields(value: object, fields: Record<string, true>) {
  expect(Object.keys(value).sort()).toEqual(Object.keys(fields).sort());
}
function expectOrder(order: Order) {
  expectFields(order, orderFields);
  for (const line of order.lineItems) expectFields(line, lineItemFields);
}
function expectOrderWithPayments(order: OrderWithPayments) {
  const { payments, ...rest } = order;
  expectOrder(rest);
  for (const payment of payments) expectPayment(payment);
}
function expectPayment(payment: Payment) {
  expectFields(payment, paymentFields);
}
function expectSettlement(result: SettlementResult) {
  expectFields(result, settlementFields);
  expectFields(result.transaction, transactionFields);
  expectPayment(result.payment);
}

async function failure(promise: Promise<unknown>): Promise<ServerPosError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServerPosError);
  return error as ServerPosError;
}

const baseUrl = 'http://localhost:3999';
const shopOrder = (shopOrderRef: string): CreateOrderInput => ({
  shopOrderRef,
  currency: 'JPY',
  lineItems: [
    { name: 'Kokoro', unitAmount: 1_320, quantity: 2 },
    { name: 'Drip coffee bags (10)', unitAmount: 980, quantity: 1 },
  ],
  successUrl: `http://127.0.0.1:7200/return/success?ref=${shopOrderRef}`,
  failureUrl: `http://127.0.0.1:7200/return/failure?ref=${shopOrderRef}`,
});

describe('the SDK against the POS API', () => {
  let world: SimWorld;

  beforeAll(async () => {
    world = await startSimWorld();
  });

  afterAll(async () => {
    await world?.stop();
  });

  /** Pays an order the SDK registered, as the customer's wallet would on the checkout page. */
  async function pay(order: Order) {
    const token = new URL(order.checkoutUrl).pathname.split('/').at(-1)!;
    const { preq } = await walletPurchase(token, order.id, card('4111111111111111'));
    expect(await payCheckout({ token, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });
  }

  it('calls every operation, and every answer has exactly the fields of the SDK’s types', async () => {
    const store = await storeWithOrder(world);
    const actor = { type: 'STORE_USER' as const, id: store.userId };
    const { apiKey } = await createPosApiKey({ storeId: store.storeId, actor, posId: store.posId, input: { label: 'SDK test' } });
    const client = new ServerPosClient({ baseUrl, apiKey, fetch: posApiRouteFetch(), retryDelayMs: 1 });

    const me = await client.me();
    expectFields(me, profileFields);
    expect(me).toMatchObject({ pos: { id: store.posId, status: 'ACTIVE' }, store: { id: store.storeId, status: 'ACTIVE' }, canAuthorize: true });
    expect(me.acquirers).toEqual([{ code: 'ACQ-CARD', name: expect.any(String), brands: ['VISA', 'MASTER'], registered: true }]);

    const ref = `SDK-${randomUUID().slice(0, 8)}`;
    const order = await client.createOrder(shopOrder(ref), { idempotencyKey: `order-${ref}` });
    expectOrder(order);
    expect(order).toMatchObject({ shopOrderRef: ref, status: 'OPEN', amount: 3_620, currency: 'JPY', autoCapture: false, viaPosId: null });
    expect(order.description).toBe('2 × Kokoro @ 1320 JPY\n1 × Drip coffee bags (10) @ 980 JPY');
    // The same key again: the same order, not a second one. Another key for the same reference: a conflict.
    expect(await client.createOrder(shopOrder(ref), { idempotencyKey: `order-${ref}` })).toEqual(order);
    expect(await failure(client.createOrder(shopOrder(ref)))).toMatchObject({ status: 409, code: 'conflict' });

    await pay(order);
    const paid = await client.getOrder(order.id);
    expectOrderWithPayments(paid);
    expect(paid).toMatchObject({ id: order.id, status: 'PAID' });
    expect(paid.payments).toHaveLength(1);
    const payment = paid.payments[0]!;
    expect(payment).toMatchObject({ orderId: order.id, shopOrderRef: ref, status: 'AUTHORIZED', amount: 3_620, capturedAmount: 0, brand: 'VISA' });
    expect(await client.getOrderByRef(ref)).toEqual(paid);
    expect(await client.getPayment(payment.id)).toEqual(payment);
    expect(await client.listPayments({ shopOrderRef: ref })).toEqual({ payments: [payment], nextCursor: null });

    const partial = await client.capturePayment(payment.id, { amount: 1_000 });
    expectSettlement(partial);
    expect(partial).toMatchObject({ payment: { status: 'PARTIALLY_CAPTURED', capturedAmount: 1_000 }, transaction: { result: 'succeeded' } });
    expect(await client.capturePayment(payment.id)).toMatchObject({ payment: { status: 'CAPTURED', capturedAmount: 3_620 } });
    const refunded = await client.refundPayment(payment.id, { amount: 620 });
    expectSettlement(refunded);
    expect(refunded.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', refundedAmount: 620 });
    expect(await failure(client.refundPayment(payment.id, { amount: 5_000 }))).toMatchObject({ status: 409, code: 'invalid_state_transition' });

    const second = await client.createOrder(shopOrder(`SDK-${randomUUID().slice(0, 8)}`));
    await pay(second);
    const [secondPayment] = (await client.getOrder(second.id)).payments;
    const voided = await client.voidPayment(secondPayment!.id);
    expectSettlement(voided);
    expect(voided.payment.status).toBe('VOIDED');

    // Newest first, one per page, every page followed.
    const all: Payment[] = [];
    for await (const each of client.allPayments({ limit: 1 })) all.push(each);
    expect(all.map((each) => [each.id, each.status])).toEqual([
      [secondPayment!.id, 'VOIDED'],
      [payment.id, 'PARTIALLY_REFUNDED'],
    ]);
    expect((await client.listPayments({ status: 'VOIDED', from: new Date(Date.now() - 3_600_000) })).payments.map((each) => each.id)).toEqual([secondPayment!.id]);
  });

  it('turns the API’s errors into ServerPosError with code, message and fields', async () => {
    const shop = await posApiClient();
    const client = new ServerPosClient({ baseUrl, apiKey: shop.apiKey, fetch: posApiRouteFetch() });

    expect(await failure(client.getOrder(randomUUID()))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(client.getOrderByRef('NO-SUCH-ORDER'))).toMatchObject({ status: 404, code: 'not_found' });
    expect(await failure(client.getPayment(randomUUID()))).toMatchObject({ status: 404, code: 'not_found' });
    const invalid = await failure(client.createOrder({ ...shopOrder('BAD-1'), lineItems: [{ name: 'Kokoro', unitAmount: 1_320, quantity: 0 }] }, { idempotencyKey: 'bad-1' }));
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed', idempotencyKey: 'bad-1' });
    expect(invalid.fields).toContainEqual({ path: 'lineItems.0.quantity', message: 'The quantity is at least 1.' });
    expect(await failure(client.listPayments({ limit: 0 }))).toMatchObject({ status: 400, code: 'validation_failed' });

    const stranger = new ServerPosClient({ baseUrl, apiKey: 'spk_aaaaaaaaaaaa_' + 'A'.repeat(43), fetch: posApiRouteFetch() });
    expect(await failure(stranger.me())).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await db().order.count({ where: { posId: shop.posId } })).toBe(0);
  });

  it('sends a POST whose answer was lost again with the same key: ServerPOS replays its answer and makes one order', async () => {
    const shop = await posApiClient();
    const routes = posApiRouteFetch();
    const sent: { key: string | null; replayed: string | null }[] = [];
    // The route runs and answers, but the answer never reaches the SDK the first time (a connection cut mid-answer).
    const lossy: typeof fetch = async (input, init) => {
      const response = await routes(input, init);
      sent.push({ key: new Headers(init?.headers).get('idempotency-key'), replayed: response.headers.get('idempotent-replayed') });
      if (sent.length === 1) throw new TypeError('fetch failed: other side closed');
      return response;
    };
    const client = new ServerPosClient({ baseUrl, apiKey: shop.apiKey, fetch: lossy, retryDelayMs: 1 });

    const order = await client.createOrder(orderBody() as unknown as CreateOrderInput);

    expect(sent).toHaveLength(2);
    expect(sent[0]!.key).toBeTruthy();
    expect(sent[1]).toEqual({ key: sent[0]!.key, replayed: 'true' });
    expect(await db().order.findMany({ where: { posId: shop.posId }, select: { id: true } })).toEqual([{ id: order.id }]);
  });

  it('verifies a webhook signed by ServerPOS’s current key, fetching the keys from the real JWKS route', async () => {
    const shop = await posApiClient();
    const client = new ServerPosClient({ baseUrl, apiKey: shop.apiKey, fetch: posApiRouteFetch() });
    const { kid, privateKey } = await currentSigningKey();
    const rawBody = JSON.stringify({
      id: randomUUID(),
      type: 'payment.captured',
      createdAt: new Date().toISOString(),
      data: { payment: { id: randomUUID(), status: 'CAPTURED' }, order: { id: randomUUID(), shopOrderRef: 'ORD-1' } },
    });
    const signature = signWebhookBody({ rawBody, privateKey, kid });

    expect(await client.verifyWebhook({ rawBody, headers: { 'serverpos-signature': signature } })).toEqual(JSON.parse(rawBody));
    await expect(client.verifyWebhook({ rawBody: rawBody.replace('CAPTURED', 'REFUNDED'), headers: { 'serverpos-signature': signature } })).rejects.toMatchObject({ reason: 'invalid_signature' });
  });
});
