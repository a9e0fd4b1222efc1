import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { listAcquirerCircuits } from '@/lib/operator/list-acquirer-circuits';
import { acquirerCircuitSnapshot, flushAcquirerCircuitRecords, instanceName } from '@/lib/payments/acquirer-circuits';
import { resolveUnknownPayments } from '@/lib/payments/resolve-unknown-payments';
import { card, customer, ledgerOf, orderFor, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

/**
 * Issue 9, gateway faults: latency beyond the timeout, 503s, dropped replies and refused connections injected
 * into ONE acquirer's gateway (ACQ-CARD, through its admin port) while checkouts run against it and, at the same
 * time, against a second acquirer (ACQ-JCB). Then, against both gateways' own ledgers:
 * - no double charge: one for one with ServerPOS's records, at most one authorization per payment, and nothing
 *   standing at a gateway that ServerPOS does not hold as authorised;
 * - every unknown outcome settled by the worker's inquiry/reversal schedule, driven with the test's clock;
 * - the other acquirer's checkouts all answered as their cards say (its declines count for nothing);
 * - the breaker opens for the faulty acquirer only, refuses without sending while open, and closes after a
 *   successful trial once the gateway has recovered.
 * The checkout's clock (`now`) is the test's: cool-downs and deadlines are passed by moving it, never by waiting.
 */

const VISA_APPROVED = '4111111111111111';
const VISA_ISSUER_SILENT = '4000000000000408';
const JCB_APPROVED = '3530111333300000';
const JCB_DECLINED = '3530111333300109';
/** What the healthy acquirer's cards must get, whatever happens to the other acquirer. */
const jcbExpected: Record<string, { status: string; code: string }> = { [JCB_APPROVED]: { status: 'approved', code: 'approved' }, [JCB_DECLINED]: { status: 'declined', code: 'insufficient_funds' } };

type Store = Awaited<ReturnType<typeof storeWithOrder>>;
type Prepared = Awaited<ReturnType<typeof prepare>>;
interface Attempt {
  acquirer: string;
  pan: string;
  phase: string;
  paymentId: string;
  /** The checkout's answer, or `refused` for acquirer_unavailable. */
  status: 'approved' | 'declined' | 'unknown' | 'failed' | 'refused';
  code: string;
}

let world: SimWorld;
let cardStore: Store;
let jcbStore: Store;
let cardAcquirerId: string;
let jcbAcquirerId: string;
const attempts: Attempt[] = [];
/** The test's clock: checkouts, cool-downs and the worker's rounds all read it. */
let clock = new Date();
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  world = await startSimWorld();
  cardAcquirerId = world.acquirerIds['ACQ-CARD']!;
  jcbAcquirerId = world.acquirerIds['ACQ-JCB']!;
  [cardStore, jcbStore] = await Promise.all([storeWithOrder(world), storeWithOrder(world, { acquirerCode: 'ACQ-JCB' })]);
});

afterAll(async () => {
  await world?.stop();
});

async function setFaults(acquirerCode: string, faults: Record<string, unknown> | null) {
  const admin = `${world.sims.acquirers[acquirerCode]!.adminUrl}/faults`;
  const response = faults ? await fetch(admin, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) }) : await fetch(admin, { method: 'DELETE' });
  expect(response.ok).toBe(true);
}

/** A new order of the store and the wallet's PReq for it (its PInitReq at the test's time). */
async function prepare(store: Store, pan: string) {
  const order = await orderFor(store);
  const { preq } = await walletPurchase(order.checkoutToken, order.id, card(pan), { brand: store.acquirerCode === 'ACQ-JCB' ? 'JCB' : 'VISA', now: clock });
  const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id }, select: { id: true } });
  return { store, pan, token: order.checkoutToken, preq: preq.raw, paymentId: payment.id };
}

async function pay(prepared: Prepared, phase: string, timeoutMs?: number): Promise<Attempt> {
  const base = { acquirer: prepared.store.acquirerCode, pan: prepared.pan, phase, paymentId: prepared.paymentId };
  try {
    const outcome = await payCheckout({ token: prepared.token, preq: prepared.preq, customer, now: clock, ...(timeoutMs ? { timeoutMs } : {}) });
    return record({ ...base, status: outcome.status, code: outcome.code });
  } catch (error) {
    if (isAppError(error) && error.code === 'acquirer_unavailable') return record({ ...base, status: 'refused', code: error.code });
    throw error;
  }
}

