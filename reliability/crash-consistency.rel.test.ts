import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOrders, walletTrust } from '@/lib/testing/cardholders';
import { ServerPosClient } from '@/sdk';
import { runCheckouts, type Told } from './support/checkout-load';
import { startCluster, type Cluster } from './support/cluster';
import { recordingFetch } from './support/recorder';
import { reconcile, waitUntilSettled } from './support/reconcile';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/**
 * Crash consistency: kill -9 the app, the worker, or both, at random moments
 * while cardholders pay and the shop captures and refunds, over several
 * rounds; restart them; then everything must settle and agree.
 *
 * Sizes: RELIABILITY_CRASH_ROUNDS (3) rounds of RELIABILITY_CRASH_CHECKOUTS
 * (340, so about 1,000 checkouts in all) at RELIABILITY_CRASH_CONCURRENCY
 * (100) cardholders at once. `RELIABILITY_HEAVY=1` makes it 5 rounds of 1,000.
 */
const heavy = process.env.RELIABILITY_HEAVY === '1';
const ROUNDS = Number(process.env.RELIABILITY_CRASH_ROUNDS ?? (heavy ? 5 : 3));
const CHECKOUTS = Number(process.env.RELIABILITY_CRASH_CHECKOUTS ?? (heavy ? 1000 : 340));
const CONCURRENCY = Number(process.env.RELIABILITY_CRASH_CONCURRENCY ?? 100);
/** What each round kills: the app, the worker, both at once, and so on. */
const VICTIMS = [['app'], ['worker'], ['app', 'worker']];

/** A seeded generator, so a failing run's kill moments can be told and repeated (RELIABILITY_SEED). */
const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
let state = seed;
const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const between = (low: number, high: number) => low + random() * (high - low);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: Cluster;
/** A connection of the test's own to the cluster's database, for watching what is in flight. */
let monitor: pg.Client;
let receiver: WebhookReceiver;
let client: ServerPosClient;

beforeAll(async () => {
  cluster = await startCluster({
    name: 'crash',
    // Short timeouts, so that interrupted and unknown outcomes settle within the test.
    env: { GATEWAY_TIMEOUT_MS: '3000', UNKNOWN_OUTCOME_DEADLINE_SECONDS: '8', PAYMENT_RESOLVE_POLL_MS: '1000', IN_FLIGHT_GRACE_SECONDS: '5' },
  });
  client = new ServerPosClient({ baseUrl: cluster.appUrl, apiKey: cluster.shopApiKey, retries: 10, retryDelayMs: 500, fetch: recordingFetch() });
  receiver = await startWebhookReceiver(cluster.appUrl);
  monitor = new pg.Client({ connectionString: cluster.databaseUrl });
  await monitor.connect();
  const { pos } = await client.me();
  const db = new pg.Client({ connectionString: cluster.databaseUrl });
  await db.connect();
  await db.query(`UPDATE "Pos" SET "webhookUrl" = $1 WHERE "id" = $2`, [receiver.url, pos.id]).finally(() => db.end());
});

afterAll(async () => {
  await monitor?.end();
  await cluster?.stop();
  await receiver?.close();
});

/**
 * Kills the round's victims at random moments until `done`, each time restarting them after a random pause.
 * An app is killed at the first moment after its random delay when authorisations are in flight (claimed,
 * not yet recorded): the moment a crash can hurt most. Answers how many kills and how many authorisations
 * were in flight at them.
 */
async function killer(victims: string[], done: () => boolean): Promise<{ kills: number; authorizingAtKills: number }> {
  let kills = 0;
  let authorizingAtKills = 0;
  while (!done()) {
    // The first kill comes early, so that every round has one however fast its checkouts go.
    await pause(kills === 0 ? between(300, 1_500) : between(1_000, 5_000));
    if (done()) break;
    let authorizing = await authorizingNow();
    for (const until = Date.now() + 3_000; victims.includes('app') && authorizing === 0 && Date.now() < until && !done(); authorizing = await authorizingNow()) await pause(20);
    await Promise.all(victims.map((name) => cluster.kill(name, 'SIGKILL')));
    kills += 1;
    authorizingAtKills += authorizing;
    await pause(between(200, 2_000));
    await Promise.all(victims.map((name) => cluster.restart(name)));
  }
  return { kills, authorizingAtKills };
}

