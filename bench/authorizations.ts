/**
 * Part "authorizations": virtual cardholders paying through the real system.
 *
 * The whole stack runs as in production, each part its own process over real
 * sockets: ServerPOS's production build (`next start`) and its worker on the
 * bench PostgreSQL server, the simulated CA and acquirers (gateways keeping
 * their journaled ledgers), the local mail server and the sample shop that
 * receives the webhooks. The shop's orders are registered through the POS
 * API (the SDK) before each run; what is timed is the cardholder's part, as
 * the checkout page runs it: the wallet code of lib/checkout/run-wallet.ts
 * (PInitReq → PInitRes, verified against the CA with a fresh trust store as a
 * new page has → PReq with the card sealed to the gateway → PRes, verified).
 *
 * - Closed loop at concurrency 1, 8, 32 and 128: authorizations/s, latency
 *   percentiles, ServerPOS CPU (cores busy, CPU ms per authorization) and
 *   resident memory.
 * - Open loop at half the best rate (arrivals on a fixed schedule; latency
 *   counted from each arrival's scheduled time, so a stall is not hidden).
 * - ServerPOS's own cost per authorization, from the Server-Timing spans of
 *   its two answers (SERVER_TIMING=on): wall time less database, gateway and
 *   CA waits, at concurrency 1 where nothing else queues in front of it.
 * - Afterwards ServerPOS's records and the gateway's ledger must agree with
 *   what the cardholders were told, one for one.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { runWallet, walletParty, type WalletTrust } from '@/lib/checkout/run-wallet';
import { parseServerTiming } from '@/lib/observability/timing';
import { registerOrders, walletTrust, type PendingOrder } from '@/lib/testing/cardholders';
import { buildApp, buildIsStale, startStack, type RunningStack } from '@/scripts/stack';
import { ServerPosClient } from '@/sdk';
import { freePorts, writeDemoSimConfig } from '@/sim/testing/test-merchant';
import { cryptoLimitPart } from './crypto-limit';
import { distribution, type Distribution, type Figure } from './support/figures';
import type { BenchContext, BenchPart } from './support/part';
import { processTree, usageOf } from './support/process-usage';

const CARD = { kind: 'card' as const, pan: '4111111111111111', expiry: '2031-12', cvc: '123' };
const CUSTOMER = { name: 'Bench Cardholder', email: 'cardholder@bench.example' };
const MERCHANT_NUMBER = 'M-SAKURA-0001';

interface Purchase {
  latencyMs: number;
  /** ServerPOS's own milliseconds over both answers (init + pay), and its waits. */
  ownMs: number;
  dbMs: number;
  gatewayMs: number;
  /** Database calls over both answers: statements and waits for a pooled connection. */
  dbCalls: number;
  ok: boolean;
  outcome: string;
}

export interface LevelResult {
  concurrency: number | 'open';
  authorizations: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: Distribution;
  own: Distribution;
  dbWait: Distribution;
  gatewayWait: Distribution;
  dbCalls: Distribution;
  /** Cores ServerPOS's app kept busy on average, and its CPU milliseconds per authorization. */
  appCores: number;
  appCpuMsPerAuth: number;
  workerCores: number;
  /** Highest resident memory of the app seen during the run. */
  appRssMiB: number;
  /** CPU milliseconds per authorization of every process on the machine that took part. */
  cpuMsPerAuth: Record<'app' | 'worker' | 'postgres' | 'simulators' | 'cardholders' | 'mailAndShop', number>;
  outcomes: Record<string, number>;
}