function record(attempt: Attempt): Attempt {
  attempts.push(attempt);
  return attempt;
}

async function inTurn<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await work(item));
  return results;
}

/** The healthy acquirer's traffic during a phase: more declines in a row than open a breaker, then approvals. */
async function jcbTraffic(phase: string): Promise<Attempt[]> {
  const pans = [...Array.from({ length: env().GATEWAY_CIRCUIT_FAILURES + 1 }, () => JCB_DECLINED), JCB_APPROVED, JCB_APPROVED];
  return inTurn(pans, async (pan) => pay(await prepare(jcbStore, pan), phase));
}

const expectRefusedWithoutPayment = () => expect(prepare(cardStore, VISA_APPROVED)).rejects.toMatchObject({ code: 'acquirer_unavailable' });

/**
 * One fault on ACQ-CARD: enough checkouts fail to open its breaker (in turn, or all at once) while ACQ-JCB takes
 * its own traffic; a PReq prepared earlier and a new PInitReq are then refused without reaching the gateway;
 * optionally a trial during the fault opens it again; the fault is cleared, the clock passes the cool-down, and
 * the next checkout is the trial that closes it.
 */
async function faultPhase(phase: string, faults: Record<string, unknown>, options: { expect: 'unknown' | 'failed'; timeoutMs?: number; burst?: number; failedTrial?: boolean }) {
  const threshold = env().GATEWAY_CIRCUIT_FAILURES;
  const cooldownMs = env().GATEWAY_CIRCUIT_COOLDOWN_SECONDS * 1000;
  const openedBefore = acquirerCircuitSnapshot(cardAcquirerId).openedCount;
  const failing = await inTurn(Array.from({ length: options.burst ?? threshold }, () => VISA_APPROVED), (pan) => prepare(cardStore, pan));
  const blocked = await prepare(cardStore, VISA_APPROVED);

  await setFaults('ACQ-CARD', faults);
  const [failed, jcb] = await Promise.all([
    options.burst ? Promise.all(failing.map((prepared) => pay(prepared, phase, options.timeoutMs))) : inTurn(failing, (prepared) => pay(prepared, phase, options.timeoutMs)),
    jcbTraffic(phase),
  ]);
  if (options.burst) {
    // All at once: those that reached the breaker before it opened went out and failed; any later were refused unsent.
    expect(failed.filter((attempt) => attempt.status === options.expect).length).toBeGreaterThanOrEqual(threshold);
    expect(failed.filter((attempt) => attempt.status !== options.expect && attempt.status !== 'refused')).toEqual([]);
  } else {
    expect(failed.map((attempt) => attempt.status)).toEqual(failed.map(() => options.expect));
  }
  expect(jcb.map((attempt) => ({ status: attempt.status, code: attempt.code }))).toEqual(jcb.map((attempt) => jcbExpected[attempt.pan]));
  expect(acquirerCircuitSnapshot(cardAcquirerId)).toMatchObject({ state: 'OPEN', failures: threshold, openedCount: openedBefore + 1 });
  expect(acquirerCircuitSnapshot(jcbAcquirerId)).toMatchObject({ state: 'CLOSED', failures: 0, openedCount: 0 });

  // Open: refused at once, nothing sent, the payment untouched and retryable; a new checkout is not even opened.
  const refused = await pay(blocked, phase);
  expect(refused).toMatchObject({ status: 'refused', code: 'acquirer_unavailable' });
  const untouched = await db().payment.findUniqueOrThrow({ where: { id: blocked.paymentId }, include: { events: true, transactions: true } });
  expect(untouched).toMatchObject({ status: 'PENDING', transactions: [] });
  expect(untouched.events.map((event) => [event.kind, event.code])).toEqual(expect.arrayContaining([['refused', 'acquirer_unavailable']]));
  expect(await ledgerOf(world, cardStore.merchantNumber, untouched.xid)).toEqual([]);
  await expectRefusedWithoutPayment();

  // The breaker opened when the last of those calls ended, up to the timeout after the clock: pass its cool-down from there.
  if (options.failedTrial) {
    advance(cooldownMs + 5_000);
    // Half-open with the gateway still failing: the one trial fails and the breaker opens for another cool-down.
    const trial = await pay(await prepare(cardStore, VISA_APPROVED), phase, options.timeoutMs);
    expect(trial.status).toBe(options.expect);
    expect(acquirerCircuitSnapshot(cardAcquirerId)).toMatchObject({ state: 'OPEN', openedCount: openedBefore + 2 });
    await expectRefusedWithoutPayment();
  }

  await setFaults('ACQ-CARD', null);
  advance(cooldownMs + 5_000);
  const trial = await pay(await prepare(cardStore, VISA_APPROVED), phase);
  expect(trial).toMatchObject({ status: 'approved' });
  expect(acquirerCircuitSnapshot(cardAcquirerId)).toMatchObject({ state: 'CLOSED', failures: 0 });
  advance(1_000);
}

