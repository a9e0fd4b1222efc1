import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import type { PaymentStatus, PaymentTransactionStatus, PaymentTransactionType } from '@/lib/db/generated/prisma/enums';
import { getSettlementHistory } from '@/lib/payments/get-settlement-history';
import { linkAcquirer, posApiClient, seedOrder } from '@/lib/testing/pos-api-fixtures';

type Shop = Awaited<ReturnType<typeof posApiClient>>;
const at = (value: string) => new Date(value);

/** A payment with its transactions, as the checkout, the settlements and the batches leave them. */
async function payment(
  shop: Shop,
  acquirerId: string,
  options: { amount: bigint; currency?: string; status: PaymentStatus; capturedAmount?: bigint; transactions: { type: PaymentTransactionType; status: PaymentTransactionStatus; amount: bigint; at: Date }[] },
) {
  const order = await seedOrder({ storeId: shop.storeId, posId: shop.posId });
  const row = await db().payment.create({
    data: {
      storeId: shop.storeId,
      posId: shop.posId,
      orderId: order.id,
      acquirerId,
      xid: randomUUID().replaceAll('-', ''),
      amount: options.amount,
      currency: options.currency ?? 'JPY',
      status: options.status,
      capturedAmount: options.capturedAmount ?? 0n,
      brand: 'VISA',
    },
  });
  for (const transaction of options.transactions) {
    await db().paymentTransaction.create({
      data: { storeId: shop.storeId, paymentId: row.id, type: transaction.type, status: transaction.status, amount: transaction.amount, requestId: randomUUID(), createdAt: transaction.at, completedAt: transaction.status === 'QUEUED' ? null : transaction.at },
    });
  }
  return row;
}

