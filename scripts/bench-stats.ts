/**
 * `npm run bench:stats -- [payments] [stores] [days]` (payments 0: time again what an earlier run loaded): how fast the statistics dashboards answer over a big
 * payment history. Not part of `npm test`; run it against a throwaway PostgreSQL database (DATABASE_URL),
 * since it writes millions of rows and leaves them there.
 *
 * Bulk-loads `payments` payments (default 1,000,000; the figure is 10,000,000) of `stores` stores
 * (default 1,000) over the last `days` days (default 365) with generate_series — orders, payments and their
 * authorisation, capture and refund transactions, set-based, inside PostgreSQL — then rebuilds the rollups
 * and times each dashboard query (p50 and p95 of 20 runs, after a warm-up).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { db } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/schema-engine';
import { env } from '@/lib/env';
import { getAcquirerSettlementReport } from '@/lib/stats/get-acquirer-settlement-report';
import { getOperatorStatistics } from '@/lib/stats/get-operator-statistics';
import { getStoreStatistics } from '@/lib/stats/get-store-statistics';
import { refreshDailyStats } from '@/lib/stats/refresh-daily-stats';

const [paymentsArg, storesArg, daysArg] = process.argv.slice(2);
const payments = Number(paymentsArg ?? 1_000_000);
const storeCount = Number(storesArg ?? 1_000);
const days = Number(daysArg ?? 365);
const RUNS = 20;
const CHUNK = 500_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(label: string, run: () => Promise<unknown>): Promise<void> {
  await run();
  const samples: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} p50 ${percentile(samples, 50).toFixed(1).padStart(8)} ms   p95 ${percentile(samples, 95).toFixed(1).padStart(8)} ms`);
}

async function load(): Promise<{ acquirerIds: string[]; storeIds: string[]; merchantNumbers: string[] }> {
  const prisma = db();
  const run = randomBytes(4).toString('hex');
  const acquirers = await Promise.all(
    ['VISA', 'JCB', 'BANK'].map((brand, index) =>
      prisma.acquirer.create({ data: { code: `BENCH-${run}-${index}`, name: `Bench acquirer ${run} ${brand}`, brands: [brand], gatewayUrl: 'http://127.0.0.1:9/set' }, select: { id: true } }),
    ),
  );
  const acquirerIds = acquirers.map((acquirer) => acquirer.id);
  // Stores, one POS each, a contract with every bench acquirer: set-based too.
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Store" ("id", "name", "contactEmail", "status", "updatedAt")
    SELECT ('${run}-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'Bench store ' || g, 'bench-' || g || '@${run}.test', 'ACTIVE', now()
      FROM generate_series(1, ${storeCount}) g`);
  await prisma.$executeRawUnsafe(`
    INSERT INTO "Pos" ("id", "storeId", "name", "updatedAt")
    SELECT ('${run}-0000-4000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, ('${run}-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'Web shop', now()
      FROM generate_series(1, ${storeCount}) g`);
  for (const [index, acquirerId] of acquirerIds.entries()) {
    await prisma.$executeRawUnsafe(`
      INSERT INTO "AcquirerContract" ("id", "storeId", "acquirerId", "merchantNumber", "status", "updatedAt")
      SELECT gen_random_uuid(), ('${run}-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, '${acquirerId}'::uuid, 'B${index}-${run.toUpperCase()}-' || g, 'VERIFIED', now()
        FROM generate_series(1, ${storeCount}) g`);
  }
  const started = performance.now();
  for (let from = 1; from <= payments; from += CHUNK) {
    const to = Math.min(payments, from + CHUNK - 1);
    // Payment g: store g % stores, acquirer (g / stores) % 3, spread evenly over the days; one in ten declined,
    // seven in ten of the rest captured an hour later, one in fifty of those refunded in part.
    const shape = `
      FROM generate_series(${from}::bigint, ${to}::bigint) g,
           LATERAL (SELECT (g % ${storeCount}) + 1 AS s, (g / ${storeCount}) % 3 AS a,
                           now() - make_interval(secs => (g * 7919 % (${days} * 86400))::double precision) AS at) x`;
    const id = (segment: string) => `('${run}-${segment}-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid`;
    const storeId = `('${run}-0000-4000-8000-' || lpad(to_hex(x.s), 12, '0'))::uuid`;
    const posId = `('${run}-0000-4000-9000-' || lpad(to_hex(x.s), 12, '0'))::uuid`;
    const acquirerId = `(ARRAY['${acquirerIds.join("','")}']::uuid[])[x.a + 1]`;
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Order" ("id", "storeId", "posId", "shopOrderRef", "amount", "currency", "lineItems", "description", "successUrl", "failureUrl", "status", "checkoutToken", "expiresAt", "createdAt", "updatedAt")
      SELECT ${id('0001')}, ${storeId}, ${posId}, 'bench-' || g, 1000 + g % 9000, 'JPY', '[]', 'bench', 'https://shop.example/ok', 'https://shop.example/ng', 'PAID', '${run}-' || g, x.at + interval '1 hour', x.at, x.at ${shape}`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "Payment" ("id", "storeId", "posId", "orderId", "acquirerId", "xid", "brand", "amount", "currency", "status", "capturedAmount", "declineCode", "createdAt", "updatedAt")
      SELECT ${id('0002')}, ${storeId}, ${posId}, ${id('0001')}, ${acquirerId}, 'bench:${run}:' || g, (ARRAY['VISA','JCB','BANK'])[x.a + 1], 1000 + g % 9000, 'JPY',
             (CASE WHEN g % 10 = 0 THEN 'DECLINED' WHEN g % 10 < 8 THEN 'CAPTURED' ELSE 'AUTHORIZED' END)::"PaymentStatus",
             CASE WHEN g % 10 BETWEEN 1 AND 7 THEN 1000 + g % 9000 ELSE 0 END,
             CASE WHEN g % 10 = 0 THEN (ARRAY['insufficient_funds','do_not_honor','expired_card'])[g % 3 + 1] END, x.at, x.at ${shape}`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "createdAt", "completedAt")
      SELECT ${id('0003')}, ${storeId}, ${id('0002')}, 'AUTHORIZE', (CASE WHEN g % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"PaymentTransactionStatus", 1000 + g % 9000, 'auth', x.at, x.at ${shape}`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "createdAt", "completedAt")
      SELECT ${id('0004')}, ${storeId}, ${id('0002')}, 'CAPTURE', 'SUCCEEDED', 1000 + g % 9000, 'capture', x.at + interval '1 hour', x.at + interval '1 hour' ${shape}
       WHERE g % 10 BETWEEN 1 AND 7`);
    await prisma.$executeRawUnsafe(`
      INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "createdAt", "completedAt")
      SELECT ${id('0005')}, ${storeId}, ${id('0002')}, 'REFUND', 'SUCCEEDED', 500, 'refund', x.at + interval '2 hours', x.at + interval '2 hours' ${shape}
       WHERE g % 50 = 1`);
    console.log(`loaded ${to.toLocaleString('en')} of ${payments.toLocaleString('en')} payments (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const storeIds = Array.from({ length: Math.min(storeCount, 5) }, (_, index) => `${run}-0000-4000-8000-${(index + 1).toString(16).padStart(12, '0')}`);
  return { acquirerIds, storeIds, merchantNumbers: [`B0-${run.toUpperCase()}-1`] };
}

// The bench reads and writes the database only: the rest of the configuration (secrets, mail, keys) is never
// used, so throwaway values satisfy env()'s checks where none is set. Nothing is signed, sent or encrypted.
const unused = { AUTH_SECRET: randomBytes(32).toString('base64url'), SMTP_URL: 'smtp://127.0.0.1:1', MASTER_KEYS: `1:${randomBytes(32).toString('base64url')}`, PARTNER_SECRET: randomBytes(24).toString('base64url') };
for (const [name, value] of Object.entries(unused)) process.env[name] ||= value;

/** With 0 payments: times the queries over what an earlier run loaded (its newest bench acquirers and stores). */
async function loaded(): Promise<{ acquirerIds: string[]; storeIds: string[]; merchantNumbers: string[] }> {
  const acquirers = await db().acquirer.findMany({ where: { code: { startsWith: 'BENCH-' } }, orderBy: [{ createdAt: 'desc' }, { code: 'asc' }], take: 3, select: { id: true } });
  if (acquirers.length === 0) throw new Error('no bench data in this database: run with a number of payments first');
  const contracts = await db().acquirerContract.findMany({ where: { acquirerId: acquirers[0]!.id }, take: 5, orderBy: { merchantNumber: 'asc' }, select: { storeId: true, merchantNumber: true } });
  return { acquirerIds: acquirers.map((acquirer) => acquirer.id), storeIds: contracts.map((contract) => contract.storeId), merchantNumbers: contracts.slice(0, 1).map((contract) => contract.merchantNumber) };
}