/** Each gateway's ledger against ServerPOS's payments of the store, one for one. */
async function reconcile(store: Store) {
  const payments = await db().payment.findMany({ where: { storeId: store.storeId }, select: { id: true, xid: true, status: true, amount: true, declineCode: true } });
  const entries = await ledgerOf(world, store.merchantNumber, undefined, store.acquirerCode);
  const byXid = new Map<string, typeof entries>();
  for (const entry of entries) byXid.set(entry.xid, [...(byXid.get(entry.xid) ?? []), entry]);
  const known = new Set(payments.map((payment) => payment.xid));
  expect([...byXid.keys()].filter((xid) => !known.has(xid)), 'ledger entries for transactions ServerPOS does not know').toEqual([]);
  for (const payment of payments) {
    const ledger = byXid.get(payment.xid) ?? [];
    const authorizations = ledger.filter((entry) => entry.type === 'authorization');
    const reversed = ledger.some((entry) => entry.type === 'reversal' && entry.amount === 0);
    const held = ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED'].includes(payment.status);
    const detail = `${payment.status} payment ${payment.id}: ledger ${JSON.stringify(ledger)}`;
    expect(authorizations.length, detail).toBeLessThanOrEqual(1);
    // Standing at the gateway exactly when ServerPOS holds it as authorised, for the same amount.
    expect(authorizations.length === 1 && !reversed, detail).toBe(held);
    if (held) expect(authorizations[0]!.amount, detail).toBe(Number(payment.amount));
    // Refused by the breaker, answered 503 or refused a connection: the gateway never acted.
    if (payment.status === 'PENDING' || payment.declineCode === 'gateway_unavailable') expect(ledger, detail).toEqual([]);
  }
  return payments;
}

