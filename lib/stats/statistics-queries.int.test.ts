import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import type { PaymentStatus, PaymentTransactionStatus, PaymentTransactionType } from '@/lib/db/generated/prisma/enums';
import { exportStatisticsCsv } from '@/lib/stats/export-statistics-csv';
import { getAcquirerSettlementReport } from '@/lib/stats/get-acquirer-settlement-report';
import { getOperatorStatistics } from '@/lib/stats/get-operator-statistics';
import { getStoreStatistics } from '@/lib/stats/get-store-statistics';
import { refreshDailyStats } from '@/lib/stats/refresh-daily-stats';
import { anotherPosOf, posApiClient, seedOrder } from '@/lib/testing/pos-api-fixtures';

type Shop = Awaited<ReturnType<typeof posApiClient>>;

const D1 = '2026-11-10';
const D2 = '2026-11-11';
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}Z`);

async function payment(
  shop: { storeId: string; posId: string },
  acquirerId: string,
  options: { amount: bigint; currency?: string; brand?: string; status: PaymentStatus; declineCode?: string; capturedAmount?: bigint; transactions: { type: PaymentTransactionType; status: PaymentTransactionStatus; amount: bigint; at: Date }[] },
) {
  const order = await seedOrder(shop);
  const row = await db().payment.create({
    data: {
      storeId: shop.storeId,
      posId: shop.posId,
      orderId: order.id,
      acquirerId,
      xid: randomUUID().replaceAll('-', ''),
      amount: options.amount,
      currency: options.currency ?? 'JPY',
      brand: options.brand ?? 'VISA',
      status: options.status,
      declineCode: options.declineCode ?? null,
      capturedAmount: options.capturedAmount ?? 0n,
    },
  });
  for (const transaction of options.transactions) {
    await db().paymentTransaction.create({
      data: { storeId: shop.storeId, paymentId: row.id, type: transaction.type, status: transaction.status, amount: transaction.amount, requestId: randomUUID(), createdAt: transaction.at, completedAt: transaction.at },
    });
  }
}

const authorized = (amount: bigint, day: string) => ({ type: 'AUTHORIZE' as const, status: 'SUCCEEDED' as const, amount, at: at(day) });
const declined = (amount: bigint, day: string) => ({ type: 'AUTHORIZE' as const, status: 'FAILED' as const, amount, at: at(day, '11:00:00') });

let shopA: Shop;
let shopB: Shop;
let tillA: { posId: string };
let acquirerX: string;
let acquirerY: string;
let merchantA: string;
let merchantB: string;
let merchantAatY: string;
let strangerStoreId: string;

beforeAll(async () => {
  shopA = await posApiClient();
  tillA = await anotherPosOf(shopA);
  const linkA = await db().posAcquirer.findFirstOrThrow({ where: { posId: shopA.posId }, select: { acquirerId: true, contract: { select: { merchantNumber: true } } } });
  const linkTill = await db().posAcquirer.findFirstOrThrow({ where: { posId: tillA.posId }, select: { acquirerId: true, contract: { select: { merchantNumber: true } } } });
  acquirerX = linkA.acquirerId;
  merchantA = linkA.contract.merchantNumber;
  acquirerY = linkTill.acquirerId;
  merchantAatY = linkTill.contract.merchantNumber;
  // Store B sells through acquirer X too, under a contract of its own.
  shopB = await posApiClient();
  merchantB = `M-${randomUUID().slice(0, 8).toUpperCase()}`;
  await db().acquirerContract.create({ data: { storeId: shopB.storeId, acquirerId: acquirerX, merchantNumber: merchantB, status: 'VERIFIED' } });
  await db().pos.update({ where: { id: tillA.posId }, data: { name: '=HYPERLINK("http://evil.example")' } });

  await payment(shopA, acquirerX, { amount: 10_000n, status: 'AUTHORIZED', transactions: [authorized(10_000n, D1)] });
  await payment(shopA, acquirerX, { amount: 3_000n, brand: 'MASTER', status: 'DECLINED', declineCode: 'do_not_honor', transactions: [declined(3_000n, D1)] });
  await payment(shopA, acquirerX, {
    amount: 1_234n,
    currency: 'USD',
    status: 'PARTIALLY_REFUNDED',
    capturedAmount: 1_234n,
    transactions: [authorized(1_234n, D2), { type: 'CAPTURE', status: 'SUCCEEDED', amount: 1_234n, at: at(D2, '12:00:00') }, { type: 'REFUND', status: 'SUCCEEDED', amount: 234n, at: at(D2, '13:00:00') }],
  });
  await payment({ storeId: shopA.storeId, posId: tillA.posId }, acquirerY, { amount: 5_000n, status: 'VOIDED', transactions: [authorized(5_000n, D2), { type: 'VOID', status: 'SUCCEEDED', amount: 5_000n, at: at(D2, '14:00:00') }] });
  await payment(shopB, acquirerX, { amount: 99_999n, status: 'AUTHORIZED', transactions: [authorized(99_999n, D1)] });
  await payment(shopB, acquirerX, { amount: 700n, status: 'DECLINED', declineCode: 'insufficient_funds', transactions: [declined(700n, D1)] });
  // A store with payments through X but no contract with it (its contract was elsewhere): not in X's report.
  const stranger = await posApiClient();
  strangerStoreId = stranger.storeId;
  await payment(stranger, acquirerX, { amount: 4_444n, status: 'AUTHORIZED', transactions: [authorized(4_444n, D1)] });

  await refreshDailyStats({ rebuildFrom: at(D1, '00:00:00') });
});

const period = { from: D1, to: D2 };

describe('operator statistics', () => {
  it('totals, series, breakdowns and declines of one acquirer over every store, amounts kept per currency', async () => {
    const stats = await getOperatorStatistics({ ...period, acquirerId: acquirerX });
    expect(stats.from).toBe(D1);
    expect(stats.filters).toEqual({ acquirerId: acquirerX });
    expect(stats.totals.counts).toEqual({ authorizations: 4, declines: 2, captures: 1, voids: 0, refunds: 1 });
    expect(stats.totals.approvalRate).toBeCloseTo(4 / 6);
    expect(stats.totals.byCurrency).toEqual([
      {
        currency: 'JPY',
        authorizations: { count: 3, amount: String(10_000 + 99_999 + 4_444) },
        declines: { count: 2, amount: '3700' },
        captures: { count: 0, amount: '0' },
        voids: { count: 0, amount: '0' },
        refunds: { count: 0, amount: '0' },
      },
      {
        currency: 'USD',
        authorizations: { count: 1, amount: '1234' },
        declines: { count: 0, amount: '0' },
        captures: { count: 1, amount: '1234' },
        voids: { count: 0, amount: '0' },
        refunds: { count: 1, amount: '234' },
      },
    ]);
    expect(stats.series.map((point) => [point.day, point.counts.authorizations, point.counts.declines])).toEqual([
      [D1, 3, 2],
      [D2, 1, 0],
    ]);
    expect(stats.byAcquirer.map((row) => [row.acquirer.id, row.counts.authorizations])).toEqual([[acquirerX, 4]]);
    expect(stats.byBrand.map((row) => [row.brand, row.counts.authorizations, row.counts.declines])).toEqual([
      ['VISA', 4, 1],
      ['MASTER', 0, 1],
    ]);
    expect(stats.topStores.map((row) => [row.store.id, row.byCurrency[0]!.currency, row.byCurrency[0]!.authorizations.amount])).toEqual([
      [shopB.storeId, 'JPY', '99999'],
      [shopA.storeId, 'JPY', '10000'],
      [strangerStoreId, 'JPY', '4444'],
      [shopA.storeId, 'USD', '1234'],
    ]);
    expect(stats.declinesByReason).toEqual([
      { code: 'do_not_honor', count: 1 },
      { code: 'insufficient_funds', count: 1 },
    ]);
  });

  it('narrows by currency, brand and store (the store filter reads the store-level rollups)', async () => {
    const usd = await getOperatorStatistics({ ...period, acquirerId: acquirerX, currency: 'USD' });
    expect(usd.totals.counts.authorizations).toBe(1);
    expect(usd.totals.byCurrency.map((figures) => figures.currency)).toEqual(['USD']);
    const master = await getOperatorStatistics({ ...period, acquirerId: acquirerX, brand: 'MASTER' });
    expect(master.totals.counts).toMatchObject({ authorizations: 0, declines: 1 });
    expect(master.totals.approvalRate).toBe(0);
    const storeA = await getOperatorStatistics({ ...period, storeId: shopA.storeId });
    expect(storeA.totals.counts).toEqual({ authorizations: 3, declines: 1, captures: 1, voids: 1, refunds: 1 });
    expect(storeA.byAcquirer.map((row) => row.acquirer.id).sort()).toEqual([acquirerX, acquirerY].sort());
    expect(storeA.topStores.map((row) => row.store.id)).toEqual([shopA.storeId, shopA.storeId]);
    expect(storeA.declinesByReason).toEqual([{ code: 'do_not_honor', count: 1 }]);
  });

  it('answers not_found for an acquirer or store that does not exist, and refuses filters it cannot read', async () => {
    await expect(getOperatorStatistics({ ...period, acquirerId: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getOperatorStatistics({ ...period, storeId: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getOperatorStatistics({ from: D2, to: D1 })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'to' }] });
    await expect(getOperatorStatistics({ from: '2024-01-01', to: '2026-01-01' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'from' }] });
    await expect(getOperatorStatistics({ acquirerId: 'ACQ-CARD' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'acquirerId' }] });
    await expect(getOperatorStatistics({ currency: 'XYZ' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'currency' }] });
    // The last 30 days by default, every day of them in the series.
    const recent = await getOperatorStatistics({ acquirerId: acquirerX, now: at('2026-11-25') });
    expect([recent.from, recent.to, recent.series.length]).toEqual(['2026-10-27', '2026-11-25', 30]);
    expect(recent.totals.counts.authorizations).toBe(4);
  });
});

describe('store statistics', () => {
  it('shows the store its own payments only, by POS, acquirer and brand', async () => {
    const stats = await getStoreStatistics({ storeId: shopA.storeId, ...period });
    expect(stats.totals.counts).toEqual({ authorizations: 3, declines: 1, captures: 1, voids: 1, refunds: 1 });
    expect(stats.byPos.map((row) => [row.pos.id, row.pos.name, row.counts.authorizations]).sort()).toEqual(
      [
        [shopA.posId, 'Web shop', 2],
        [tillA.posId, '=HYPERLINK("http://evil.example")', 1],
      ].sort(),
    );
    expect(stats.totals.byCurrency.find((figures) => figures.currency === 'JPY')!.authorizations).toEqual({ count: 2, amount: '15000' });
    const till = await getStoreStatistics({ storeId: shopA.storeId, ...period, posId: tillA.posId });
    expect(till.totals.counts).toMatchObject({ authorizations: 1, voids: 1, declines: 0 });
    expect(till.byAcquirer.map((row) => row.acquirer.id)).toEqual([acquirerY]);
    expect((await getStoreStatistics({ storeId: shopB.storeId, ...period })).totals.counts.authorizations).toBe(1);
  });

  it('treats another store’s POS like one that does not exist', async () => {
    await expect(getStoreStatistics({ storeId: shopA.storeId, ...period, posId: shopB.posId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getStoreStatistics({ storeId: shopA.storeId, ...period, posId: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getStoreStatistics({ storeId: 'not-a-store', ...period })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('acquirer settlement report', () => {
  it('per day and store under contract with the acquirer: counts, amounts and declines by reason, newest day first', async () => {
    const report = await getAcquirerSettlementReport({ acquirerId: acquirerX, ...period });
    expect(report.acquirer.id).toBe(acquirerX);
    // Only this test's stores can have rows on these days for this acquirer; the stranger has no contract with it.
    expect(report.rows.map((row) => [row.day, row.store.id])).toEqual(
      [
        [D2, shopA.storeId],
        ...[
          [D1, shopA.storeId, merchantA],
          [D1, shopB.storeId, merchantB],
        ]
          .sort((a, b) => a[2]!.localeCompare(b[2]!))
          .map(([day, storeId]) => [day, storeId]),
      ],
    );
    const aOnD1 = report.rows.find((row) => row.day === D1 && row.store.id === shopA.storeId)!;
    expect(aOnD1.store).toEqual({ id: shopA.storeId, name: shopA.storeName, merchantNumber: merchantA });
    expect(aOnD1.byCurrency).toEqual([
      { currency: 'JPY', authorizations: { count: 1, amount: '10000' }, declines: { count: 1, amount: '3000' }, captures: { count: 0, amount: '0' }, voids: { count: 0, amount: '0' }, refunds: { count: 0, amount: '0' } },
    ]);
    expect(aOnD1.declinesByReason).toEqual([{ code: 'do_not_honor', count: 1 }]);
    const aOnD2 = report.rows.find((row) => row.day === D2)!;
    expect(aOnD2.byCurrency.map((figures) => [figures.currency, figures.captures.amount, figures.refunds.amount])).toEqual([['USD', '1234', '234']]);
    // Acquirer Y's report has store A's till and nothing of store B.
    expect((await getAcquirerSettlementReport({ acquirerId: acquirerY, ...period })).rows.map((row) => [row.store.id, row.byCurrency[0]!.voids.count])).toEqual([[shopA.storeId, 1]]);
  });

  it('narrows to one merchant number, and answers not_found for a number or acquirer it does not know', async () => {
    const report = await getAcquirerSettlementReport({ acquirerId: acquirerX, ...period, merchantNumber: merchantB.toLowerCase() });
    expect(report.rows.map((row) => row.store.merchantNumber)).toEqual([merchantB]);
    await expect(getAcquirerSettlementReport({ acquirerId: acquirerX, ...period, merchantNumber: merchantAatY })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getAcquirerSettlementReport({ acquirerId: acquirerX, ...period, merchantNumber: 'M-NOBODY' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getAcquirerSettlementReport({ acquirerId: randomUUID(), ...period })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getAcquirerSettlementReport({ acquirerId: acquirerX, ...period, merchantNumber: 'x y' })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('statistics CSV', () => {
  it('exports the store’s own rows with defused names and major-unit amounts, and audits the export', async () => {
    const { filename, body } = await exportStatisticsCsv({ scope: { kind: 'store', storeId: shopA.storeId }, actor: shopA.actor, query: new URLSearchParams(period), now: at('2026-11-25') });
    expect(filename).toBe('statistics-2026-11-25.csv');
    const lines = body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('day,pos,acquirer,brand,currency,authorizations,authorizations_amount,declines,declines_amount,captures,captures_amount,voids,voids_amount,refunds,refunds_amount');
    expect(lines).toHaveLength(1 + 4);
    expect(lines).toContain(`${D2},"'=HYPERLINK(""http://evil.example"")",${(await db().acquirer.findUniqueOrThrow({ where: { id: acquirerY } })).code},VISA,JPY,1,5000,0,0,0,0,1,5000,0,0`);
    expect(lines.some((line) => line.includes(',USD,1,12.34,0,0.00,1,12.34,0,0.00,1,2.34'))).toBe(true);
    expect(body).not.toContain('99999');
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'statistics.exported', storeId: shopA.storeId }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorType: 'STORE_USER', actorId: shopA.userId, data: { filters: `from=${D1}&to=${D2}` } });
  });

  it('exports the operator’s rows over every store, and refuses another store’s POS or a wrong filter before recording anything', async () => {
    const before = await db().auditEvent.count({ where: { action: 'statistics.exported' } });
    await expect(exportStatisticsCsv({ scope: { kind: 'store', storeId: shopA.storeId }, actor: shopA.actor, query: { ...period, posId: shopB.posId } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(exportStatisticsCsv({ scope: { kind: 'operator' }, actor: { type: 'OPERATOR', id: null }, query: { from: 'yesterday' } })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await db().auditEvent.count({ where: { action: 'statistics.exported' } })).toBe(before);

    const { body } = await exportStatisticsCsv({ scope: { kind: 'operator' }, actor: { type: 'OPERATOR', id: null }, query: { ...period, acquirerId: acquirerX, currency: 'JPY' } });
    const lines = body.split('\r\n').filter(Boolean);
    expect(lines[0]!.startsWith('day,acquirer,brand,currency,')).toBe(true);
    // The acquirer-level rows: every store's sales through X added up, per day, brand and currency.
    expect(lines.slice(1).map((line) => line.split(',').slice(2, 8).join(','))).toEqual(['MASTER,JPY,0,0,1,3000', 'VISA,JPY,3,114443,1,700']);
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'statistics.exported' }, orderBy: { createdAt: 'desc' } })).toMatchObject({ storeId: null, actorType: 'OPERATOR' });
  });
});

describe('top stores over months', () => {
  it('adds whole months from the monthly rollup and the days at either end from the daily one, whichever is fewer rows', async () => {
    const shopC = await posApiClient();
    await payment(shopC, acquirerX, { amount: 1_000n, status: 'AUTHORIZED', transactions: [authorized(1_000n, '2026-09-15')] });
    await payment(shopC, acquirerX, { amount: 20_000n, status: 'AUTHORIZED', transactions: [authorized(20_000n, '2026-10-03')] });
    await payment(shopC, acquirerX, { amount: 300_000n, status: 'AUTHORIZED', transactions: [authorized(300_000n, '2026-10-30')] });
    await refreshDailyStats({ rebuildFrom: at('2026-09-01', '00:00:00') });

    const authorisedAtC = async (from: string, to: string) => {
      // Ranked from the monthly rows per acquirer and brand, and from the store's monthly totals.
      const top = (await getOperatorStatistics({ from, to, acquirerId: acquirerX })).topStores.find((row) => row.store.id === shopC.storeId)?.byCurrency[0]?.authorizations.amount;
      const overAll = (await getOperatorStatistics({ from, to })).topStores.find((row) => row.store.id === shopC.storeId)?.byCurrency[0]?.authorizations.amount;
      // The same store's figures from its daily rows alone.
      const daily = (await getOperatorStatistics({ from, to, storeId: shopC.storeId })).totals.byCurrency[0]?.authorizations.amount;
      expect(top).toBe(daily);
      expect(overAll).toBe(daily);
      return top;
    };
    // September's 11 days from the daily rows, October whole, November's 11 days from the daily rows.
    expect(await authorisedAtC('2026-09-20', '2026-11-11')).toBe('320000');
    // October's row less its first three days.
    expect(await authorisedAtC('2026-10-04', '2026-11-11')).toBe('300000');
    // September's row less its first nine days, and October's first two days.
    expect(await authorisedAtC('2026-09-10', '2026-10-02')).toBe('1000');
    expect(await authorisedAtC('2026-09-16', '2026-10-02')).toBeUndefined();

    const ranked = await getOperatorStatistics({ from: '2026-10-04', to: '2026-11-11', acquirerId: acquirerX, currency: 'JPY' });
    expect(ranked.topStores.map((row) => [row.store.id, row.byCurrency[0]!.authorizations.amount, row.byCurrency[0]!.declines.count])).toEqual([
      [shopC.storeId, '300000', 0],
      [shopB.storeId, '99999', 1],
      [shopA.storeId, '10000', 1],
      [strangerStoreId, '4444', 0],
    ]);
  });
});
