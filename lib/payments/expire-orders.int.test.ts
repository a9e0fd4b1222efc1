import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import type { PaymentStatus } from '@/lib/db/generated/prisma/enums';
import { expireOrders } from '@/lib/payments/expire-orders';
import { posApiClient, seedOrder } from '@/lib/testing/pos-api-fixtures';

async function paymentOf(order: { id: string }, shop: { storeId: string; posId: string }, status: PaymentStatus) {
  return db().payment.create({
    data: { storeId: shop.storeId, posId: shop.posId, orderId: order.id, xid: randomUUID().replaceAll('-', ''), amount: 1580n, currency: 'JPY', status },
    select: { id: true },
  });
}

describe('order expiry (worker job)', () => {
  it('marks open orders past their expiry EXPIRED and fails the never-sent payments of orders no longer payable, once', async () => {
    const shop = await posApiClient();
    const now = new Date();
    const past = new Date(now.getTime() - 60_000);
    const lapsed = await seedOrder({ ...shop, expiresAt: past });
    const abandoned = await seedOrder({ ...shop, expiresAt: past });
    const abandonedPayment = await paymentOf(abandoned, shop, 'PENDING');
    const inFlight = await seedOrder({ ...shop, expiresAt: past });
    const inFlightPayment = await paymentOf(inFlight, shop, 'UNKNOWN');
    const declinedThenLapsed = await seedOrder({ ...shop, expiresAt: past });
    const declined = await paymentOf(declinedThenLapsed, shop, 'DECLINED');
    const open = await seedOrder({ ...shop, expiresAt: new Date(now.getTime() + 60_000) });
    const openPayment = await paymentOf(open, shop, 'PENDING');
    const paid = await seedOrder({ ...shop, expiresAt: past });
    await db().order.update({ where: { id: paid.id }, data: { status: 'PAID' } });
    // A second tab, or a retry after a lost answer, left an attempt that never reached a gateway.
    await paymentOf(paid, shop, 'AUTHORIZED');
    const paidLeftover = await paymentOf(paid, shop, 'PENDING');
    const paidInTime = await seedOrder({ ...shop, expiresAt: new Date(now.getTime() + 60_000) });
    await db().order.update({ where: { id: paidInTime.id }, data: { status: 'PAID' } });
    const paidInTimeLeftover = await paymentOf(paidInTime, shop, 'PENDING');

    const first = await expireOrders({ now });
    // Counts cover the whole database (other files' orders too): at least this store's.
    expect(first.orders).toBeGreaterThanOrEqual(3);
    expect(first.payments).toBeGreaterThanOrEqual(3);
    const statusOf = async (order: { id: string }) => (await db().order.findUniqueOrThrow({ where: { id: order.id } })).status;
    expect(await statusOf(lapsed)).toBe('EXPIRED');
    expect(await statusOf(abandoned)).toBe('EXPIRED');
    expect(await statusOf(declinedThenLapsed)).toBe('EXPIRED');
    // The customer may have paid in time: an order whose payment is still being settled stays open.
    expect(await statusOf(inFlight)).toBe('OPEN');
    expect(await statusOf(open)).toBe('OPEN');
    expect(await statusOf(paid)).toBe('PAID');

    expect(await db().payment.findUniqueOrThrow({ where: { id: abandonedPayment.id } })).toMatchObject({ status: 'FAILED', declineCode: 'order_expired', declineMessage: { en: expect.stringContaining('expired') } });
    expect((await db().payment.findUniqueOrThrow({ where: { id: inFlightPayment.id } })).status).toBe('UNKNOWN');
    expect((await db().payment.findUniqueOrThrow({ where: { id: declined.id } })).status).toBe('DECLINED');
    expect((await db().payment.findUniqueOrThrow({ where: { id: openPayment.id } })).status).toBe('PENDING');
    expect(await db().paymentEvent.findMany({ where: { paymentId: abandonedPayment.id }, select: { kind: true, code: true } })).toEqual([{ kind: 'expired', code: 'order_expired' }]);
    // A paid order's leftover attempt is closed whether or not the order's time has run out.
    for (const leftover of [paidLeftover, paidInTimeLeftover]) {
      expect(await db().payment.findUniqueOrThrow({ where: { id: leftover.id } })).toMatchObject({ status: 'FAILED', declineCode: 'order_already_paid', declineMessage: { en: expect.stringContaining('paid by another attempt') } });
      expect(await db().paymentEvent.findMany({ where: { paymentId: leftover.id }, select: { kind: true, code: true } })).toEqual([{ kind: 'closed', code: 'order_already_paid' }]);
    }
    expect(await statusOf(paidInTime)).toBe('PAID');
    const audited = await db().auditEvent.findMany({ where: { storeId: shop.storeId, action: 'order.expired' }, select: { targetId: true, actorType: true, data: true } });
    expect(audited.map((event) => event.targetId).sort()).toEqual([lapsed.id, abandoned.id, declinedThenLapsed.id].sort());
    expect(audited.find((event) => event.targetId === lapsed.id)).toMatchObject({ actorType: 'SYSTEM', data: { shopOrderRef: lapsed.shopOrderRef } });

    // Again: nothing more changes, nothing is recorded twice.
    await expireOrders({ now });
    expect(await db().auditEvent.count({ where: { storeId: shop.storeId, action: 'order.expired' } })).toBe(3);
    expect(await db().paymentEvent.count({ where: { paymentId: abandonedPayment.id } })).toBe(1);
    expect(await db().paymentEvent.count({ where: { paymentId: paidLeftover.id } })).toBe(1);

    // Once the unknown payment is settled as not authorised, its order expires on the next run.
    await db().payment.update({ where: { id: inFlightPayment.id }, data: { status: 'FAILED' } });
    await expireOrders({ now: new Date() });
    expect(await statusOf(inFlight)).toBe('EXPIRED');
  });

  it('leaves an order alone while the checkout is authorising its payment', async () => {
    const shop = await posApiClient();
    const order = await seedOrder({ ...shop, expiresAt: new Date(Date.now() - 1_000) });
    const payment = await paymentOf(order, shop, 'AUTHORIZING');
    await expireOrders();
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('OPEN');
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('AUTHORIZING');
  });
});