/** One cardholder's checkout, as the page runs it; timed from `startedAt` (an open loop's scheduled arrival). */
async function purchase(appUrl: string, trust: WalletTrust, order: PendingOrder, startedAt = performance.now()): Promise<Purchase> {
  const spans = { own: 0, db: 0, gateway: 0, dbCalls: 0, answers: 0 };
  const timedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const timing = parseServerTiming(response.headers.get('server-timing'));
    if (timing.own !== undefined) {
      spans.own += timing.own;
      spans.db += timing.db ?? 0;
      spans.gateway += timing.gateway ?? 0;
      spans.dbCalls += timing['db.calls'] ?? 0;
      spans.answers++;
    }
    return response;
  };
  let outcome: string;
  try {
    const result = await runWallet({ token: order.token, orderId: order.id, description: order.description, brand: 'VISA', account: CARD, customer: CUSTOMER, party: walletParty(trust), fetch: timedFetch, baseUrl: appUrl });
    outcome = result.status === 'approved' ? 'approved' : `${result.status}:${result.code}`;
  } catch (error) {
    outcome = `exception:${error instanceof Error ? error.message.slice(0, 80) : String(error)}`;
  }
  const ok = outcome === 'approved' && spans.answers === 2;
  return { latencyMs: performance.now() - startedAt, ownMs: spans.own, dbMs: spans.db, gatewayMs: spans.gateway, dbCalls: spans.dbCalls, ok, outcome };
}

/** The processes taking part, by role: each one's tree, looked up afresh (PostgreSQL starts a backend per connection). */
function roles(stack: RunningStack, postgresPid: number | undefined): Record<keyof LevelResult['cpuMsPerAuth'], () => number[]> {
  const sims = stack.simulators?.pids() ?? {};
  return {
    app: () => processTree(stack.pids.app!),
    worker: () => processTree(stack.pids.worker!),
    postgres: () => (postgresPid ? processTree(postgresPid) : []),
    simulators: () => Object.values(sims).flatMap((pid) => processTree(pid)),
    cardholders: () => [],
    mailAndShop: () => [stack.pids.mail, stack.pids.shop].flatMap((pid) => (pid ? processTree(pid) : [])),
  };
}

/** Measures a run: every taking part's CPU over it, and the app's resident memory sampled every 100 ms. */
async function measured(stack: RunningStack, postgresPid: number | undefined, run: () => Promise<Purchase[]>, concurrency: LevelResult['concurrency']): Promise<LevelResult> {
  const groups = roles(stack, postgresPid);
  const cpu = () => {
    const seconds = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, usageOf(pids()).cpuSeconds])) as Record<keyof LevelResult['cpuMsPerAuth'], number>;
    const own = process.cpuUsage();
    seconds.cardholders = (own.user + own.system) / 1e6;
    return seconds;
  };
  let appRssMiB = usageOf(groups.app()).rssMiB;
  const sampler = setInterval(() => {
    appRssMiB = Math.max(appRssMiB, usageOf(groups.app()).rssMiB);
  }, 100);
  const before = cpu();
  const started = performance.now();
  const purchases = await run().finally(() => clearInterval(sampler));
  const seconds = (performance.now() - started) / 1000;
  const after = cpu();
  const spent = Object.fromEntries(Object.keys(before).map((name) => [name, after[name as keyof typeof after] - before[name as keyof typeof before]])) as typeof before;
  const perAuth = Object.fromEntries(Object.entries(spent).map(([name, value]) => [name, Math.round((value * 1000 * 10) / Math.max(1, purchases.length)) / 10])) as LevelResult['cpuMsPerAuth'];
  const good = purchases.filter((one) => one.ok);
  const outcomes: Record<string, number> = {};
  for (const one of purchases) outcomes[one.outcome] = (outcomes[one.outcome] ?? 0) + 1;
  return {
    concurrency,
    authorizations: purchases.length,
    errors: purchases.length - good.length,
    seconds,
    perSecond: good.length / seconds,
    latency: distribution(purchases.map((one) => one.latencyMs)),
    own: distribution(good.map((one) => one.ownMs)),
    dbWait: distribution(good.map((one) => one.dbMs)),
    gatewayWait: distribution(good.map((one) => one.gatewayMs)),
    dbCalls: distribution(good.map((one) => one.dbCalls)),
    appCores: spent.app / seconds,
    appCpuMsPerAuth: perAuth.app,
    workerCores: spent.worker / seconds,
    appRssMiB,
    cpuMsPerAuth: perAuth,
    outcomes,
  };
}

