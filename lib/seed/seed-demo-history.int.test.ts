/**
 * The demo's seeded payment history, on a database of its own (a fresh embedded PGlite): the demo seed
 * writes fixed store names and addresses that other tests must not see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/lib/db/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/schema-engine';
import { seedDemo } from '@/lib/seed/seed-demo';
import { DEMO_HISTORY_DAYS, SEED_ORDER_PREFIX, seedDemoHistory } from '@/lib/seed/seed-demo-history';

let embedded: EmbeddedPostgres;
let prisma: Db;
const passwords = { operator: 'demo-operator-password', stores: ['demo-store-password-1', 'demo-store-password-2'] as [string, string] };

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null });
  await applyMigrations(embedded.url);
  prisma = createPrismaClient(embedded.url, 2);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await embedded?.stop();
});

describe('seedDemoHistory', () => {
  it('gives the demo stores about 60 days of payments of every kind, marked as seeded, with the statistics rolled up; once', async () => {
    const now = new Date();
    await seedDemo(prisma, passwords);

    const payments = await prisma.payment.findMany({ include: { order: { select: { shopOrderRef: true, status: true } }, transactions: true } });
    expect(payments.length).toBeGreaterThan(500);
    expect(payments.length).toBeLessThan(5_000);
    // Marked as seeded history, and impossible to confuse with a real payment.
    expect(payments.every((payment) => payment.order.shopOrderRef.startsWith(SEED_ORDER_PREFIX) && payment.xid.startsWith('seed:'))).toBe(true);
    // Card data: the masked number at most, never a full card number anywhere in the rows.
    expect(payments.every((payment) => payment.maskedPan === null || /^\d{6}\*{6}\d{4}$/.test(payment.maskedPan))).toBe(true);
    const text = JSON.stringify(payments, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    expect(['4111111111111111', '5555555555554444', '3530111333300000'].filter((pan) => text.includes(pan))).toEqual([]);
    // Nothing in the future, nothing older than the period, nothing left for the worker to do.
    const oldest = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (DEMO_HISTORY_DAYS - 1) * 86_400_000;
    const times = payments.flatMap((payment) => payment.transactions.map((transaction) => transaction.completedAt!.getTime()));
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(oldest);
    expect(payments.some((payment) => ['PENDING', 'AUTHORIZING', 'UNKNOWN'].includes(payment.status) || payment.order.status === 'OPEN')).toBe(false);
    // Every kind the statistics count, across both stores, their acquirers and brands, with several decline reasons.
    const statuses = new Set(payments.map((payment) => payment.status));
    for (const status of ['AUTHORIZED', 'CAPTURED', 'DECLINED', 'VOIDED'] as const) expect(statuses).toContain(status);
    expect(payments.some((payment) => payment.refundedAmount > 0n)).toBe(true);
    expect(new Set(payments.map((payment) => payment.storeId)).size).toBe(2);
    expect(new Set(payments.map((payment) => payment.brand))).toEqual(new Set(['VISA', 'MASTER', 'JCB', 'BANK']));
    expect(new Set(payments.map((payment) => payment.currency))).toEqual(new Set(['JPY', 'USD']));
    expect(new Set(payments.filter((payment) => payment.status === 'DECLINED').map((payment) => payment.declineCode)).size).toBeGreaterThanOrEqual(3);

    // The rollups hold them: every approval of the history is in the acquirer-level totals.
    const approvals = payments.filter((payment) => payment.transactions.some((transaction) => transaction.type === 'AUTHORIZE' && transaction.status === 'SUCCEEDED')).length;
    const totals = await prisma.dailyAcquirerStats.aggregate({ _sum: { authorizationCount: true, declineCount: true } });
    expect(totals._sum.authorizationCount).toBe(approvals);
    expect(totals._sum.declineCount).toBe(payments.filter((payment) => payment.status === 'DECLINED').length);
    expect(await prisma.dailyDeclineStats.count()).toBeGreaterThan(0);

    // The next start writes nothing more.
    await seedDemo(prisma, passwords);
    expect(await seedDemoHistory(prisma)).toEqual({ seeded: false, payments: 0 });
    expect(await prisma.payment.count()).toBe(payments.length);
  });
});
