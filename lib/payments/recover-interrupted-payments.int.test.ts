import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { systemActor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { FOLLOW_UP_TIMEOUT_MS } from '@/lib/payments/call-gateway';
import { recoverInterruptedPayments } from '@/lib/payments/recover-interrupted-payments';
import { resolveUnknownPayments } from '@/lib/payments/resolve-unknown-payments';
import { recordSettlementAnswer } from '@/lib/payments/settle-payment';
import { randomId } from '@/lib/set';
import { card, customer, ledgerOf, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

/** Long enough after `at` that any gateway call made then must have ended, grace included. */
const wellAfter = (at: Date, timeoutMs: number) => new Date(at.getTime() + timeoutMs + env().IN_FLIGHT_GRACE_SECONDS * 1000 + 1_000);

/**
 * What an app instance killed mid-authorisation leaves behind: the payment claimed (AUTHORIZING, its AuthReq
 * transaction PENDING), whether or not the AuthReq reached the gateway. Made here by putting an outcome's
 * records back to where they were before the app recorded it, or by claiming without sending.
 */
async function leftAuthorizing(paymentId: string, claimedAt: Date) {
  await db().payment.update({ where: { id: paymentId }, data: { status: 'AUTHORIZING', authCode: null, handlingNumber: null, updatedAt: claimedAt } });
  await db().paymentTransaction.updateMany({ where: { paymentId, type: 'AUTHORIZE' }, data: { status: 'PENDING', responseCode: null, completedAt: null } });
}

describe('the worker takes over what a stopped app instance left in flight', () => {
  it('an authorisation the gateway approved but ServerPOS never recorded: unknown, then authorised by inquiry; one authorisation at the gateway', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const { preq } = await walletPurchase(token, order.id, card('4111111111111111'));
    expect(await payCheckout({ token, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    const claimedAt = new Date();
    await leftAuthorizing(payment.id, claimedAt);

    // While an app may still be waiting for the gateway, nothing is touched.
    expect((await recoverInterruptedPayments(db(), new Date(claimedAt.getTime() + env().GATEWAY_TIMEOUT_MS))).stalledAuthorizations).toBe(0);
    expect((await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe('AUTHORIZING');

    const later = wellAfter(claimedAt, env().GATEWAY_TIMEOUT_MS);
    expect((await recoverInterruptedPayments(db(), later)).stalledAuthorizations).toBeGreaterThanOrEqual(1);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'UNKNOWN', resolveBy: expect.any(Date) });
    expect(await db().paymentTransaction.findFirstOrThrow({ where: { paymentId: payment.id, type: 'AUTHORIZE' } })).toMatchObject({ status: 'UNKNOWN' });

    await resolveUnknownPayments(db(), later);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'AUTHORIZED', authCode: expect.stringMatching(/^[A-Z0-9]{6}$/) });
    expect((await ledgerOf(world, merchantNumber, payment.xid)).map((entry) => entry.type)).toEqual(['authorization']);
  });

  it('an authorisation that never reached the gateway: unknown, then at the deadline reversed and failed; nothing charged', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    await walletPurchase(token, order.id, card('4111111111111111'));
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    const claimedAt = new Date();
    await db().paymentTransaction.create({ data: { storeId: payment.storeId, paymentId: payment.id, type: 'AUTHORIZE', amount: payment.amount, requestId: randomId() } });
    await leftAuthorizing(payment.id, claimedAt);

    const later = wellAfter(claimedAt, env().GATEWAY_TIMEOUT_MS);
    await recoverInterruptedPayments(db(), later);
    const pastDeadline = new Date(later.getTime() + env().UNKNOWN_OUTCOME_DEADLINE_SECONDS * 1000 + 1_000);
    await resolveUnknownPayments(db(), pastDeadline);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'FAILED', declineCode: 'unknown_outcome_reversed' });
    expect((await ledgerOf(world, merchantNumber, payment.xid)).filter((entry) => entry.type === 'authorization')).toEqual([]);
  });

  it('a capture reserved but never sent is sent once with its own request id; sending it again and recording a second answer change nothing', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const { preq } = await walletPurchase(token, order.id, card('4111111111111111'));
    expect(await payCheckout({ token, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    const reservedAt = new Date();
    const capture = await db().paymentTransaction.create({ data: { storeId: payment.storeId, paymentId: payment.id, type: 'CAPTURE', amount: payment.amount, requestId: randomId(), createdAt: reservedAt } });

    // Too early: the app that reserved it may still be waiting for the gateway.
    await recoverInterruptedPayments(db(), new Date(reservedAt.getTime() + FOLLOW_UP_TIMEOUT_MS));
    expect((await db().paymentTransaction.findUniqueOrThrow({ where: { id: capture.id } })).status).toBe('PENDING');

    const later = wellAfter(reservedAt, FOLLOW_UP_TIMEOUT_MS);
    expect((await recoverInterruptedPayments(db(), later)).settlementsAnswered).toBeGreaterThanOrEqual(1);
    expect(await db().paymentTransaction.findUniqueOrThrow({ where: { id: capture.id } })).toMatchObject({ status: 'SUCCEEDED', responseCode: 'captured' });
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: payment.amount });

    // The app that sent it first comes back with the gateway's answer: the capture is not counted twice.
    const current = await db().payment.findUniqueOrThrow({ where: { id: payment.id } });
    expect(await recordSettlementAnswer('capture', current, capture, { result: 'succeeded', code: 'captured', latencyMs: 5 }, systemActor)).toBeNull();
    await recoverInterruptedPayments(db(), later);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: payment.amount });
    expect((await ledgerOf(world, merchantNumber, payment.xid)).map((entry) => entry.type)).toEqual(['authorization', 'capture']);
  });
});