async function authorizingNow(): Promise<number> {
  const { rows } = await monitor.query<{ count: number }>(`SELECT count(*)::int AS count FROM "Payment" WHERE "status" = 'AUTHORIZING'`);
  return rows[0]!.count;
}

/** The shop's back office meanwhile: captures what earlier rounds authorised, then refunds part of it, each with its own idempotency key and retries. */
async function backOffice(paymentIds: string[], done: () => boolean): Promise<number> {
  let calls = 0;
  for (const paymentId of paymentIds) {
    if (done()) break;
    const requests = [
      () => client.capturePayment(paymentId, {}, { idempotencyKey: `capture-${paymentId}` }),
      () => client.refundPayment(paymentId, { amount: 1_000 }, { idempotencyKey: `refund-${paymentId}` }),
    ];
    for (const call of requests) {
      // A refusal (e.g. the capture is still being taken over after a crash) is an answer too: the books decide.
      await call().catch(() => undefined);
      calls += 1;
    }
  }
  return calls;
}

describe('crash consistency: kill -9 of the app and the worker during checkouts, captures and refunds', () => {
  it(`settles every payment and agrees with every gateway and the shop after ${ROUNDS} rounds of kills (seed ${seed})`, async () => {
    const trust = await walletTrust(cluster.simulators!.caUrl);
    const told: Told[] = [];
    const rounds: { victims: string[]; kills: number; authorizingAtKills: number; checkouts: number; backOfficeCalls: number; seconds: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const orders = await registerOrders(client, CHECKOUTS, `crash-${round}`);
      const approvedEarlier = told.filter((one) => one.outcome === 'approved').map((one) => one.order.id);
      const paymentIds = (await Promise.all(approvedEarlier.slice(0, 150).map((orderId) => client.getOrder(orderId).catch(() => null))))
        .flatMap((order) => order?.payments.filter((payment) => payment.status === 'AUTHORIZED').map((payment) => payment.id) ?? []);
      const victims = VICTIMS[round % VICTIMS.length]!;
      const started = performance.now();
      let finished = false;
      const checkouts = runCheckouts([cluster.appUrl], trust, orders, CONCURRENCY).finally(() => (finished = true));
      const [roundTold, { kills, authorizingAtKills }, backOfficeCalls] = await Promise.all([checkouts, killer(victims, () => finished), backOffice(paymentIds, () => finished)]);
      told.push(...roundTold);
      rounds.push({ victims, kills, authorizingAtKills, checkouts: roundTold.length, backOfficeCalls, seconds: Math.round((performance.now() - started) / 100) / 10 });
      console.log(`round ${round + 1}: ${JSON.stringify(rounds.at(-1))}`);
    }

    const settledInMs = await waitUntilSettled(cluster.databaseUrl, 300_000);
    const books = await reconcile({ databaseUrl: cluster.databaseUrl, simulators: cluster.simulators!, orderPrefix: 'crash-', receiver });
    const outcomes: Record<string, number> = {};
    for (const one of told) outcomes[one.outcome] = (outcomes[one.outcome] ?? 0) + 1;
    console.log(JSON.stringify({ seed, rounds, outcomes, settledInMs, books: { ...books, problems: books.problems.slice(0, 20) } }, null, 2));

    expect(rounds.every((round) => round.kills > 0)).toBe(true);
    // Not vacuous: some kill of the app caught authorisations in flight.
    expect(rounds.reduce((sum, round) => sum + round.authorizingAtKills, 0)).toBeGreaterThan(0);
    expect(told).toHaveLength(ROUNDS * CHECKOUTS);
    expect(books.problems).toEqual([]);
    // Every cardholder told "approved" has an authorised payment for the order; a cardholder told anything else was not charged unless the books say so.
    const statusOf = await orderPaymentStatuses(cluster.databaseUrl);
    const approvedButNot = told.filter((one) => one.outcome === 'approved' && !statusOf.get(one.order.id)?.some((status) => status !== 'PENDING' && status !== 'DECLINED' && status !== 'FAILED' && status !== 'VOIDED'));
    expect(approvedButNot.map((one) => one.order.shopOrderRef)).toEqual([]);
  });
});

async function orderPaymentStatuses(databaseUrl: string): Promise<Map<string, string[]>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query<{ orderId: string; status: string }>(`SELECT "orderId"::text AS "orderId", "status"::text FROM "Payment"`).finally(() => db.end());
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.orderId, [...(map.get(row.orderId) ?? []), row.status]);
  return map;
}
