import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as capture } from '@/app/api/v1/pos/payments/[paymentId]/capture/route';
import { POST as refund } from '@/app/api/v1/pos/payments/[paymentId]/refunds/route';
import { POST as voidRoute } from '@/app/api/v1/pos/payments/[paymentId]/void/route';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { settlePayment } from '@/lib/payments/settle-payment';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { card, customer, ledgerOf, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

/** An authorised payment of 12,800 JPY. */
async function authorised() {
  const store = await storeWithOrder(world);
  const { preq } = await walletPurchase(store.token, store.order.id, card('4111111111111111'));
  expect(await payCheckout({ token: store.token, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });
  const payment = await db().payment.findFirstOrThrow({ where: { orderId: store.order.id } });
  return { ...store, payment, actor: { type: 'STORE_USER' as const, id: store.userId } };
}

const sumOf = (entries: { type: string; amount: number }[], type: string) => entries.filter((entry) => entry.type === type).reduce((sum, entry) => sum + entry.amount, 0);

describe('capture, void and refund through the gateway, with the state machine enforced', () => {
  it('captures in parts and refunds several times, never beyond what was authorised or captured; the ledger agrees', async () => {
    const { storeId, payment, actor, merchantNumber } = await authorised();
    const base = { storeId, paymentId: payment.id, actor };
    expect(await settlePayment('capture', { ...base, amount: 5_000n })).toMatchObject({ result: 'succeeded', status: 'PARTIALLY_CAPTURED' });
    await expect(settlePayment('capture', { ...base, amount: 8_000n })).rejects.toMatchObject({ code: 'invalid_state_transition', message: expect.stringContaining('At most 7800') });
    expect(await settlePayment('capture', base)).toMatchObject({ result: 'succeeded', status: 'CAPTURED' });
    await expect(settlePayment('void', base)).rejects.toMatchObject({ code: 'invalid_state_transition' });

    expect(await settlePayment('refund', { ...base, amount: 3_000n })).toMatchObject({ result: 'succeeded', status: 'PARTIALLY_REFUNDED' });
    await expect(settlePayment('refund', { ...base, amount: 20_000n })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    await expect(settlePayment('refund', { ...base, amount: 0n })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await settlePayment('refund', { ...base, amount: 2_000n })).toMatchObject({ status: 'PARTIALLY_REFUNDED' });
    expect(await settlePayment('refund', base)).toMatchObject({ result: 'succeeded', status: 'REFUNDED' });
    await expect(settlePayment('refund', { ...base, amount: 1n })).rejects.toMatchObject({ code: 'invalid_state_transition' });

    const row = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(row).toMatchObject({ status: 'REFUNDED', capturedAmount: 12_800n, refundedAmount: 12_800n });
    const entries = await ledgerOf(world, merchantNumber, payment.xid);
    expect(sumOf(entries, 'capture')).toBe(12_800);
    expect(sumOf(entries, 'credit')).toBe(12_800);
  });

  it('voids an authorisation that was not captured, and nothing more can happen to it', async () => {
    const { storeId, payment, actor, merchantNumber } = await authorised();
    expect(await settlePayment('void', { storeId, paymentId: payment.id, actor })).toMatchObject({ result: 'succeeded', status: 'VOIDED' });
    await expect(settlePayment('capture', { storeId, paymentId: payment.id, actor })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect((await ledgerOf(world, merchantNumber, payment.xid)).map((entry) => entry.type)).toEqual(['authorization', 'reversal']);
  });

  it('lets concurrent refunds together take no more than was captured', async () => {
    const { storeId, payment, actor, merchantNumber } = await authorised();
    await settlePayment('capture', { storeId, paymentId: payment.id, actor });
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => settlePayment('refund', { storeId, paymentId: payment.id, actor, amount: 5_000n })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((result) => result.status === 'rejected').every((result) => (result as PromiseRejectedResult).reason.code === 'invalid_state_transition')).toBe(true);
    expect(sumOf(await ledgerOf(world, merchantNumber, payment.xid), 'credit')).toBe(10_000);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ refundedAmount: 10_000n, status: 'PARTIALLY_REFUNDED' });
  });

  it('still captures for a suspended store (money already promised settles), and another store gets not_found', async () => {
    const { storeId, payment, actor } = await authorised();
    await db().store.update({ where: { id: storeId }, data: { status: 'SUSPENDED', suspendedBy: 'STORE', suspendedAt: new Date(), suspendedReason: 'test' } });
    const other = await authorised();
    await expect(settlePayment('capture', { storeId: other.storeId, paymentId: payment.id, actor: other.actor })).rejects.toMatchObject({ code: 'not_found' });
    expect(await settlePayment('capture', { storeId, paymentId: payment.id, actor })).toMatchObject({ status: 'CAPTURED' });
  });

  it('through the POS API: capture and refund with an Idempotency-Key, a replay answers the same, another POS\'s key gets 404', async () => {
    const { storeId, posId, payment, actor } = await authorised();
    const { apiKey: key } = await createPosApiKey({ storeId, actor, posId, input: { label: 'shop' } });
    const post = (route: typeof capture, paymentId: string, body: unknown, idempotencyKey: string, authorization = `Bearer ${key}`) =>
      route(
        new Request(`http://localhost/api/v1/pos/payments/${paymentId}/x`, { method: 'POST', headers: { authorization, 'content-type': 'application/json', 'idempotency-key': idempotencyKey }, body: JSON.stringify(body) }),
        { params: Promise.resolve({ paymentId }) },
      );
    const first = await post(capture, payment.id, { amount: 10_000 }, 'capture-1');
    expect(first.status).toBe(200);
    const body = (await first.json()) as { payment: { status: string; capturedAmount: number }; transaction: { result: string } };
    expect(body).toMatchObject({ payment: { status: 'PARTIALLY_CAPTURED', capturedAmount: 10_000 }, transaction: { result: 'succeeded' } });
    const replay = await post(capture, payment.id, { amount: 10_000 }, 'capture-1');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(body);
    const over = await post(capture, payment.id, { amount: 5_000 }, 'capture-2');
    expect(over.status).toBe(409);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('invalid_state_transition');
    const refunded = await post(refund, payment.id, { amount: 4_000 }, 'refund-1');
    expect(await refunded.json()).toMatchObject({ payment: { status: 'PARTIALLY_REFUNDED', refundedAmount: 4_000 } });
    const bad = await post(refund, payment.id, { amount: -5 }, 'refund-2');
    expect(bad.status).toBe(400);

    const other = await authorised();
    const otherKey = await createPosApiKey({ storeId: other.storeId, actor: other.actor, posId: other.posId, input: { label: 'other' } });
    const foreign = await post(voidRoute, payment.id, {}, 'void-1', `Bearer ${otherKey.apiKey}`);
    expect(foreign.status).toBe(404);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ capturedAmount: 10_000n, refundedAmount: 4_000n });
  });
});
