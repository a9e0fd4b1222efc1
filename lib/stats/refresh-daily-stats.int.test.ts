import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import type { PaymentStatus, PaymentTransactionStatus, PaymentTransactionType } from '@/lib/db/generated/prisma/enums';
import { getSettlementHistory, type SettlementDay } from '@/lib/payments/get-settlement-history';
import { settlePayment } from '@/lib/payments/settle-payment';
import { DAILY_STATS_ROLLUP, refreshDailyStats, ROLLUP_OVERLAP_MS } from '@/lib/stats/refresh-daily-stats';
import { card, customer, orderFor, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { linkAcquirer, posApiClient, seedOrder } from '@/lib/testing/pos-api-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

const DAY_MS = 86_400_000;
const dayOf = (value: Date) => value.toISOString().slice(0, 10);

/** The store's rollup rows, added up per day, acquirer and currency: the settlement history's grain. */
async function rollupByDay(storeId: string) {
  const rows = await db().dailyStoreStats.findMany({ where: { storeId } });
  const byKey = new Map<string, Omit<SettlementDay, 'acquirer'> & { acquirerId: string }>();
  for (const row of rows) {
    const key = `${dayOf(row.day)}|${row.acquirerId}|${row.currency}`;
    const zero = () => ({ count: 0, amount: 0n });
    const entry = byKey.get(key) ?? { day: dayOf(row.day), acquirerId: row.acquirerId, currency: row.currency, authorizations: zero(), captures: zero(), refunds: zero(), voids: zero(), declines: zero() };
    const add = (figures: { count: number; amount: bigint }, count: number, amount: bigint) => ({ count: figures.count + count, amount: figures.amount + amount });
    entry.authorizations = add(entry.authorizations, row.authorizationCount, row.authorizationAmount);
    entry.captures = add(entry.captures, row.captureCount, row.captureAmount);
    entry.refunds = add(entry.refunds, row.refundCount, row.refundAmount);
    entry.voids = add(entry.voids, row.voidCount, row.voidAmount);
    entry.declines = add(entry.declines, row.declineCount, row.declineAmount);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort((a, b) => `${a.day}${a.acquirerId}${a.currency}`.localeCompare(`${b.day}${b.acquirerId}${b.currency}`));
}

async function historyByDay(store: { storeId: string; userId: string }, from: string, to: string) {
  const history = await getSettlementHistory({ storeId: store.storeId, actor: { type: 'STORE_USER', id: store.userId }, query: { from, to } });
  return history.days
    .map(({ acquirer, ...day }) => ({ ...day, acquirerId: acquirer.id }))
    .sort((a, b) => `${a.day}${a.acquirerId}${a.currency}`.localeCompare(`${b.day}${b.acquirerId}${b.currency}`));
}

async function allRollupRows(storeId: string, acquirerId: string) {
  return {
    store: await db().dailyStoreStats.findMany({ where: { storeId }, orderBy: [{ day: 'asc' }, { posId: 'asc' }, { brand: 'asc' }, { currency: 'asc' }] }),
    declines: await db().dailyDeclineStats.findMany({ where: { storeId }, orderBy: [{ day: 'asc' }, { declineCode: 'asc' }] }),
    acquirer: await db().dailyAcquirerStats.findMany({ where: { acquirerId }, orderBy: [{ day: 'asc' }, { brand: 'asc' }, { currency: 'asc' }] }),
    acquirerDeclines: await db().dailyAcquirerDeclineStats.findMany({ where: { acquirerId }, orderBy: [{ day: 'asc' }, { declineCode: 'asc' }] }),
    monthly: await monthlyRows(storeId),
    monthlyTotals: await db().monthlyStoreTotals.findMany({ where: { storeId }, orderBy: [{ month: 'asc' }, { currency: 'asc' }] }),
  };
}

const monthlyOrder = [{ month: 'asc' as const }, { acquirerId: 'asc' as const }, { brand: 'asc' as const }, { currency: 'asc' as const }];

async function monthlyRows(storeId: string) {
  return db().monthlyStoreStats.findMany({ where: { storeId }, orderBy: monthlyOrder });
}

/** The store's daily rows summed per UTC month, acquirer, brand and currency: what MonthlyStoreStats must hold. */
async function dailyRowsByMonth(storeId: string) {
  const days = await db().dailyStoreStats.findMany({ where: { storeId } });
  const months = new Map<string, Awaited<ReturnType<typeof monthlyRows>>[number]>();
  for (const { day, posId: _posId, ...row } of days) {
    const month = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
    const key = [month.toISOString(), row.acquirerId, row.brand, row.currency].join('|');
    const sum = months.get(key);
    if (!sum) {
      months.set(key, { ...row, month });
      continue;
    }
    for (const figure of ['authorization', 'decline', 'capture', 'void', 'refund'] as const) {
      sum[`${figure}Count`] += row[`${figure}Count`];
      sum[`${figure}Amount`] += row[`${figure}Amount`];
    }
  }
  const key = (row: { month: Date; acquirerId: string; brand: string; currency: string }) => [row.month.toISOString(), row.acquirerId, row.brand, row.currency].join('|');
  return [...months.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

/** A payment written straight to the database with the given transactions (as the checkout and settlements leave them). */
async function seededPayment(
  shop: { storeId: string; posId: string },
  acquirerId: string,
  options: { amount: bigint; status: PaymentStatus; declineCode?: string; transactions: { type: PaymentTransactionType; status: PaymentTransactionStatus; amount: bigint; at: Date }[] },
) {
  const order = await seedOrder(shop);
  const payment = await db().payment.create({
    data: { storeId: shop.storeId, posId: shop.posId, orderId: order.id, acquirerId, xid: randomUUID().replaceAll('-', ''), amount: options.amount, currency: 'JPY', status: options.status, brand: 'VISA', declineCode: options.declineCode ?? null },
  });
  for (const transaction of options.transactions) {
    await db().paymentTransaction.create({
      data: { storeId: shop.storeId, paymentId: payment.id, type: transaction.type, status: transaction.status, amount: transaction.amount, requestId: randomUUID(), createdAt: transaction.at, completedAt: transaction.at },
    });
  }
  return payment;
}

describe('the daily statistics rollup', () => {
  it('after real payments through the gateway, holds exactly the settlement history’s figures; a second run changes nothing', async () => {
    const store = await storeWithOrder(world);
    const actor = { type: 'STORE_USER' as const, id: store.userId };
    const pay = async (orderId: string, token: string, pan: string, brand = 'VISA') => {
      const { preq } = await walletPurchase(token, orderId, card(pan), { brand });
      const outcome = await payCheckout({ token, preq: preq.raw, customer });
      return { outcome, payment: await db().payment.findFirstOrThrow({ where: { orderId } }) };
    };
    // Authorised, captured in part, refunded in part.
    const first = await pay(store.order.id, store.token, '4111111111111111');
    expect(first.outcome.status).toBe('approved');
    await settlePayment('capture', { storeId: store.storeId, paymentId: first.payment.id, actor, amount: 10_000n });
    await settlePayment('refund', { storeId: store.storeId, paymentId: first.payment.id, actor, amount: 2_500n });
    // Declined by the issuer.
    const declinedOrder = await orderFor(store, { amount: 3_000 });
    const declined = await pay(declinedOrder.id, declinedOrder.checkoutToken, '4000000000009995');
    expect(declined.outcome.status).toBe('declined');
    // Authorised, then voided.
    const voidedOrder = await orderFor(store, { amount: 4_000 });
    const voided = await pay(voidedOrder.id, voidedOrder.checkoutToken, '4111111111111111');
    await settlePayment('void', { storeId: store.storeId, paymentId: voided.payment.id, actor });
    // Captured with the authorisation.
    const autoOrder = await orderFor(store, { amount: 1_500, autoCapture: true });
    expect((await pay(autoOrder.id, autoOrder.checkoutToken, '5555555555554444', 'MASTER')).outcome.status).toBe('approved');

    const refreshed = await refreshDailyStats();
    expect(refreshed.storeDays).toBeGreaterThanOrEqual(1);
    const today = dayOf(new Date());
    const history = await historyByDay(store, dayOf(new Date(Date.now() - DAY_MS)), today);
    expect(history.length).toBeGreaterThan(0);
    expect(await rollupByDay(store.storeId)).toEqual(history);
    expect(await monthlyRows(store.storeId)).toEqual(await dailyRowsByMonth(store.storeId));
    // The store's totals over every acquirer and brand: both brands of the store's payments in one row per month and currency.
    const totals = await db().monthlyStoreTotals.findMany({ where: { storeId: store.storeId } });
    expect(totals.reduce((sum, row) => sum + row.authorizationAmount, 0n)).toBe((await monthlyRows(store.storeId)).reduce((sum, row) => sum + row.authorizationAmount, 0n));
    expect(new Set(totals.map((row) => `${row.month.toISOString()}|${row.currency}`)).size).toBe(totals.length);
    expect((await monthlyRows(store.storeId)).reduce((sum, row) => sum + row.authorizationAmount, 0n)).toBeGreaterThanOrEqual(12_800n + 4_000n + 1_500n);
    // The figures themselves, so the comparison cannot pass on two empty lists.
    const todayRow = history.find((row) => row.day === today)!;
    expect(todayRow).toMatchObject({
      authorizations: { count: 3, amount: 12_800n + 4_000n + 1_500n },
      captures: { count: 2, amount: 10_000n + 1_500n },
      refunds: { count: 1, amount: 2_500n },
      voids: { count: 1, amount: 4_000n },
      declines: { count: 1, amount: 3_000n },
    });
    const declineRows = await db().dailyDeclineStats.findMany({ where: { storeId: store.storeId } });
    expect(declineRows.map((row) => [row.declineCode, row.count, row.brand])).toEqual([['insufficient_funds', 1, 'VISA']]);
    expect((await db().dailyStoreStats.findMany({ where: { storeId: store.storeId } })).map((row) => row.brand).sort()).toEqual(['MASTER', 'VISA']);

    const before = await allRollupRows(store.storeId, world.acquirerIds['ACQ-CARD']!);
    // The acquirer-level rows hold this store's figures (among other stores' of the run).
    const acquirerToday = before.acquirer.filter((row) => dayOf(row.day) === today && row.currency === 'JPY');
    expect(acquirerToday.reduce((sum, row) => sum + row.voidAmount, 0n)).toBeGreaterThanOrEqual(4_000n);
    await refreshDailyStats();
    expect(await allRollupRows(store.storeId, world.acquirerIds['ACQ-CARD']!)).toEqual(before);
  });

  it('catches a transaction committed late with a timestamp before the watermark, within the overlap', async () => {
    const shop = await posApiClient();
    const acquirer = await linkAcquirer({ storeId: shop.storeId, posId: shop.posId, status: 'REGISTERED' });
    const { watermark } = await refreshDailyStats();
    // Stamped two minutes before the last run, but only visible now (it committed after that run).
    const late = new Date(watermark.getTime() - ROLLUP_OVERLAP_MS + 60_000);
    await seededPayment(shop, acquirer.acquirerId, { amount: 7_700n, status: 'AUTHORIZED', transactions: [{ type: 'AUTHORIZE', status: 'SUCCEEDED', amount: 7_700n, at: late }] });
    await refreshDailyStats();
    expect(await db().dailyStoreStats.findMany({ where: { storeId: shop.storeId }, select: { day: true, authorizationCount: true, authorizationAmount: true } })).toEqual([
      { day: new Date(`${dayOf(late)}T00:00:00Z`), authorizationCount: 1, authorizationAmount: 7_700n },
    ]);
    expect(await db().dailyAcquirerStats.findMany({ where: { acquirerId: acquirer.acquirerId }, select: { storeCount: true, authorizationAmount: true } })).toEqual([{ storeCount: 1, authorizationAmount: 7_700n }]);
    const state = await db().statsRollupState.findUniqueOrThrow({ where: { name: DAILY_STATS_ROLLUP } });
    expect(state.watermark.getTime()).toBeGreaterThanOrEqual(watermark.getTime());
  });

  it('rebuildFrom recomputes past days that no watermark reaches, and removes rows whose transactions are gone', async () => {
    const shop = await posApiClient();
    const acquirer = await linkAcquirer({ storeId: shop.storeId, posId: shop.posId, status: 'REGISTERED' });
    const tenDaysAgo = new Date(Date.now() - 10 * DAY_MS);
    const payment = await seededPayment(shop, acquirer.acquirerId, {
      amount: 5_000n,
      status: 'DECLINED',
      declineCode: 'do_not_honor',
      transactions: [{ type: 'AUTHORIZE', status: 'FAILED', amount: 5_000n, at: tenDaysAgo }],
    });
    // Written with a past timestamp: the incremental run does not look that far back.
    await refreshDailyStats();
    expect(await db().dailyStoreStats.count({ where: { storeId: shop.storeId } })).toBe(0);

    const rebuilt = await refreshDailyStats({ rebuildFrom: new Date(Date.now() - 11 * DAY_MS) });
    expect(rebuilt.days).toBeGreaterThanOrEqual(1);
    expect(await db().dailyStoreStats.findMany({ where: { storeId: shop.storeId }, select: { day: true, declineCount: true, declineAmount: true, brand: true } })).toEqual([
      { day: new Date(`${dayOf(tenDaysAgo)}T00:00:00Z`), declineCount: 1, declineAmount: 5_000n, brand: 'VISA' },
    ]);
    expect(await db().dailyAcquirerDeclineStats.findMany({ where: { acquirerId: acquirer.acquirerId }, select: { declineCode: true, count: true } })).toEqual([{ declineCode: 'do_not_honor', count: 1 }]);
    expect(await monthlyRows(shop.storeId)).toEqual(await dailyRowsByMonth(shop.storeId));
    expect((await monthlyRows(shop.storeId)).map((row) => [row.month, row.declineAmount])).toEqual([[new Date(`${dayOf(tenDaysAgo).slice(0, 7)}-01T00:00:00Z`), 5_000n]]);

    // A repair: the transaction is corrected away; the rebuild takes its rows out again.
    await db().paymentTransaction.deleteMany({ where: { paymentId: payment.id } });
    await refreshDailyStats({ rebuildFrom: tenDaysAgo });
    expect(await db().dailyStoreStats.count({ where: { storeId: shop.storeId } })).toBe(0);
    expect(await db().dailyAcquirerDeclineStats.count({ where: { acquirerId: acquirer.acquirerId } })).toBe(0);
    expect(await monthlyRows(shop.storeId)).toEqual([]);
    expect(await db().monthlyStoreTotals.count({ where: { storeId: shop.storeId } })).toBe(0);
  });

  it('lets two runs at once take turns: both finish and the rows are those of one run', async () => {
    const shop = await posApiClient();
    const acquirer = await linkAcquirer({ storeId: shop.storeId, posId: shop.posId, status: 'REGISTERED' });
    await seededPayment(shop, acquirer.acquirerId, { amount: 900n, status: 'AUTHORIZED', transactions: [{ type: 'AUTHORIZE', status: 'SUCCEEDED', amount: 900n, at: new Date() }] });
    await Promise.all([refreshDailyStats(), refreshDailyStats(), refreshDailyStats({ rebuildFrom: new Date() })]);
    expect(await db().dailyStoreStats.findMany({ where: { storeId: shop.storeId }, select: { authorizationCount: true, authorizationAmount: true } })).toEqual([{ authorizationCount: 1, authorizationAmount: 900n }]);
    expect(await db().dailyAcquirerStats.findMany({ where: { acquirerId: acquirer.acquirerId }, select: { authorizationCount: true } })).toEqual([{ authorizationCount: 1 }]);
    expect(await db().monthlyStoreStats.findMany({ where: { storeId: shop.storeId }, select: { authorizationCount: true, authorizationAmount: true } })).toEqual([{ authorizationCount: 1, authorizationAmount: 900n }]);
  });
});
