/**
 * Part "certificates": the worker's expiry scan over 1 M certificates, and "renew all" for a store with 10
 * POSes × 5 acquirers.
 *
 * 1. Expiry scan. The dataset (certificates-dataset.ts) is in the state a worker scanning every minute leaves
 *    it in. Each timed run moves the benchmark's clock on by a minute, as the worker's next pass would, and
 *    brings two more certificates inside the 30-day window, so that every run has alerts to send: those that
 *    crossed a threshold (or expired) in that minute — about four per minute over 1 M certificates spread
 *    over two years — and those two. The figure is scanExpiringCertificates itself (alert rows, e-mails
 *    queued and audit events in their transactions), p95 over the runs. Then 1,000 certificates are brought
 *    inside the window at once, for the cost of a big batch (per alert).
 * 2. Renew all. certificates-renew-all.ts, in its own process, against the real simulated CA over HTTP.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { scanExpiringCertificates, type ExpiryScanResult } from '@/lib/certificates/scan-expiring-certificates';
import { createPrismaClient } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/schema-engine';
import { DATASET_VERSION, loadCertificates, readCertificatesMarker, saveClock, type LoadedCertificates } from './certificates-dataset';
import type { RenewAllResult } from './certificates-renew-all';
import { distribution, type Figure } from './support/figures';
import type { BenchContext, BenchPart, PartResult } from './support/part';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Certificates brought inside the 30-day window before each steady-state run, on top of those the minute brings. */
const FRESH_PER_RUN = 2;
const BIG_BATCH = 1_000;

/**
 * Brings `count` ACTIVE certificates that owe nothing yet (more than 31 days left), picked at random, inside the
 * alert windows: their notAfter moves to within `withinMs` after `now`, so each owes exactly one alert. The
 * sample reads a few random pages of the table (about three times the rows needed), not all of it.
 */
async function makeDue(client: pg.Client, now: Date, count: number, withinMs: number, size: number): Promise<number> {
  const percent = Math.min(100, ((count * 3 + 50) / size) * 100);
  const moved = await client.query(
    `UPDATE "Certificate" SET "notAfter" = x."notAfter", "notBefore" = x."notAfter" - interval '365 days', "updatedAt" = now() AT TIME ZONE 'UTC'
       FROM (SELECT $1::timestamptz AT TIME ZONE 'UTC' + make_interval(secs => (1 + random() * ($3::float8 / 1000 - 2))) AS "notAfter") x
      WHERE "id" IN (SELECT "id" FROM "Certificate" TABLESAMPLE SYSTEM (${percent.toFixed(4)})
                      WHERE "status" = 'ACTIVE' AND "notAfter" > $1::timestamptz AT TIME ZONE 'UTC' + interval '31 days'
                      ORDER BY random() LIMIT $2)`,
    [now, count, withinMs],
  );
  return moved.rowCount ?? 0;
}

