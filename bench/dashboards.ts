/**
 * Dashboards: the operator's statistics page and one store's, over 10 M payments of 10,000 stores in a year
 * (--quick: 200 k payments of 200 stores). Loads the dataset once into its own database of the bench server
 * (bench/dashboards-dataset.ts), rebuilds the statistics rollups over it (kept too, rebuilt when the rollup's
 * code or the migrations change), then times what the pages call, one call at a time, p95 of 20 runs after
 * warm-up: the operator's page (getOperatorStatistics and getStatisticsFilterOptions) with its default period
 * and with 366 days, without filters, with an acquirer and brand, and with one store; a store's page
 * (getStoreStatistics and its filter options) with both periods; and, for information, the acquirers'
 * settlement report and the worker's rollup run with nothing new.
 *
 * "Today" is the dataset's anchor (the minute it was loaded), so a dataset loaded days ago answers the same.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createPrismaClient, type Db } from '@/lib/db/client';
import { applyMigrations, migrationsDir } from '@/lib/db/schema-engine';
import { getAcquirerSettlementReport } from '@/lib/stats/get-acquirer-settlement-report';
import { getOperatorStatistics } from '@/lib/stats/get-operator-statistics';
import { getStatisticsFilterOptions } from '@/lib/stats/get-statistics-filter-options';
import { getStoreStatistics } from '@/lib/stats/get-store-statistics';
import { refreshDailyStats } from '@/lib/stats/refresh-daily-stats';
import { benchId, DATASET_VERSION, KIND, loadDataset, readDatasetMarker, type DatasetSizes, type LoadedDataset } from './dashboards-dataset';
import { distribution, timeRuns, type Figure } from './support/figures';
import type { BenchPart } from './support/part';

const FULL: DatasetSizes = { payments: 10_000_000, stores: 10_000, days: 365 };
const QUICK: DatasetSizes = { payments: 200_000, stores: 200, days: 365 };
const RUNS = 20;
const OPERATOR_TARGET_MS = 200;
const STORE_TARGET_MS = 50;
const DAY_MS = 86_400_000;

/** What the rollup was built by: the migrations and the rollup's code. Another signature rebuilds it. */
async function rollupSignature(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of (await readdir(migrationsDir)).sort()) hash.update(name);
  for (const file of ['lib/stats/refresh-daily-stats.ts', 'lib/payments/settlement-events.ts']) hash.update(await readFile(path.join(process.cwd(), file)));
  return hash.digest('hex').slice(0, 16);
}

async function connectTo(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The dataset in `database`: reused when its marker matches, loaded (into a fresh database) otherwise. */
async function prepareDataset(context: Parameters<BenchPart['run']>[0], database: string, sizes: DatasetSizes): Promise<{ url: string; dataset: LoadedDataset; reused: boolean }> {
  const server = await context.postgres();
  let url = await server.database(database);
  const client = await connectTo(url);
  const marker = await readDatasetMarker(client).finally(() => client.end());
  if (marker && marker.version === DATASET_VERSION && marker.payments === sizes.payments && marker.stores === sizes.stores && marker.days === sizes.days) {
    context.log(`reusing the dataset loaded ${marker.loadedAt.toISOString()} (${marker.rows.toLocaleString('en')} rows)`);
    await applyMigrations(url);
    return { url, dataset: marker, reused: true };
  }
  context.log(marker ? `the dataset in ${database} is of another version or size: loading it again` : `no complete dataset in ${database}: loading it`);
  await server.dropDatabase(database);
  url = await server.database(database);
  await applyMigrations(url);
  const dataset = await loadDataset(() => connectTo(url), sizes, context.log);
  return { url, dataset, reused: false };
}

/** The rollups over the dataset, rebuilt unless a rebuild by this code is recorded. The rebuild's seconds. */
async function prepareRollup(context: Parameters<BenchPart['run']>[0], url: string, prisma: Db, dataset: LoadedDataset, signature: string): Promise<{ seconds: number; storeDays: number; reused: boolean }> {
  const client = await connectTo(url);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_bench_rollup" ("signature" text PRIMARY KEY, "seconds" float8 NOT NULL, "storeDays" bigint NOT NULL, "builtAt" timestamptz NOT NULL)`);
    const { rows } = await client.query<{ seconds: number; storeDays: string }>(`SELECT "seconds", "storeDays" FROM "_bench_rollup" WHERE "signature" = $1`, [signature]);
    if (rows[0]) {
      context.log(`reusing the rollups (rebuilt in ${rows[0].seconds.toFixed(0)} s)`);
      return { seconds: rows[0].seconds, storeDays: Number(rows[0].storeDays), reused: true };
    }
    context.log('rebuilding the statistics rollups over the dataset');
    const started = performance.now();
    const result = await refreshDailyStats({ prisma, now: dataset.anchor, rebuildFrom: new Date(dataset.anchor.getTime() - (dataset.days + 1) * DAY_MS) });
    const seconds = (performance.now() - started) / 1000;
    await client.query(`VACUUM ANALYZE`);
    await client.query(`DELETE FROM "_bench_rollup"`);
    await client.query(`INSERT INTO "_bench_rollup" VALUES ($1, $2, $3, now())`, [signature, seconds, result.storeDays]);
    context.log(`rollups rebuilt in ${seconds.toFixed(0)} s: ${result.storeDays.toLocaleString('en')} store-days`);
    return { seconds, storeDays: result.storeDays, reused: false };
  } finally {
    await client.end();
  }
}