/** `concurrency` cardholders, each paying one order after another until the orders run out. */
function closedLoop(appUrl: string, trust: WalletTrust, orders: PendingOrder[], concurrency: number): () => Promise<Purchase[]> {
  return async () => {
    const purchases: Purchase[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < orders.length) purchases.push(await purchase(appUrl, trust, orders[next++]!));
      }),
    );
    return purchases;
  };
}

/** Arrivals at `rate` per second on a fixed schedule, each a new cardholder, whatever the answers' pace. */
function openLoop(appUrl: string, trust: WalletTrust, orders: PendingOrder[], rate: number): () => Promise<Purchase[]> {
  return async () => {
    const start = performance.now();
    const pending: Promise<Purchase>[] = [];
    for (const [index, order] of orders.entries()) {
      const due = start + (index * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending.push(purchase(appUrl, trust, order, due));
    }
    return Promise.all(pending);
  };
}

/** Where the database's time went: the statements that took the most of it since the last reset. */
async function topStatements(databaseUrl: string, reset: boolean): Promise<{ query: string; calls: number; totalMs: number; meanMs: number }[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    if (reset) {
      await client.query('SELECT pg_stat_statements_reset()');
      return [];
    }
    const { rows } = await client.query<{ query: string; calls: string; total: number; mean: number }>(
      `SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 15`,
    );
    return rows.map((row) => ({ query: row.query.replace(/\s+/g, ' ').slice(0, 160), calls: Number(row.calls), totalMs: Math.round(row.total), meanMs: Math.round(row.mean * 1000) / 1000 }));
  } catch {
    return []; // a server without pg_stat_statements: nothing to show
  } finally {
    await client.end();
  }
}

/** Waits until the worker has delivered every outbox message (or `timeoutMs` passed); true when it has. */
async function outboxDrained(stack: RunningStack, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    for (const until = Date.now() + timeoutMs; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 500))) {
      const { rows } = await client.query<{ waiting: string }>(`SELECT count(*) AS waiting FROM "OutboxMessage" WHERE status IN ('PENDING', 'DISPATCHED')`);
      if (Number(rows[0]!.waiting) === 0) return true;
    }
    return false;
  } finally {
    await client.end();
  }
}

/** ServerPOS's records and the gateway's ledger, against what the cardholders were told. */
async function reconcile(stack: RunningStack): Promise<{ serverpos: number; ledger: number }> {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  const counted = await client
    .query<{ count: string }>(`SELECT count(*) FROM "Payment" p JOIN "Order" o ON o.id = p."orderId" WHERE o."shopOrderRef" LIKE 'bench-%' AND p.status IN ('AUTHORIZED', 'CAPTURED')`)
    .finally(() => client.end());
  // The acquirer's back office answers its ledger in pages of entries after a sequence number.
  const adminUrl = stack.simulators!.acquirers['ACQ-CARD']!.adminUrl;
  let authorizations = 0;
  for (let sinceSeq = 0; ; ) {
    const query = new URLSearchParams({ merchantNumber: MERCHANT_NUMBER, type: 'authorization', sinceSeq: String(sinceSeq), limit: '10000' });
    const { entries } = (await (await fetch(`${adminUrl}/ledger?${query}`)).json()) as { entries: { seq: number }[] };
    if (entries.length === 0) break;
    authorizations += entries.length;
    sinceSeq = entries.at(-1)!.seq;
  }
  return { serverpos: Number(counted.rows[0]!.count), ledger: authorizations };
}

async function cryptoLimit(context: BenchContext): Promise<number> {
  const earlier = context.earlier.get('crypto.limit_per_s')?.value;
  if (earlier) return earlier;
  context.log('the crypto part did not run first: measuring the crypto limit now');
  const result = await cryptoLimitPart.run(context);
  return result.figures.find((figure) => figure.id === 'crypto.limit_per_s')!.value!;
}