async function expiryScan(context: BenchContext): Promise<PartResult> {
  const size = context.quick ? 100_000 : 1_000_000;
  const name = context.quick ? 'bench_certificates_quick' : 'bench_certificates';
  const server = await context.postgres();
  let url = await server.database(name);
  const connect = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };

  let client = await connect();
  let marker = await readCertificatesMarker(client);
  let loadSeconds: number | null = null;
  const reusable = marker && marker.version === DATASET_VERSION && marker.certificates === size && Number((await client.query(`SELECT COUNT(*) AS "n" FROM "Certificate"`)).rows[0].n) === size;
  await client.end();
  // Migrations added since the load (an index, say) are applied to the kept dataset; one it cannot take
  // (a migration edited since) means loading again.
  const migrated = reusable && (await applyMigrations(url).then(
    () => true,
    (error: unknown) => {
      context.log(`the kept dataset does not take the migrations (${error instanceof Error ? error.message : String(error)}): loading again`);
      return false;
    },
  ));
  if (reusable && migrated) {
    context.log(`reusing ${size.toLocaleString('en')} certificates loaded ${marker!.loadedAt.toISOString()} (clock at ${marker!.clock.toISOString()})`);
  } else {
    if (!reusable) context.log(marker ? `the kept dataset is ${marker.version} with ${marker.certificates} certificates: loading again` : `no complete dataset in ${name}: loading ${size.toLocaleString('en')} certificates`);
    await server.dropDatabase(name);
    url = await server.database(name);
    await applyMigrations(url);
    const started = performance.now();
    await loadCertificates(connect, size, context.log);
    loadSeconds = (performance.now() - started) / 1000;
  }
  client = await connect();
  marker = (await readCertificatesMarker(client)) as LoadedCertificates & { version: string };

  const prisma = createPrismaClient(url, 4);
  let clock = marker.clock;
  const scan = async (now: Date): Promise<ExpiryScanResult & { ms: number }> => {
    const started = performance.now();
    const result = await scanExpiringCertificates({ prisma, now, appUrl: 'https://serverpos.example' });
    const ms = performance.now() - started;
    await saveClock(client, now);
    return { ...result, ms };
  };
  try {
    // Untimed: catch up to the clock (after a load nothing is owed; after an interrupted bench, what it left),
    // then warm up — two scans with alerts to send, so that the first timed one does not pay for first use.
    for (let warmup = 0; warmup < 3; warmup++) {
      clock = new Date(clock.getTime() + MINUTE_MS);
      if (warmup > 0) await makeDue(client, clock, FRESH_PER_RUN, 30 * DAY_MS, size);
      const untimed = await scan(clock);
      context.log(`${warmup === 0 ? 'catch-up' : 'warm-up'} scan: ${untimed.alertsSent} alerts, ${untimed.expired} expired, ${untimed.ms.toFixed(0)} ms`);
    }

    const runs = context.quick ? 10 : 30;
    const samples: (ExpiryScanResult & { ms: number })[] = [];
    for (let run = 0; run < runs; run++) {
      clock = new Date(clock.getTime() + MINUTE_MS);
      await makeDue(client, clock, FRESH_PER_RUN, 30 * DAY_MS, size);
      samples.push(await scan(clock));
    }
    const steady = distribution(samples.map((sample) => sample.ms));
    const alerts = samples.map((sample) => sample.alertsSent);
    const expired = samples.map((sample) => sample.expired);
    context.log(`steady state: p50 ${steady.p50.toFixed(0)} ms, p95 ${steady.p95.toFixed(0)} ms, max ${steady.max.toFixed(0)} ms; alerts per run ${Math.min(...alerts)}–${Math.max(...alerts)}, expired per run ${Math.min(...expired)}–${Math.max(...expired)}`);

    clock = new Date(clock.getTime() + MINUTE_MS);
    const moved = await makeDue(client, clock, BIG_BATCH, 30 * DAY_MS, size);
    const big = await scan(clock);
    context.log(`big batch: ${moved} brought due, ${big.alertsSent} alerts sent in ${big.ms.toFixed(0)} ms`);

    const label = size === 1_000_000 ? '1 M' : `${size / 1000} k`;
    const figures: Figure[] = [
      ...(loadSeconds !== null ? [{ id: 'certificates.load_s', label: `load ${label} certificates (this run)`, value: loadSeconds, unit: 's' }] : []),
      { id: 'certificates.scan_p50_ms', label: `expiry scan over ${label}, steady state, p50`, value: steady.p50, unit: 'ms' },
      {
        id: 'certificates.scan_p95_ms',
        label: `expiry scan over ${label}, steady state, p95`,
        value: steady.p95,
        unit: 'ms',
        target: { op: '<=', value: 500 },
        note: `${runs} scans a simulated minute apart, ${Math.min(...alerts)}–${Math.max(...alerts)} alerts (mean ${(alerts.reduce((a, b) => a + b, 0) / runs).toFixed(1)}) and ${Math.min(...expired)}–${Math.max(...expired)} expiries each; max ${steady.max.toFixed(0)} ms`,
      },
      { id: 'certificates.scan_max_ms', label: `expiry scan over ${label}, steady state, max`, value: steady.max, unit: 'ms' },
      {
        id: 'certificates.scan_big_batch_ms',
        label: `expiry scan with ${BIG_BATCH.toLocaleString('en')} due`,
        value: big.ms,
        unit: 'ms',
        note: `${big.alertsSent} alerts, ${(big.ms / Math.max(1, big.alertsSent)).toFixed(2)} ms per alert (row, e-mail queued, audit event: one transaction each)`,
      },
    ];
    return { figures, details: { dataset: { ...marker, clock }, loadSeconds, steady, samples, bigBatch: { moved, ...big } } };
  } finally {
    await prisma.$disconnect();
    await client.end();
  }
}

const require = createRequire(import.meta.url);

async function renewAll(context: BenchContext): Promise<PartResult> {
  const name = 'bench_certificates_renewal';
  const server = await context.postgres();
  // A fresh database each time: the simulators' state (merchants, serials) is fresh too.
  await server.dropDatabase(name);
  const url = await server.database(name);
  await applyMigrations(url);

  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'bench/certificates-renew-all.ts'], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) context.log(`renew all: ${line}`);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (pending) context.log(`renew all: ${pending}`);
  if (code !== 0) throw new Error(`the renew-all run exited with ${code}`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as RenewAllResult;
  for (const error of result.errors.slice(0, 10)) context.log(`renew all: ${error}`);

  const items = distribution(result.itemMs);
  const expected = result.links * 2;
  // A run that did not renew everything, validly, is not a time.
  const complete = result.failed === 0 && result.succeeded === result.links && result.newCertificates === expected;
  return {
    figures: [
      {
        id: 'certificates.renew_all_s',
        label: `renew all, ${expected} certificates (${result.links} POS × acquirer)`,
        value: complete ? result.renewAllMs / 1000 : null,
        unit: 's',
        target: { op: '<=', value: 15 },
        note: complete
          ? `every item renewed through the simulated CA; ${result.newCertificates} new certificates valid and matching their stored keys; start ${result.startMs.toFixed(0)} ms, worker ${result.workMs.toFixed(0)} ms`
          : `INCOMPLETE: ${result.succeeded} of ${result.links} items succeeded, ${result.newCertificates} of ${expected} new certificates valid`,
      },
      { id: 'certificates.renew_item_p50_ms', label: 'renew all: one item (2 key pairs + CA), p50', value: items.p50, unit: 'ms' },
      { id: 'certificates.renew_item_max_ms', label: 'renew all: one item, max', value: items.max, unit: 'ms', note: `${result.averageConcurrency.toFixed(1)} items under way at once on average` },
      { id: 'certificates.register_all_s', label: `first registration of the ${result.links} links (setup)`, value: result.registrationSeconds, unit: 's' },
    ],
    details: { renewAll: result, items },
  };
}

export const certificates: BenchPart = {
  name: 'certificates',
  title: 'Certificates: expiry scan over 1 M, renew all 100',
  async run(context) {
    const scan = await expiryScan(context);
    const renew = await renewAll(context);
    return { figures: [...scan.figures, ...renew.figures], details: { expiryScan: scan.details, renewAll: renew.details } };
  },
};
