import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWallet, walletParty, type WalletTrust } from '@/lib/checkout/run-wallet';
import { registerOrders, walletTrust } from '@/lib/testing/cardholders';
import { ServerPosClient } from '@/sdk';
import { runCheckouts } from './support/checkout-load';
import { startCluster, type Cluster } from './support/cluster';
import { recordingFetch } from './support/recorder';
import { reconcile, waitUntilSettled } from './support/reconcile';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/**
 * More than one machine: two app instances and two workers on one
 * PostgreSQL, checkouts spread over both instances. No job runs twice, no
 * payment is authorised twice, idempotency and replay protection hold across
 * instances, and stopping either instance (app or worker) mid-load loses
 * nothing.
 */
const CHECKOUTS = Number(process.env.RELIABILITY_MULTI_CHECKOUTS ?? 200);
const CARD = { kind: 'card' as const, pan: '4111111111111111', expiry: '2031-12', cvc: '123' };
const CUSTOMER = { name: 'Reliability Cardholder', email: 'cardholder@reliability.example' };

let cluster: Cluster;
let receiver: WebhookReceiver;
let clients: ServerPosClient[];
let trust: WalletTrust;

beforeAll(async () => {
  cluster = await startCluster({
    name: 'multi',
    apps: 2,
    workers: 2,
    env: { GATEWAY_TIMEOUT_MS: '3000', UNKNOWN_OUTCOME_DEADLINE_SECONDS: '8', PAYMENT_RESOLVE_POLL_MS: '1000', IN_FLIGHT_GRACE_SECONDS: '5' },
  });
  clients = cluster.appUrls.map((baseUrl) => new ServerPosClient({ baseUrl, apiKey: cluster.shopApiKey, retries: 10, retryDelayMs: 500, fetch: recordingFetch() }));
  receiver = await startWebhookReceiver(cluster.appUrl);
  const { pos } = await clients[0]!.me();
  await query(`UPDATE "Pos" SET "webhookUrl" = $1 WHERE "id" = $2`, [receiver.url, pos.id]);
  trust = await walletTrust(cluster.simulators!.caUrl);
});

afterAll(async () => {
  await cluster?.stop();
  await receiver?.close();
});

async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: cluster.databaseUrl });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A fetch that sends the wallet's PReq to every instance at once, and hands the wallet the first instance's answer. */
function preqToEveryInstance(answers: Response[]): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    if (!url.endsWith('/pay')) return recordingFetch()(input, init);
    const path = new URL(url).pathname;
    const all = await Promise.all(cluster.appUrls.map((base) => recordingFetch()(`${base}${path}`, init)));
    answers.push(...all.map((response) => response.clone()));
    return all[0]!;
  };
}