export const authorizationsPart: BenchPart = {
  name: 'authorizations',
  title: 'End-to-end authorizations (wallet → ServerPOS production build → gateway simulator, PostgreSQL)',
  async run(context) {
    const limit = await cryptoLimit(context);
    if (buildIsStale()) {
      context.log('building the app (next build)…');
      await buildApp();
    }
    const server = await context.postgres();
    await server.dropDatabase('bench_authorizations');
    const databaseUrl = await server.localUrl('bench_authorizations');
    const dataDir = path.resolve('.data', 'bench', 'authorizations');
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    const simulators = await writeDemoSimConfig(dataDir);
    const [appPort, smtpPort, mailHttpPort, shopPort] = await freePorts(4);
    const logFile = createWriteStream(path.join(dataDir, 'stack.log'));
    context.log(`starting the stack (output in ${path.relative(process.cwd(), path.join(dataDir, 'stack.log'))})…`);
    const stack = await startStack({
      dataDir,
      simulators,
      appPort: appPort!,
      smtpPort: smtpPort!,
      mailHttpPort: mailHttpPort!,
      embeddedDbPort: 0,
      databaseUrl,
      shop: { port: shopPort! },
      env: { SERVER_TIMING: 'on' },
      // BENCH_PROFILE_DIR=dir: the app writes a V8 CPU profile there when it stops (for finding where the time goes).
      ...(process.env.BENCH_PROFILE_DIR ? { appNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`] } : {}),
      output: (name, line) => logFile.write(`[${name}] ${line}\n`),
    });
    try {
      const { shopApiKey } = JSON.parse(await readFile(path.join(dataDir, 'local.json'), 'utf8')) as { shopApiKey?: string };
      if (!shopApiKey) throw new Error('the sample shop got no POS API key');
      const appUrl = `http://127.0.0.1:${appPort}`;
      const client = new ServerPosClient({ baseUrl: appUrl, apiKey: shopApiKey });
      const trust = await walletTrust(stack.simulators!.caUrl);
      const sizes = context.quick ? { warmup: 40, levels: [[1, 30], [8, 100], [32, 200], [128, 400]], openSeconds: 5, openSettleSeconds: 2 } : { warmup: 200, levels: [[1, 300], [8, 1_000], [32, 1_500], [128, 2_500]], openSeconds: 30, openSettleSeconds: 5 };
      let batch = 0;
      const ordersFor = (count: number) => registerOrders(client, count, `bench-${batch++}`);

      context.log(`warming up with ${sizes.warmup} authorizations…`);
      const warm = await closedLoop(appUrl, trust, await ordersFor(sizes.warmup), 4)();
      const warmErrors = warm.filter((one) => !one.ok);
      if (warmErrors.length > 0) context.log(`warm-up: ${warmErrors.length} not approved (${[...new Set(warmErrors.map((one) => one.outcome))].join(', ')})`);

      await topStatements(stack.databaseUrl, true);
      const levels: LevelResult[] = [];
      for (const [concurrency, count] of sizes.levels as [number, number][]) {
        const orders = await ordersFor(count);
        const level = await measured(stack, server.pid, closedLoop(appUrl, trust, orders, concurrency), concurrency);
        levels.push(level);
        context.log(`concurrency ${concurrency}: ${level.perSecond.toFixed(1)}/s, p50 ${level.latency.p50.toFixed(1)} ms, p99 ${level.latency.p99.toFixed(1)} ms, own p50 ${level.own.p50.toFixed(2)} ms, ${level.dbCalls.p50} database calls, app ${level.appCores.toFixed(2)} cores (${level.appCpuMsPerAuth.toFixed(1)} ms/auth), worker ${level.workerCores.toFixed(2)} cores, errors ${level.errors}`);
        context.log(`  CPU ms per authorization: ${Object.entries(level.cpuMsPerAuth).map(([name, ms]) => `${name} ${ms}`).join(', ')}`);
      }
      const best = levels.reduce((top, level) => (level.perSecond > top.perSecond ? level : top));
      const halfRate = best.perSecond / 2;
      // The open loop measures the half-peak rate in its steady state, not the aftermath of the overload before
      // it: the worker's backlog (webhooks of the last run) delivered first, then a few seconds at the rate.
      const drainStarted = performance.now();
      const drained = await outboxDrained(stack, 120_000);
      context.log(drained ? `outbox drained ${((performance.now() - drainStarted) / 1000).toFixed(1)} s after the closed loops` : 'the outbox still had messages after two minutes');
      const settle = await openLoop(appUrl, trust, await ordersFor(Math.max(10, Math.round(halfRate * sizes.openSettleSeconds))), halfRate)();
      const openOrders = await ordersFor(Math.max(20, Math.round(halfRate * sizes.openSeconds)));
      const open = await measured(stack, server.pid, openLoop(appUrl, trust, openOrders, halfRate), 'open');
      context.log(`open loop at ${halfRate.toFixed(1)}/s: p50 ${open.latency.p50.toFixed(1)} ms, p99 ${open.latency.p99.toFixed(1)} ms, errors ${open.errors}`);

      const statements = await topStatements(stack.databaseUrl, false);
      for (const statement of statements.slice(0, 8)) context.log(`db: ${statement.totalMs} ms in ${statement.calls} calls (${statement.meanMs} ms each): ${statement.query}`);
      const all = [...levels, open];
      const approved = [...warm, ...settle].filter((one) => one.ok).length + all.reduce((total, level) => total + level.authorizations - level.errors, 0);
      const books = await reconcile(stack);
      const mismatches = Math.abs(books.serverpos - approved) + Math.abs(books.ledger - approved);
      context.log(`books: cardholders approved ${approved}, ServerPOS ${books.serverpos}, gateway ledger ${books.ledger}`);
      const errors = warmErrors.length + settle.filter((one) => !one.ok).length + all.reduce((total, level) => total + level.errors, 0) + mismatches;
      const peakRss = Math.max(...all.map((level) => level.appRssMiB), usageOf(processTree(stack.pids.app!)).peakRssMiB);
      const single = levels[0]!;
      const figures: Figure[] = [
        ...levels.map((level) => ({
          id: `authorizations.c${level.concurrency}_per_s`,
          label: `concurrency ${level.concurrency}: authorizations/s`,
          value: level.perSecond,
          unit: 'auth/s',
          note: `p50 ${level.latency.p50.toFixed(1)} / p95 ${level.latency.p95.toFixed(1)} / p99 ${level.latency.p99.toFixed(1)} ms; app ${level.appCores.toFixed(2)} cores, ${level.appCpuMsPerAuth.toFixed(1)} CPU ms/auth, worker ${level.workerCores.toFixed(2)} cores`,
        })),
        { id: 'authorizations.ratio_to_limit', label: 'best authorizations/s ÷ crypto limit', value: best.perSecond / limit, unit: '×', target: { op: '>=', value: 0.5 }, note: `${best.perSecond.toFixed(1)}/s at concurrency ${best.concurrency}; crypto limit ${limit.toFixed(0)}/s` },
        { id: 'authorizations.p99_at_half_peak_ms', label: `p99 latency at half the peak (${halfRate.toFixed(0)}/s)`, value: open.latency.p99, unit: 'ms', target: { op: '<=', value: 100 } },
        { id: 'authorizations.own_cost_p50_ms', label: 'ServerPOS own cost per authorization, p50', value: single.own.p50, unit: 'ms', target: { op: '<=', value: 5 }, note: `concurrency 1, init + pay less waits; p95 ${single.own.p95.toFixed(2)} ms; database waits p50 ${single.dbWait.p50.toFixed(2)} ms, gateway p50 ${single.gatewayWait.p50.toFixed(2)} ms; ${single.dbCalls.p50} database calls` },
        { id: 'authorizations.peak_rss_mib', label: 'ServerPOS app peak RSS', value: peakRss, unit: 'MiB', target: { op: '<=', value: 400 } },
        { id: 'authorizations.errors', label: 'errors (not approved, or books disagree)', value: errors, unit: '', target: { op: '<=', value: 0 } },
      ];
      return { figures, details: { cryptoLimit: limit, warmup: warm.length, levels, open, books, statements } };
    } finally {
      await stack.stop();
      await new Promise((resolve) => logFile.end(resolve));
    }
  },
};