export const dashboards: BenchPart = {
  name: 'dashboards',
  title: 'Dashboards over 10 M payments, 10,000 stores',
  async run(context) {
    // Taken before anything else: the code this process runs, not what the files hold by the time the rollup is rebuilt.
    const signature = await rollupSignature();
    const sizes = context.quick ? QUICK : FULL;
    const database = context.quick ? 'bench_dashboards_quick' : 'bench_dashboards_10m';
    const { url, dataset, reused } = await prepareDataset(context, database, sizes);
    const prisma = createPrismaClient(url, 10);
    // The statistics functions read through db(), the process-wide client: point it at this database for the
    // part's duration only, and put back whatever was there.
    const global = globalThis as unknown as { serverposPrisma?: Db };
    const previous = global.serverposPrisma;
    global.serverposPrisma = prisma;
    try {
      const rollup = await prepareRollup(context, url, prisma, dataset, signature);
      const now = dataset.anchor;
      const today = now.toISOString().slice(0, 10);
      const yearAgo = new Date(now.getTime() - 365 * DAY_MS).toISOString().slice(0, 10);
      const year = { from: yearAgo, to: today };
      const acquirerId = benchId(KIND.acquirer, 1);
      const storeId = benchId(KIND.store, 1);

      const figures: Figure[] = [];
      const details: Record<string, unknown> = {};
      const measure = async (id: string, label: string, run: () => Promise<unknown>, target?: number) => {
        const samples = await timeRuns(run, { runs: RUNS, warmup: 3 });
        const stats = distribution(samples);
        details[id] = stats;
        context.log(`${label}: p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms`);
        figures.push({ id: `dashboards.${id}_p95_ms`, label: `${label}, p95`, value: stats.p95, unit: 'ms', ...(target ? { target: { op: '<=' as const, value: target } } : {}), note: `p50 ${stats.p50.toFixed(1)} ms of ${RUNS} runs` });
      };
      // What app/(operator)/operator/statistics/page.tsx calls for a request.
      const operatorPage = (query: Parameters<typeof getOperatorStatistics>[0]) => async () => {
        await getOperatorStatistics({ ...query, now });
        await getStatisticsFilterOptions();
      };
      // What the store's statistics page calls.
      const storePage = (query: Omit<Parameters<typeof getStoreStatistics>[0], 'storeId'>) => async () => {
        await getStoreStatistics({ ...query, storeId, now });
        await getStatisticsFilterOptions({ storeId });
      };
      await measure('operator_30d', 'operator page, default 30 days', operatorPage({}), OPERATOR_TARGET_MS);
      await measure('operator_366d', 'operator page, 366 days', operatorPage(year), OPERATOR_TARGET_MS);
      await measure('operator_30d_acquirer_brand', 'operator page, 30 days, acquirer + brand', operatorPage({ acquirerId, brand: 'VISA' }), OPERATOR_TARGET_MS);
      await measure('operator_366d_acquirer_brand', 'operator page, 366 days, acquirer + brand', operatorPage({ ...year, acquirerId, brand: 'VISA' }), OPERATOR_TARGET_MS);
      await measure('operator_366d_currency', 'operator page, 366 days, currency', operatorPage({ ...year, currency: 'JPY' }), OPERATOR_TARGET_MS);
      await measure('operator_30d_store', 'operator page, 30 days, one store', operatorPage({ storeId }), OPERATOR_TARGET_MS);
      await measure('operator_366d_store', 'operator page, 366 days, one store', operatorPage({ ...year, storeId }), OPERATOR_TARGET_MS);
      await measure('store_30d', 'store page, default 30 days', storePage({}), STORE_TARGET_MS);
      await measure('store_366d', 'store page, 366 days', storePage(year), STORE_TARGET_MS);
      await measure('acquirer_report_7d', 'acquirer settlement report, 7 days, every store', () =>
        getAcquirerSettlementReport({ acquirerId, from: new Date(now.getTime() - 6 * DAY_MS).toISOString().slice(0, 10), to: today, now }),
      );
      await measure('acquirer_report_30d_merchant', 'acquirer settlement report, 30 days, one merchant', () => getAcquirerSettlementReport({ acquirerId, merchantNumber: 'B1-1', now }));
      await measure('rollup_incremental', 'rollup run with nothing new', () => refreshDailyStats({ prisma }));

      const loadSeconds = dataset.insertSeconds + dataset.indexSeconds + dataset.vacuumSeconds;
      const loadedNote = reused ? `loaded ${dataset.loadedAt.toISOString()} and reused` : 'loaded by this run';
      figures.unshift(
        {
          id: 'dashboards.load_rows_per_s',
          label: `load rate (${dataset.rows.toLocaleString('en')} rows)`,
          value: dataset.rows / loadSeconds,
          unit: 'rows/s',
          note: `${loadedNote}: ${loadSeconds.toFixed(0)} s = insert ${dataset.insertSeconds.toFixed(0)} s + indexes ${dataset.indexSeconds.toFixed(0)} s + VACUUM ANALYZE ${dataset.vacuumSeconds.toFixed(0)} s`,
        },
        { id: 'dashboards.load_s', label: 'dataset load', value: loadSeconds, unit: 's', note: loadedNote },
        { id: 'dashboards.rollup_rebuild_s', label: `rollup rebuild (${rollup.storeDays.toLocaleString('en')} store-days)`, value: rollup.seconds, unit: 's', note: rollup.reused ? 'rebuilt by an earlier run and reused' : 'rebuilt by this run' },
      );
      return { figures, details: { sizes, dataset, rollup, anchor: now.toISOString(), runs: RUNS, timings: details } };
    } finally {
      if (global.serverposPrisma === prisma) {
        if (previous) global.serverposPrisma = previous;
        else delete global.serverposPrisma;
      }
      await prisma.$disconnect();
    }
  },
};
