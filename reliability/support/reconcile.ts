import pg from 'pg';
import type { RunningSimulators } from '@/sim/start-simulators';
import type { WebhookReceiver } from './webhook-receiver';

export interface LedgerEntry {
  seq: number;
  type: string;
  merchantNumber: string;
  xid: string;
  request: string;
  amount: number;
  code: string;
  captureId?: string;
  creditId?: string;
}

/** An acquirer's whole ledger, from its back office, page by page. */
export async function fullLedger(adminUrl: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (let sinceSeq = 0; ; ) {
    const page = (await (await fetch(`${adminUrl}/ledger?${new URLSearchParams({ sinceSeq: String(sinceSeq), limit: '10000' })}`)).json()) as { entries: LedgerEntry[] };
    if (page.entries.length === 0) return entries;
    entries.push(...page.entries);
    sinceSeq = page.entries.at(-1)!.seq;
  }
}

async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * What is still in flight: payments being authorised or of unknown outcome, never-sent attempts of orders
 * no longer payable (the worker's order job closes them within a minute or so), captures/voids/refunds
 * without an answer, undelivered outbox messages.
 */
export async function inFlight(databaseUrl: string): Promise<Record<'authorizing' | 'unknown' | 'unclosed' | 'settlements' | 'outbox', number>> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ authorizing: number; unknown: number; unclosed: number; settlements: number; outbox: number }>(`
      SELECT (SELECT count(*) FROM "Payment" WHERE "status" = 'AUTHORIZING')::int AS authorizing,
             (SELECT count(*) FROM "Payment" WHERE "status" = 'UNKNOWN')::int AS unknown,
             (SELECT count(*) FROM "Payment" p JOIN "Order" o ON o."id" = p."orderId" WHERE p."status" = 'PENDING' AND o."status" <> 'OPEN')::int AS unclosed,
             (SELECT count(*) FROM "PaymentTransaction" WHERE "status" IN ('PENDING', 'UNKNOWN'))::int AS settlements,
             (SELECT count(*) FROM "OutboxMessage" WHERE "status" IN ('PENDING', 'DISPATCHED'))::int AS outbox`);
    return rows[0]!;
  });
}