describe('gateway faults on one acquirer: no double charge, unknown outcomes settled on schedule, the other acquirer unaffected', () => {
  it('opens the faulty acquirer’s breaker only, refuses without sending while open, closes after recovery, and the ledgers agree', async () => {
    const started = performance.now();
    // Before any fault: one checkout whose issuer never answers (an unknown outcome the deadline must settle),
    // then an approval, which ends that run of one failure.
    expect(await pay(await prepare(cardStore, VISA_ISSUER_SILENT), 'warm-up', 1_000)).toMatchObject({ status: 'unknown' });
    expect(acquirerCircuitSnapshot(cardAcquirerId)).toMatchObject({ state: 'CLOSED', failures: 1 });
    expect(await pay(await prepare(cardStore, VISA_APPROVED), 'warm-up')).toMatchObject({ status: 'approved' });
    expect(acquirerCircuitSnapshot(cardAcquirerId)).toMatchObject({ state: 'CLOSED', failures: 0 });

    await faultPhase('latency beyond the timeout', { latencyMs: 2_500 }, { expect: 'unknown', timeoutMs: 1_000 });

    // What the operator console reads, recorded by this instance while the breaker was open, then closed.
    await flushAcquirerCircuitRecords();
    const afterFirst = (await listAcquirerCircuits()).find((circuit) => circuit.code === 'ACQ-CARD')!;
    expect(afterFirst.instances.find((view) => view.instance === instanceName())).toMatchObject({ state: 'CLOSED', failures: 0, openedCount: 1, lastFailure: 'timed out' });

    await faultPhase('503 errors', { errorRate: 1 }, { expect: 'failed' });
    await faultPhase('dropped replies, all at once', { dropReplyRate: 1 }, { expect: 'unknown', burst: env().GATEWAY_CIRCUIT_FAILURES + 3 });
    await faultPhase('refused connections', { refuseConnections: true }, { expect: 'failed', failedTrial: true });

    // The console's view: ACQ-CARD opened five times on this instance and is closed; ACQ-JCB never recorded a change.
    await flushAcquirerCircuitRecords();
    const circuits = await listAcquirerCircuits();
    const cardView = circuits.find((circuit) => circuit.code === 'ACQ-CARD')!;
    expect(cardView.instances.find((view) => view.instance === instanceName())).toMatchObject({ state: 'CLOSED', failures: 0, openedCount: 5, lastFailure: 'connection refused' });
    expect(cardView.latest?.state).toBe('CLOSED');
    expect(circuits.find((circuit) => circuit.code === 'ACQ-JCB')!.instances.filter((view) => view.instance === instanceName())).toEqual([]);

    // The worker's schedule, on the test's clock: a round every PAYMENT_RESOLVE_POLL_MS; each unknown outcome is
    // settled by inquiry, or by the reversal at its deadline (UNKNOWN_OUTCOME_DEADLINE_SECONDS).
    const poll = env().PAYMENT_RESOLVE_POLL_MS;
    const unknown = await db().payment.findMany({ where: { storeId: cardStore.storeId, status: 'UNKNOWN' }, select: { id: true, resolveBy: true } });
    expect(unknown).toHaveLength(attempts.filter((attempt) => attempt.status === 'unknown').length);
    const lastDeadline = Math.max(...unknown.map((payment) => payment.resolveBy!.getTime()));
    const settledAt = new Map<string, Date>();
    for (let round = clock; settledAt.size < unknown.length && round.getTime() <= lastDeadline + poll; round = new Date(round.getTime() + poll)) {
      await resolveUnknownPayments(db(), round);
      const still = new Set((await db().payment.findMany({ where: { id: { in: unknown.map((payment) => payment.id) }, status: 'UNKNOWN' }, select: { id: true } })).map((payment) => payment.id));
      for (const payment of unknown) if (!still.has(payment.id) && !settledAt.has(payment.id)) settledAt.set(payment.id, round);
    }
    for (const payment of unknown) {
      expect(settledAt.get(payment.id), `payment ${payment.id} still unknown after its deadline`).toBeDefined();
      expect(settledAt.get(payment.id)!.getTime()).toBeLessThanOrEqual(payment.resolveBy!.getTime() + poll);
    }
    const settled = await db().payment.findMany({ where: { id: { in: unknown.map((payment) => payment.id) } }, select: { status: true } });
    const firstRound = [...settledAt.values()].filter((round) => round.getTime() === clock.getTime()).length;
    const silent = attempts.find((attempt) => attempt.pan === VISA_ISSUER_SILENT)!;
    expect(await db().payment.findUniqueOrThrow({ where: { id: silent.paymentId } })).toMatchObject({ status: 'FAILED', declineCode: 'unknown_outcome_reversed' });

    const cardPayments = await reconcile(cardStore);
    const jcbPayments = await reconcile(jcbStore);
    expect(cardPayments.filter((payment) => payment.status === 'UNKNOWN' || payment.status === 'AUTHORIZING')).toEqual([]);
    expect(jcbPayments.filter((payment) => !['AUTHORIZED', 'DECLINED', 'PENDING'].includes(payment.status))).toEqual([]);
    const jcbAttempts = attempts.filter((attempt) => attempt.acquirer === 'ACQ-JCB');
    expect(jcbAttempts.map((attempt) => ({ status: attempt.status, code: attempt.code }))).toEqual(jcbAttempts.map((attempt) => jcbExpected[attempt.pan]));

    const count = (status: Attempt['status'], acquirer = 'ACQ-CARD') => attempts.filter((attempt) => attempt.acquirer === acquirer && attempt.status === status).length;
    console.log(
      `gateway faults: ${attempts.length} checkouts in ${Math.round((performance.now() - started) / 1000)} s — ACQ-CARD ${count('approved')} approved, ${count('unknown')} unknown ` +
        `(${settled.filter((payment) => payment.status === 'AUTHORIZED').length} found authorised, ${settled.filter((payment) => payment.status !== 'AUTHORIZED').length} reversed or failed; ` +
        `${firstRound} settled in the worker's first round, the rest by their deadline), ${count('failed')} failed, ${count('refused')} refused by its breaker; ACQ-JCB ${jcbAttempts.length} answered as their cards say, none refused`,
    );
  });
});
