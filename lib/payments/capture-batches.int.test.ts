import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as captureRoute } from '@/app/api/v1/pos/payments/[paymentId]/capture/route';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { closeCaptureBatches, MAX_BATCH_ITEMS } from '@/lib/payments/close-capture-batches';
import { getSettlementHistory } from '@/lib/payments/get-settlement-history';
import { listCaptureBatches } from '@/lib/payments/list-capture-batches';
import { resolveUnknownPayments } from '@/lib/payments/resolve-unknown-payments';
import { BATCH_RESEND_AFTER_MS, sendCaptureBatches } from '@/lib/payments/send-capture-batches';
import { settlePayment } from '@/lib/payments/settle-payment';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { setPosCaptureMode } from '@/lib/pos/set-pos-capture-mode';
import { createStoreWithPosAcquirer } from '@/lib/testing/certificate-fixtures';
import { card, customer, orderFor, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

/** A store at ACQ-CARD whose POS captures in the daily batch. */
async function batchingStore() {
  const store = await storeWithOrder(world);
  const actor = { type: 'STORE_USER' as const, id: store.userId };
  expect(await setPosCaptureMode({ storeId: store.storeId, actor, posId: store.posId, captureMode: 'DAILY_BATCH' })).toEqual({ captureMode: 'DAILY_BATCH', changed: true });
  return { ...store, actor };
}

/** The customer pays the order through the hosted checkout's wallet; the payment is authorised. */
async function paid(order: { id: string; checkoutToken: string }) {
  const { preq } = await walletPurchase(order.checkoutToken, order.id, card('4111111111111111'));
  expect(await payCheckout({ token: order.checkoutToken, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });
  return db().payment.findFirstOrThrow({ where: { orderId: order.id } });
}

interface LedgerEntry {
  type: string;
  xid: string;
  amount: number;
  request: string;
  batchId?: string;
  captureId?: string;
}

async function capturesInLedger(merchantNumber: string): Promise<LedgerEntry[]> {
  const response = await fetch(`${world.sims.acquirers['ACQ-CARD']!.adminUrl}/ledger?${new URLSearchParams({ merchantNumber, type: 'capture' })}`);
  return ((await response.json()) as { entries: LedgerEntry[] }).entries;
}

const faults = (change: object | null) =>
  fetch(`${world.sims.acquirers['ACQ-CARD']!.adminUrl}/faults`, change ? { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) } : { method: 'DELETE' });

describe('daily capture batches', () => {
  it('queues the captures of a DAILY_BATCH POS without sending them, then sends them in one CapReq per POS × acquirer', async () => {
    const store = await batchingStore();
    const { storeId, actor } = store;
    const first = await paid(store.order);
    const second = await paid(await orderFor(store));
    const third = await paid(await orderFor(store));

    expect(await settlePayment('capture', { storeId, paymentId: first.id, actor })).toMatchObject({ result: 'queued', code: 'queued', status: 'AUTHORIZED' });
    expect(await settlePayment('capture', { storeId, paymentId: second.id, actor })).toMatchObject({ result: 'queued', status: 'AUTHORIZED' });
    expect(await settlePayment('capture', { storeId, paymentId: third.id, actor, amount: 5_000n })).toMatchObject({ result: 'queued' });
    // The limits count what is queued: beyond the authorisation is refused as for a capture sent at once.
    await expect(settlePayment('capture', { storeId, paymentId: third.id, actor, amount: 8_000n })).rejects.toMatchObject({ code: 'invalid_state_transition', message: expect.stringContaining('At most 7800') });
    await expect(settlePayment('capture', { storeId, paymentId: first.id, actor, amount: 1n })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    // While the capture waits, the payment can be neither voided nor refunded.
    await expect(settlePayment('void', { storeId, paymentId: first.id, actor })).rejects.toMatchObject({ code: 'invalid_state_transition', message: expect.stringContaining('queued for the daily capture batch') });
    await expect(settlePayment('refund', { storeId, paymentId: first.id, actor })).rejects.toMatchObject({ code: 'invalid_state_transition', message: expect.stringContaining('once the batch has been answered') });

    const queued = await db().paymentTransaction.findMany({ where: { storeId, type: 'CAPTURE' } });
    expect(queued.map((transaction) => [transaction.status, transaction.batchId])).toEqual([
      ['QUEUED', null],
      ['QUEUED', null],
      ['QUEUED', null],
    ]);
    expect(await capturesInLedger(store.merchantNumber)).toEqual([]);
    expect(await db().payment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'AUTHORIZED', capturedAmount: 0n });

    expect(await listCaptureBatches({ storeId, actor })).toEqual({ batches: [], queued: [{ posName: 'Web shop', acquirerName: expect.any(String), currency: 'JPY', count: 3, amount: 30_600n }] });

    const now = new Date();
    expect(await sendCaptureBatches({ storeId, actor, now })).toEqual({ closed: 1, answered: 1, failed: 0, unanswered: 0 });
    const [batch, ...more] = await db().captureBatch.findMany({ where: { storeId } });
    expect(more).toEqual([]);
    expect(batch).toMatchObject({ status: 'ANSWERED', itemCount: 3, capturedCount: 3, amount: 30_600n, posAcquirerId: store.posAcquirerId, lastError: null });
    expect(batch!.businessDate.toISOString().slice(0, 10)).toBe(now.toISOString().slice(0, 10));

    // One CapReq with the three captures, each in the gateway's ledger under the batch's id.
    const ledger = await capturesInLedger(store.merchantNumber);
    expect(ledger.map((entry) => [entry.xid, entry.amount, entry.batchId, entry.request]).sort()).toEqual(
      [
        [first.xid, 12_800, batch!.id, `CapReq:${batch!.id}`],
        [second.xid, 12_800, batch!.id, `CapReq:${batch!.id}`],
        [third.xid, 5_000, batch!.id, `CapReq:${batch!.id}`],
      ].sort(),
    );
    expect(await db().payment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 12_800n });
    expect(await db().payment.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 12_800n });
    expect(await db().payment.findUniqueOrThrow({ where: { id: third.id } })).toMatchObject({ status: 'PARTIALLY_CAPTURED', capturedAmount: 5_000n });
    expect((await db().paymentTransaction.findMany({ where: { storeId, type: 'CAPTURE' } })).every((transaction) => transaction.status === 'SUCCEEDED' && transaction.batchId === batch!.id)).toBe(true);
    expect(await listCaptureBatches({ storeId, actor })).toMatchObject({ batches: [{ id: batch!.id, status: 'ANSWERED', posName: 'Web shop', currency: 'JPY', itemCount: 3, capturedCount: 3, amount: 30_600n }], queued: [] });
    // The settlement history counts what the gateway captured, on the day it answered.
    const today = await getSettlementHistory({ storeId, actor, query: { from: now.toISOString().slice(0, 10), to: now.toISOString().slice(0, 10) } });
    expect(today.days).toMatchObject([{ currency: 'JPY', authorizations: { count: 3, amount: 38_400n }, captures: { count: 3, amount: 30_600n }, refunds: { count: 0 } }]);
    const timeline = await db().paymentEvent.findMany({ where: { paymentId: third.id }, orderBy: { createdAt: 'asc' } });
    expect(timeline.map((event) => event.kind)).toEqual(expect.arrayContaining(['CapQueued', 'CapBatched', 'CapRes']));

    // Answered: refunds go to the acquirer at once again; nothing is left to send.
    expect(await settlePayment('refund', { storeId, paymentId: first.id, actor, amount: 800n })).toMatchObject({ result: 'succeeded', status: 'PARTIALLY_REFUNDED' });
    expect(await sendCaptureBatches({ storeId, actor })).toEqual({ closed: 0, answered: 0, failed: 0, unanswered: 0 });
  });

  it('answers a capture through the POS API with 202 and result "queued"', async () => {
    const store = await batchingStore();
    const payment = await paid(store.order);
    const { apiKey } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'shop' } });
    const response = await captureRoute(
      new Request(`http://localhost/api/v1/pos/payments/${payment.id}/capture`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'capture-1' },
        body: JSON.stringify({ amount: 10_000 }),
      }),
      { params: Promise.resolve({ paymentId: payment.id }) },
    );
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ payment: { status: 'AUTHORIZED', capturedAmount: 0 }, transaction: { result: 'queued', code: 'queued' } });
  });

  it('queues an auto-capture with the approval instead of capturing with the authorisation', async () => {
    const store = await batchingStore();
    const order = await orderFor(store, { autoCapture: true });
    const payment = await paid(order);
    expect(payment).toMatchObject({ status: 'AUTHORIZED', capturedAmount: 0n });
    expect(await db().paymentTransaction.findMany({ where: { paymentId: payment.id, type: 'CAPTURE' } })).toMatchObject([{ status: 'QUEUED', amount: 12_800n }]);
    expect(await capturesInLedger(store.merchantNumber)).toEqual([]);

    expect(await sendCaptureBatches({ storeId: store.storeId, actor: store.actor })).toMatchObject({ closed: 1, answered: 1 });
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 12_800n });
    expect((await capturesInLedger(store.merchantNumber)).map((entry) => entry.xid)).toEqual([payment.xid]);
  });

  it('queues the auto-capture of an authorisation found later by inquiry (its reply was lost), as after a timely answer', async () => {
    const store = await batchingStore();
    const order = await orderFor(store, { autoCapture: true });
    const admin = world.sims.acquirers['ACQ-CARD']!.adminUrl;
    const { preq } = await walletPurchase(order.checkoutToken, order.id, card('4111111111111111'));
    await fetch(`${admin}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropReplyRate: 1 }) });
    try {
      expect(await payCheckout({ token: order.checkoutToken, preq: preq.raw, customer })).toMatchObject({ status: 'unknown' });
    } finally {
      await fetch(`${admin}/faults`, { method: 'DELETE' });
    }
    await resolveUnknownPayments(db());
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment).toMatchObject({ status: 'AUTHORIZED', capturedAmount: 0n });
    expect(await db().paymentTransaction.findMany({ where: { paymentId: payment.id, type: 'CAPTURE' } })).toMatchObject([{ status: 'QUEUED', amount: 12_800n }]);

    expect(await sendCaptureBatches({ storeId: store.storeId, actor: store.actor })).toMatchObject({ answered: 1 });
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 12_800n });
  });

  it('sends a batch whose reply was lost again, with the same id, and the gateway captures it once', async () => {
    const store = await batchingStore();
    const { storeId, actor } = store;
    const first = await paid(store.order);
    const second = await paid(await orderFor(store, { amount: 3_000 }));
    await settlePayment('capture', { storeId, paymentId: first.id, actor });
    await settlePayment('capture', { storeId, paymentId: second.id, actor });

    await faults({ dropReplyRate: 1 });
    try {
      expect(await sendCaptureBatches({ storeId, actor })).toEqual({ closed: 1, answered: 0, failed: 0, unanswered: 1 });
    } finally {
      await faults(null);
    }
    const [batch] = await db().captureBatch.findMany({ where: { storeId } });
    expect(batch).toMatchObject({ status: 'SENT', answeredAt: null, capturedCount: 0, lastError: expect.stringContaining('No answer') });
    // The gateway did capture; ServerPOS does not know yet.
    expect(await capturesInLedger(store.merchantNumber)).toHaveLength(2);
    expect(await db().payment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'AUTHORIZED', capturedAmount: 0n });
    await expect(settlePayment('void', { storeId, paymentId: first.id, actor })).rejects.toMatchObject({ code: 'conflict' });

    // Not while the first send may still be waiting for its answer…
    expect(await sendCaptureBatches({ storeId, actor })).toEqual({ closed: 0, answered: 0, failed: 0, unanswered: 0 });
    // …but by the next run after that.
    expect(await sendCaptureBatches({ storeId, actor, now: new Date(Date.now() + BATCH_RESEND_AFTER_MS + 1_000) })).toEqual({ closed: 0, answered: 1, failed: 0, unanswered: 0 });

    const ledger = await capturesInLedger(store.merchantNumber);
    expect(ledger.map((entry) => [entry.xid, entry.amount, entry.batchId]).sort()).toEqual(
      [
        [first.xid, 12_800, batch!.id],
        [second.xid, 3_000, batch!.id],
      ].sort(),
    );
    expect(await db().captureBatch.findUniqueOrThrow({ where: { id: batch!.id } })).toMatchObject({ status: 'ANSWERED', capturedCount: 2, lastError: null });
    expect(await db().payment.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 12_800n });
    expect(await db().payment.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 3_000n });
    expect(await db().auditEvent.count({ where: { storeId, action: 'capture_batch.answered', targetId: batch!.id } })).toBe(1);
  });

  it('sends a batch that a crashed run left SENT before its CapReq went out', async () => {
    const store = await batchingStore();
    const payment = await paid(store.order);
    await settlePayment('capture', { storeId: store.storeId, paymentId: payment.id, actor: store.actor });
    const { batchIds } = await closeCaptureBatches({ storeId: store.storeId, actor: store.actor });
    // What a run that died right after claiming the batch leaves behind.
    await db().captureBatch.update({ where: { id: batchIds[0]! }, data: { status: 'SENT', sentAt: new Date(Date.now() - 3_600_000) } });
    expect(await capturesInLedger(store.merchantNumber)).toEqual([]);

    expect(await sendCaptureBatches({ storeId: store.storeId, actor: store.actor })).toEqual({ closed: 0, answered: 1, failed: 0, unanswered: 0 });
    expect((await capturesInLedger(store.merchantNumber)).map((entry) => [entry.xid, entry.batchId])).toEqual([[payment.xid, batchIds[0]]]);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'CAPTURED', capturedAmount: 12_800n });
  });

  it('makes at most 500 captures a batch, one batch per POS × acquirer and currency', async () => {
    const link = await createStoreWithPosAcquirer();
    const { posId } = await db().posAcquirer.findUniqueOrThrow({ where: { id: link.posAcquirerId }, select: { posId: true } });
    const currencies = [...Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => 'JPY'), 'USD', 'USD'];
    const orders = currencies.map((currency) => ({
      id: randomUUID(),
      storeId: link.storeId,
      posId,
      shopOrderRef: randomUUID(),
      amount: 100n,
      currency,
      lineItems: [],
      description: 'test',
      successUrl: 'https://shop.example.test/thanks',
      failureUrl: 'https://shop.example.test/sorry',
      checkoutToken: randomUUID(),
      status: 'PAID' as const,
      expiresAt: new Date(),
    }));
    await db().order.createMany({ data: orders });
    const payments = orders.map((order) => ({
      id: randomUUID(),
      storeId: link.storeId,
      posId,
      orderId: order.id,
      acquirerId: link.acquirerId,
      posAcquirerId: link.posAcquirerId,
      xid: randomUUID().replaceAll('-', ''),
      amount: 100n,
      currency: order.currency,
      status: 'AUTHORIZED' as const,
      authCode: 'A1B2C3',
    }));
    await db().payment.createMany({ data: payments });
    await db().paymentTransaction.createMany({
      data: payments.map((payment) => ({ storeId: link.storeId, paymentId: payment.id, type: 'CAPTURE' as const, status: 'QUEUED' as const, amount: 100n, requestId: randomUUID().replaceAll('-', '') })),
    });

    const { batchIds } = await closeCaptureBatches({ storeId: link.storeId, actor: { type: 'SYSTEM', id: null } });
    try {
      const batches = await db().captureBatch.findMany({ where: { id: { in: batchIds } } });
      expect(batches.map((batch) => [batch.itemCount, batch.amount, batch.status]).sort()).toEqual(
        [
          [1, 100n, 'OPEN'],
          [2, 200n, 'OPEN'],
          [500, 50_000n, 'OPEN'],
        ].sort(),
      );
      const grouped = await db().paymentTransaction.groupBy({ by: ['batchId', 'status'], where: { storeId: link.storeId }, _count: true });
      expect(grouped.map((row) => [row._count, row.status]).sort()).toEqual(
        [
          [1, 'PENDING'],
          [2, 'PENDING'],
          [500, 'PENDING'],
        ].sort(),
      );
      // A second close finds nothing left to batch.
      expect(await closeCaptureBatches({ storeId: link.storeId, actor: { type: 'SYSTEM', id: null } })).toEqual({ batchIds: [] });
    } finally {
      // This acquirer has no gateway: keep a worker elsewhere in the run from trying to send these.
      await db().captureBatch.updateMany({ where: { id: { in: batchIds } }, data: { status: 'FAILED' } });
    }
  });
});