describe('settlement history', () => {
  it('counts and sums authorisations, captures, refunds, voids and declines per UTC day, acquirer and currency', async () => {
    const shop = await posApiClient();
    const card = await db().posAcquirer.findFirstOrThrow({ where: { posId: shop.posId }, select: { acquirerId: true, acquirer: { select: { code: true } } } });
    const bank = await linkAcquirer({ storeId: shop.storeId, posId: shop.posId, status: 'REGISTERED' });
    const auth = (amount: bigint, when = '2026-11-20T10:00:00Z') => ({ type: 'AUTHORIZE' as const, status: 'SUCCEEDED' as const, amount, at: at(when) });

    // Authorised on the 20th, captured just before midnight UTC on the 21st, part refunded the same day.
    await payment(shop, card.acquirerId, {
      amount: 10_000n,
      status: 'PARTIALLY_REFUNDED',
      capturedAmount: 10_000n,
      transactions: [auth(10_000n), { type: 'CAPTURE', status: 'SUCCEEDED', amount: 10_000n, at: at('2026-11-21T23:59:59.999Z') }, { type: 'REFUND', status: 'SUCCEEDED', amount: 3_000n, at: at('2026-11-21T12:00:00Z') }],
    });
    await payment(shop, card.acquirerId, { amount: 5_000n, status: 'VOIDED', transactions: [auth(5_000n), { type: 'VOID', status: 'SUCCEEDED', amount: 5_000n, at: at('2026-11-20T11:00:00Z') }] });
    await payment(shop, card.acquirerId, { amount: 7_000n, status: 'DECLINED', transactions: [{ type: 'AUTHORIZE', status: 'FAILED', amount: 7_000n, at: at('2026-11-20T12:00:00Z') }] });
    // Captured with the authorisation (auto-capture): no capture transaction of its own.
    await payment(shop, card.acquirerId, { amount: 2_000n, status: 'CAPTURED', capturedAmount: 2_000n, transactions: [auth(2_000n)] });
    // Refused captures, queued ones and protocol failures are not settlements.
    await payment(shop, card.acquirerId, {
      amount: 1_000n,
      status: 'AUTHORIZED',
      transactions: [auth(1_000n), { type: 'CAPTURE', status: 'FAILED', amount: 1_000n, at: at('2026-11-21T08:00:00Z') }, { type: 'CAPTURE', status: 'QUEUED', amount: 1_000n, at: at('2026-11-21T09:00:00Z') }],
    });
    await payment(shop, card.acquirerId, { amount: 900n, status: 'FAILED', transactions: [{ type: 'AUTHORIZE', status: 'FAILED', amount: 900n, at: at('2026-11-20T13:00:00Z') }] });
    // Another acquirer, another currency: rows of their own.
    await payment(shop, bank.acquirerId, { amount: 1_234n, currency: 'USD', status: 'AUTHORIZED', transactions: [auth(1_234n, '2026-11-20T23:00:00Z')] });
    // Another store's payment on the same acquirer, the same day: not this store's history.
    const stranger = await posApiClient();
    await payment(stranger, card.acquirerId, { amount: 99_999n, status: 'AUTHORIZED', transactions: [auth(99_999n)] });

    const history = await getSettlementHistory({ storeId: shop.storeId, actor: shop.actor, query: { from: '2026-11-20', to: '2026-11-21' } });
    const zero = { count: 0, amount: 0n };
    expect([history.from, history.to]).toEqual(['2026-11-20', '2026-11-21']);
    expect(history.days).toHaveLength(3);
    // Newest day first.
    expect(history.days[0]).toEqual({
      day: '2026-11-21',
      acquirer: { id: card.acquirerId, code: card.acquirer.code, name: expect.any(String) },
      currency: 'JPY',
      authorizations: zero,
      captures: { count: 1, amount: 10_000n },
      refunds: { count: 1, amount: 3_000n },
      voids: zero,
      declines: zero,
    });
    // Within a day, rows come in acquirer-name order; whichever that is, both are there.
    expect(history.days.slice(1)).toEqual(
      expect.arrayContaining([
        {
          day: '2026-11-20',
          acquirer: { id: card.acquirerId, code: card.acquirer.code, name: expect.any(String) },
          currency: 'JPY',
          authorizations: { count: 4, amount: 18_000n },
          captures: { count: 1, amount: 2_000n },
          refunds: zero,
          voids: { count: 1, amount: 5_000n },
          declines: { count: 1, amount: 7_000n },
        },
        {
          day: '2026-11-20',
          acquirer: { id: bank.acquirerId, code: expect.any(String), name: expect.any(String) },
          currency: 'USD',
          authorizations: { count: 1, amount: 1_234n },
          captures: zero,
          refunds: zero,
          voids: zero,
          declines: zero,
        },
      ]),
    );

    const lastDay = await getSettlementHistory({ storeId: shop.storeId, actor: shop.actor, query: { from: '2026-11-21', to: '2026-11-21' } });
    expect(lastDay.days.map((day) => [day.day, day.captures.amount, day.authorizations.count])).toEqual([['2026-11-21', 10_000n, 0]]);
    expect((await getSettlementHistory({ storeId: stranger.storeId, actor: stranger.actor, query: { from: '2026-11-20', to: '2026-11-21' } })).days).toMatchObject([{ authorizations: { count: 1, amount: 99_999n } }]);
  });

  it('shows the last 30 days by default and refuses a range it cannot read', async () => {
    const shop = await posApiClient();
    expect(await getSettlementHistory({ storeId: shop.storeId, actor: shop.actor, now: at('2026-11-25T08:00:00Z') })).toEqual({ from: '2026-10-27', to: '2026-11-25', days: [] });
    await expect(getSettlementHistory({ storeId: shop.storeId, actor: shop.actor, query: { from: '2026-11-25', to: '2026-11-01' } })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'to' }] });
    await expect(getSettlementHistory({ storeId: shop.storeId, actor: shop.actor, query: { from: '2024-01-01', to: '2026-01-01' } })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'from' }] });
    await expect(getSettlementHistory({ storeId: shop.storeId, actor: shop.actor, query: { from: 'last week' } })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