/** Waits until nothing is in flight any more (the worker has taken over and settled everything), or fails with what is left. */
export async function waitUntilSettled(databaseUrl: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let left = await inFlight(databaseUrl);
  while (Object.values(left).some((count) => count > 0)) {
    if (Date.now() - started > timeoutMs) throw new Error(`still in flight after ${timeoutMs / 1000} s: ${JSON.stringify(left)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    left = await inFlight(databaseUrl);
  }
  return Date.now() - started;
}

interface PaymentRecord {
  id: string;
  xid: string;
  orderId: string;
  orderStatus: string;
  status: string;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  acquirer: string | null;
  merchantNumber: string | null;
}

export interface Reconciliation {
  payments: number;
  byStatus: Record<string, number>;
  ledgerEntries: number;
  webhookEvents: number;
  /** Verified deliveries beyond the first of an event (allowed: at least once), acted on once each by id. */
  repeatedDeliveries: number;
  /** Every disagreement found; the guarantee holds when it is empty. */
  problems: string[];
}

const AUTHORIZED = new Set(['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED']);
const TERMINAL = new Set([...AUTHORIZED, 'DECLINED', 'FAILED', 'VOIDED']);

/**
 * ServerPOS's records against every gateway's ledger and the shop's received
 * webhooks, for the payments of the orders whose reference starts with
 * `orderPrefix`:
 * - every payment is settled: authorised (in any later state), declined,
 *   failed or voided — or PENDING, never having reached a gateway, only while
 *   its order can still be paid (a checkout opened and left; the worker closes
 *   it once the order is paid by another attempt, or expires);
 * - at most one authorisation per order, and per XID at most one
 *   authorisation, one reversal, one capture per capture id and one credit
 *   per credit id at the gateway;
 * - a payment held as authorised has a standing authorisation at its
 *   gateway (not reversed), and one not held as authorised has none standing;
 * - captured and refunded amounts equal the gateway's captures and credits;
 * - every webhook event ServerPOS recorded for those payments reached the
 *   shop (verified), and the shop received no event ServerPOS did not record.
 */
export async function reconcile(options: { databaseUrl: string; simulators: RunningSimulators; orderPrefix: string; receiver: WebhookReceiver }): Promise<Reconciliation> {
  const { payments, events, knownXids } = await withClient(options.databaseUrl, async (client) => {
    const payments = await client.query<PaymentRecord>(
      `SELECT p."id"::text, p."xid", p."orderId"::text AS "orderId", o."status"::text AS "orderStatus", p."status"::text, p."amount"::int, p."capturedAmount"::int AS "capturedAmount",
              p."refundedAmount"::int AS "refundedAmount", a."code" AS acquirer, c."merchantNumber" AS "merchantNumber"
         FROM "Payment" p JOIN "Order" o ON o."id" = p."orderId"
         LEFT JOIN "Acquirer" a ON a."id" = p."acquirerId"
         LEFT JOIN "AcquirerContract" c ON c."storeId" = p."storeId" AND c."acquirerId" = p."acquirerId"
        WHERE o."shopOrderRef" LIKE $1`,
      [`${options.orderPrefix}%`],
    );
    const events = await client.query<{ id: string; paymentId: string }>(
      `SELECT e."id"::text, e."paymentId"::text AS "paymentId" FROM "WebhookEvent" e JOIN "Payment" p ON p."id" = e."paymentId" JOIN "Order" o ON o."id" = p."orderId" WHERE o."shopOrderRef" LIKE $1`,
      [`${options.orderPrefix}%`],
    );
    const known = await client.query<{ xid: string }>(`SELECT "xid" FROM "Payment"`);
    return { payments: payments.rows, events: events.rows, knownXids: new Set(known.rows.map((row) => row.xid)) };
  });

  const ledgers = new Map<string, LedgerEntry[]>();
  for (const [code, acquirer] of Object.entries(options.simulators.acquirers)) ledgers.set(code, await fullLedger(acquirer.adminUrl));
  const byXid = new Map<string, LedgerEntry[]>();
  for (const entries of ledgers.values()) for (const entry of entries) byXid.set(entry.xid, [...(byXid.get(entry.xid) ?? []), entry]);

  const problems: string[] = [];
  const byStatus: Record<string, number> = {};
  const authorizedOrders = new Map<string, string>();
  for (const payment of payments) {
    byStatus[payment.status] = (byStatus[payment.status] ?? 0) + 1;
    const entries = byXid.get(payment.xid) ?? [];
    const of = (type: string) => entries.filter((entry) => entry.type === type);
    const authorizations = of('authorization').filter((entry) => entry.code === 'approved');
    const reversals = of('reversal').filter((entry) => entry.code === 'reversed');
    const captures = of('capture');
    const credits = of('credit');
    const where = `payment ${payment.id} (${payment.status}, XID ${payment.xid})`;

    if (!TERMINAL.has(payment.status) && !(payment.status === 'PENDING' && payment.orderStatus === 'OPEN' && entries.length === 0)) problems.push(`${where}: not settled (order ${payment.orderStatus})`);
    if (authorizations.length > 1) problems.push(`${where}: ${authorizations.length} authorisations at the gateway`);
    if (reversals.length > 1) problems.push(`${where}: ${reversals.length} reversals at the gateway`);
    for (const [kind, list, key] of [['capture', captures, 'captureId'], ['credit', credits, 'creditId']] as const) {
      const ids = list.map((entry) => entry[key]);
      if (new Set(ids).size !== ids.length) problems.push(`${where}: a ${kind} id twice at the gateway`);
    }
    const standing = authorizations.length > 0 && reversals.length === 0;
    if (AUTHORIZED.has(payment.status) !== standing) problems.push(`${where}: ServerPOS holds it ${AUTHORIZED.has(payment.status) ? '' : 'not '}authorised, the gateway ${standing ? 'has' : 'has no'} standing authorisation`);
    if (AUTHORIZED.has(payment.status)) {
      const other = authorizedOrders.get(payment.orderId);
      if (other) problems.push(`${where}: order ${payment.orderId} authorised twice (also payment ${other})`);
      authorizedOrders.set(payment.orderId, payment.id);
    }
    const captured = captures.reduce((sum, entry) => sum + entry.amount, 0);
    const credited = credits.reduce((sum, entry) => sum + entry.amount, 0);
    if (captured !== payment.capturedAmount) problems.push(`${where}: captured ${payment.capturedAmount} in ServerPOS, ${captured} at the gateway`);
    if (credited !== payment.refundedAmount) problems.push(`${where}: refunded ${payment.refundedAmount} in ServerPOS, ${credited} at the gateway`);
  }
  // Nothing authorised at a gateway for this store's merchant numbers that ServerPOS has no payment for.
  const merchantNumbers = new Set(payments.map((payment) => payment.merchantNumber).filter(Boolean));
  for (const entries of ledgers.values()) {
    for (const entry of entries) if (merchantNumbers.has(entry.merchantNumber) && entry.type === 'authorization' && entry.code === 'approved' && !knownXids.has(entry.xid)) problems.push(`gateway authorisation ${entry.request} (XID ${entry.xid}) that ServerPOS has no payment for`);
  }

  let repeatedDeliveries = 0;
  for (const event of events) {
    const received = options.receiver.events.get(event.id);
    if (!received) problems.push(`webhook event ${event.id} of payment ${event.paymentId} never reached the shop`);
    else repeatedDeliveries += received.deliveries - 1;
  }
  const recorded = new Set(events.map((event) => event.id));
  const paymentIds = new Set(payments.map((payment) => payment.id));
  for (const [id, received] of options.receiver.events) if (received.paymentId && paymentIds.has(received.paymentId) && !recorded.has(id)) problems.push(`the shop received event ${id} that ServerPOS never recorded`);
  if (options.receiver.refused > 0) problems.push(`${options.receiver.refused} webhook deliveries did not verify`);

  return {
    payments: payments.length,
    byStatus,
    ledgerEntries: [...ledgers.values()].reduce((sum, entries) => sum + entries.length, 0),
    webhookEvents: events.length,
    repeatedDeliveries,
    problems,
  };
}