describe('two app instances and two workers on one database', () => {
  it('starts both workers, started at the same moment (they take turns creating the queues)', async () => {
    const log = await readFile(cluster.logFile, 'utf8');
    for (const worker of ['worker', 'worker-2']) expect(log).toMatch(new RegExp(`^\\[${worker}\\] .*"message":"worker started"`, 'm'));
    expect(log).not.toContain('worker could not start');
  });

  it('spreads checkouts over both instances: every payment authorised once, every job run once, every webhook delivered once', async () => {
    const orders = await registerOrders(clients[0]!, CHECKOUTS, 'multi-spread');
    const told = await runCheckouts(cluster.appUrls, trust, orders, 40);
    expect(told.filter((one) => one.outcome !== 'approved')).toEqual([]);
    await waitUntilSettled(cluster.databaseUrl, 240_000);
    const books = await reconcile({ databaseUrl: cluster.databaseUrl, simulators: cluster.simulators!, orderPrefix: 'multi-spread', receiver });
    expect(books.problems).toEqual([]);
    expect(books.byStatus).toEqual({ AUTHORIZED: CHECKOUTS });
    // Both instances served checkouts (the cardholders' lanes alternate between them).
    expect(new Set(told.map((one) => one.servedBy))).toEqual(new Set(cluster.appUrls));
    // No job ran twice: one delivery attempt per webhook event, and the shop got each event exactly once.
    const attempts = await query<{ attempts: number }>(
      `SELECT count(d."id")::int AS attempts FROM "WebhookEvent" e JOIN "Payment" p ON p."id" = e."paymentId" JOIN "Order" o ON o."id" = p."orderId"
         LEFT JOIN "WebhookDelivery" d ON d."eventId" = e."id" WHERE o."shopOrderRef" LIKE 'multi-spread%' GROUP BY e."id"`,
    );
    expect(attempts).toHaveLength(CHECKOUTS);
    expect(attempts.every((event) => event.attempts === 1)).toBe(true);
    expect(books.repeatedDeliveries).toBe(0);
  });

  it('refuses a PReq replayed to the other instance: one authorisation, the other answer a refusal', async () => {
    const [order] = await registerOrders(clients[0]!, 1, 'multi-replay');
    const answers: Response[] = [];
    const result = await runWallet({ token: order!.token, orderId: order!.id, description: order!.description, brand: 'VISA', account: CARD, customer: CUSTOMER, party: walletParty(trust), fetch: preqToEveryInstance(answers), baseUrl: cluster.appUrls[0] });
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toHaveLength(2);
    const refused = await Promise.all(answers.filter((answer) => answer.status !== 200).map((answer) => answer.json() as Promise<{ error: { code: string } }>));
    // Exactly one instance authorised; the other refused with a code (which one won depends on timing).
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(refused.map((body) => body.error.code)).toEqual([expect.stringMatching(/^(payment_already_processed|purchase_mismatch)$/)]);
    if (answers[0]!.status === 200) expect(result.status).toBe('approved');
    await waitUntilSettled(cluster.databaseUrl, 240_000);
    const books = await reconcile({ databaseUrl: cluster.databaseUrl, simulators: cluster.simulators!, orderPrefix: 'multi-replay', receiver });
    expect(books.problems).toEqual([]);
  });

  it('refuses a PInitReq replayed to the other instance', async () => {
    const [order] = await registerOrders(clients[0]!, 1, 'multi-pinit');
    const { createPInitReq } = await import('@/lib/set');
    const init = createPInitReq({ brand: 'VISA', orderRef: order!.id, bin: '411111' });
    const send = (base: string) => recordingFetch()(`${base}/api/checkout/${order!.token}/init`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pinitReq: init.raw }) });
    const first = await send(cluster.appUrls[0]!);
    expect(first.status).toBe(200);
    const replayed = await send(cluster.appUrls[1]!);
    expect(replayed.status).toBe(422);
    expect(((await replayed.json()) as { error: { code: string } }).error.code).toBe('purchase_mismatch');
    expect(await query(`SELECT 1 FROM "Payment" WHERE "orderId" = $1`, [order!.id])).toHaveLength(1);
  });

  it('answers the same capture sent to both instances at once with one Idempotency-Key: one capture at the gateway, the same answer twice', async () => {
    const [order] = await registerOrders(clients[0]!, 1, 'multi-idempotent');
    const told = await runCheckouts(cluster.appUrls, trust, [order!], 1);
    expect(told[0]!.outcome).toBe('approved');
    const paymentId = (await clients[0]!.getOrder(order!.id)).payments[0]!.id;
    const answers = await Promise.all(clients.map((client) => client.capturePayment(paymentId, {}, { idempotencyKey: `capture-${paymentId}` })));
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.payment.status).toBe('CAPTURED');
    await waitUntilSettled(cluster.databaseUrl, 240_000);
    const books = await reconcile({ databaseUrl: cluster.databaseUrl, simulators: cluster.simulators!, orderPrefix: 'multi-idempotent', receiver });
    expect(books.problems).toEqual([]);
  });

  it('loses nothing when one app instance and one worker are killed mid-load: the other instance and worker carry on', async () => {
    const orders = await registerOrders(clients[0]!, CHECKOUTS, 'multi-stop');
    let finished = false;
    const load = runCheckouts(cluster.appUrls, trust, orders, 40).finally(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(finished).toBe(false);
    await cluster.kill('app-2', 'SIGKILL');
    await cluster.kill('worker', 'SIGKILL');
    const told = await load;
    expect(told.filter((one) => one.outcome !== 'approved' && one.outcome !== 'payment_already_processed' && one.outcome !== 'invalid_state_transition')).toEqual([]);
    await waitUntilSettled(cluster.databaseUrl, 300_000);
    const books = await reconcile({ databaseUrl: cluster.databaseUrl, simulators: cluster.simulators!, orderPrefix: 'multi-stop', receiver });
    console.log(JSON.stringify({ outcomes: told.reduce<Record<string, number>>((all, one) => ({ ...all, [one.outcome]: (all[one.outcome] ?? 0) + 1 }), {}), books }, null, 2));
    expect(books.problems).toEqual([]);
    // Every cardholder told "approved" has a paid order. The others were told their payment was already being
    // processed (a retry after the killed instance dropped their answer): the books above show what became of it
    // (authorised once, or failed with nothing standing at the gateway), and none was charged twice.
    const paid = new Set((await query<{ id: string }>(`SELECT "id"::text FROM "Order" WHERE "shopOrderRef" LIKE 'multi-stop%' AND "status" = 'PAID'`)).map((order) => order.id));
    expect(told.filter((one) => one.outcome === 'approved' && !paid.has(one.order.id))).toEqual([]);
  });
});