try {
  if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL to a throwaway PostgreSQL database');
  const url = env().DATABASE_URL;
  await applyMigrations(url);
  console.log(`bench:stats — ${payments.toLocaleString('en')} payments, ${storeCount.toLocaleString('en')} stores, ${days} days`);
  const { acquirerIds, storeIds, merchantNumbers } = payments > 0 ? await load() : await loaded();
  const rebuildStart = performance.now();
  const rebuilt = await refreshDailyStats({ rebuildFrom: new Date(Date.now() - (days + 1) * 86_400_000) });
  console.log(`rollup rebuilt: ${rebuilt.storeDays.toLocaleString('en')} store-days, ${rebuilt.days} days in ${((performance.now() - rebuildStart) / 1000).toFixed(1)} s`);
  await time('incremental rollup (nothing new)', () => refreshDailyStats());
  await time('operator, last 30 days', () => getOperatorStatistics({}));
  await time('operator, last 366 days', () => getOperatorStatistics({ from: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10) }));
  await time('operator, 30 days, one acquirer and brand', () => getOperatorStatistics({ acquirerId: acquirerIds[0], brand: 'VISA' }));
  await time('operator, 30 days, one store', () => getOperatorStatistics({ storeId: storeIds[0] }));
  await time('store, last 30 days', () => getStoreStatistics({ storeId: storeIds[0]! }));
  await time('store, last 366 days', () => getStoreStatistics({ storeId: storeIds[0]!, from: new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10) }));
  await time('acquirer report, 7 days, every store', () => getAcquirerSettlementReport({ acquirerId: acquirerIds[0]!, from: new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10) }));
  await time('acquirer report, 30 days, one merchant number', () => getAcquirerSettlementReport({ acquirerId: acquirerIds[0]!, merchantNumber: merchantNumbers[0] }));
  await db().$disconnect();
} catch (error) {
  console.error(`bench:stats: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
