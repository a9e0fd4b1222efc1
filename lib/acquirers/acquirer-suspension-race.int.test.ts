import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { settlePayment } from '@/lib/payments/settle-payment';
import { acquirerClient, call, storePath, type AcquirerClient } from '@/lib/testing/acquirer-api-fixtures';
import { card, customer, ledgerOf, orderFor, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

/**
 * Suspension semantics through the acquirer API, end to end against the simulated acquirer: a suspension
 * holds for every pay request that starts after the API answered, and what was authorised before still
 * settles. Run on real PostgreSQL too (PGlite has one connection and would hide a race).
 */

let world: SimWorld;
let acquirer: AcquirerClient;

beforeAll(async () => {
  world = await startSimWorld();
  acquirer = await acquirerClient(world, 'ACQ-CARD');
});

afterAll(async () => {
  await world?.stop();
});

const CHECKOUTS = 16;

describe('a suspension racing with in-flight authorisations', () => {
  it('refuses every checkout whose pay request starts after the API answered, and ServerPOS and the ledger agree on every payment', async () => {
    const store = await storeWithOrder(world);
    const orders = [store.order, ...(await Promise.all(Array.from({ length: CHECKOUTS - 1 }, () => orderFor(store))))];
    // The wallet's side first (PInitReq → PReq), so that only the pay requests race with the suspension.
    const purchases: { order: (typeof orders)[number]; preq: Awaited<ReturnType<typeof walletPurchase>>['preq'] }[] = [];
    for (const order of orders) purchases.push({ order, preq: (await walletPurchase(order.checkoutToken, order.id, card('4111111111111111'))).preq });

    let answered = false;
    const pay = async ({ order, preq }: (typeof purchases)[number]) => {
      const startedAfterAnswer = answered;
      const outcome = await payCheckout({ token: order.checkoutToken, preq: preq.raw, customer }).then(
        (value) => ({ status: value.status as string, code: null as string | null }),
        (error: unknown) => {
          if (!isAppError(error)) throw error;
          return { status: 'refused', code: error.code as string };
        },
      );
      return { order, startedAfterAnswer, outcome };
    };
    // Half the pay requests start with the suspension and race it; the other half start one by one as soon
    // as it has answered, while the first half may still be in flight.
    const racing = purchases.slice(0, CHECKOUTS / 2).map(pay);
    const suspension = call(acquirer, 'POST', storePath(store.merchantNumber, '/suspension'), { reason: 'fraud alert' }).then((answer) => {
      answered = true;
      return answer;
    });
    const late = suspension.then(() => Promise.all(purchases.slice(CHECKOUTS / 2).map(pay)));
    const results = [...racing, late];

    expect(await suspension).toMatchObject({ status: 200, body: { changed: true, store: { storeStatus: 'SUSPENDED' } } });
    const settled = (await Promise.all(results)).flat();
    expect(settled).toHaveLength(CHECKOUTS);
    const after = settled.filter((result) => result.startedAfterAnswer);
    expect(after.length).toBeGreaterThan(0);
    for (const result of after) expect(result.outcome).toEqual({ status: 'refused', code: 'store_inactive' });

    // Every payment: ServerPOS's status and the acquirer's ledger tell the same story.
    const ledger = await ledgerOf(world, store.merchantNumber);
    for (const { order, startedAfterAnswer, outcome } of settled) {
      const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
      const authorisations = ledger.filter((entry) => entry.xid === payment.xid && entry.type === 'authorization');
      if (outcome.status === 'approved') {
        expect(startedAfterAnswer).toBe(false);
        expect(payment.status).toBe('AUTHORIZED');
        expect(authorisations).toHaveLength(1);
      } else {
        expect(outcome).toEqual({ status: 'refused', code: 'store_inactive' });
        expect(payment.status).toBe('PENDING');
        expect(authorisations).toHaveLength(0);
      }
    }
    expect((await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).status).toBe('SUSPENDED');
  });
});

describe('while suspended', () => {
  it('captures, voids and refunds authorisations made before the suspension; the ledger agrees', async () => {
    const store = await storeWithOrder(world);
    const actor = { type: 'STORE_USER' as const, id: store.userId };
    const second = await orderFor(store);
    const payments = [];
    for (const order of [store.order, second]) {
      const { preq } = await walletPurchase(order.checkoutToken, order.id, card('4111111111111111'));
      expect(await payCheckout({ token: order.checkoutToken, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });
      payments.push(await db().payment.findFirstOrThrow({ where: { orderId: order.id } }));
    }
    const [toCapture, toVoid] = payments as [(typeof payments)[number], (typeof payments)[number]];

    expect(await call(acquirer, 'POST', storePath(store.merchantNumber, '/suspension'), { reason: 'chargebacks' })).toMatchObject({ status: 200, body: { changed: true } });

    expect(await settlePayment('capture', { storeId: store.storeId, paymentId: toCapture.id, actor })).toMatchObject({ result: 'succeeded', status: 'CAPTURED' });
    expect(await settlePayment('refund', { storeId: store.storeId, paymentId: toCapture.id, actor, amount: 2_800n })).toMatchObject({ result: 'succeeded', status: 'PARTIALLY_REFUNDED' });
    expect(await settlePayment('void', { storeId: store.storeId, paymentId: toVoid.id, actor })).toMatchObject({ result: 'succeeded', status: 'VOIDED' });

    // A new authorisation is refused, and never reaches the acquirer.
    const third = await orderFor(store);
    await expect(walletPurchase(third.checkoutToken, third.id, card('4111111111111111'))).rejects.toMatchObject({ code: 'store_inactive' });

    const ledger = await ledgerOf(world, store.merchantNumber);
    expect(ledger.filter((entry) => entry.xid === toCapture.xid).map((entry) => entry.type)).toEqual(['authorization', 'capture', 'credit']);
    expect(ledger.filter((entry) => entry.xid === toVoid.xid).map((entry) => entry.type)).toEqual(['authorization', 'reversal']);
    expect(ledger.filter((entry) => entry.type === 'authorization')).toHaveLength(2);
  });
});
