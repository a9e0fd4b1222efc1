import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { db } from '@/lib/db/client';
import { readConnectionTestDetail, soonestCertificateEnd } from '@/lib/operator/connection-test-detail';
import { deleteOldConnectionTests } from '@/lib/operator/delete-old-connection-tests';
import { listConnectionTests } from '@/lib/operator/list-connection-tests';
import { listLatestConnectionTests } from '@/lib/operator/list-latest-connection-tests';
import { runAllConnectionTests } from '@/lib/operator/run-all-connection-tests';
import { runConnectionTest } from '@/lib/operator/run-connection-test';
import { createOperator } from '@/lib/testing/fixtures';
import { createEnrolledStore, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;
let operator: { userId: string };
let cardStore: Awaited<ReturnType<typeof registeredAt>>;

/** A store whose POS is registered with the acquirer: its certificates issued by the CA. */
async function registeredAt(acquirerCode: string) {
  const store = await createEnrolledStore(world, { acquirerCode });
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: { type: 'STORE_USER', id: store.userId }, acquisitionNumber: store.acquisitionNumber });
  return store;
}

const faults = (acquirerCode: string, change: object | null) =>
  fetch(`${world.sims.acquirers[acquirerCode]!.adminUrl}/faults`, change ? { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) } : { method: 'DELETE' }).then((response) => {
    expect(response.ok).toBe(true);
  });

beforeAll(async () => {
  world = await startSimWorld();
  operator = await createOperator();
  cardStore = await registeredAt('ACQ-CARD');
  await registeredAt('ACQ-JCB');
});

afterEach(async () => {
  for (const code of Object.keys(world.sims.acquirers)) await faults(code, null);
});

afterAll(async () => {
  await world?.stop();
});

describe('connection tests to the acquirers’ gateways', () => {
  it('checks both certificate chains and makes a signed InqReq exchange, recorded with its latency and audited', async () => {
    const acquirerId = world.acquirerIds['ACQ-CARD']!;
    const test = await runConnectionTest({ acquirerId, trigger: 'ON_DEMAND', operatorUserId: operator.userId });
    expect(test).toMatchObject({ acquirerId, trigger: 'ON_DEMAND', ok: true, code: null, message: null });
    expect(test.latencyMs).toEqual(expect.any(Number));
    expect(test.latencyMs).toBeGreaterThanOrEqual(0);

    const row = await db().acquirerConnectionTest.findUniqueOrThrow({ where: { id: test.id } });
    expect(row).toMatchObject({ ok: true, operatorUserId: operator.userId, latencyMs: test.latencyMs });
    const detail = readConnectionTestDetail(row.detail);
    expect(detail?.certificates).toMatchObject({ httpStatus: 200, chains: [{ usage: 'signature', ok: true }, { usage: 'keyExchange', ok: true }] });
    for (const chain of detail!.certificates.chains) {
      // Leaf, gateway CA, brand CA…: each with its end of validity.
      expect(chain.certificates.length).toBeGreaterThan(1);
      for (const certificate of chain.certificates) expect(new Date(certificate.notAfter).getTime()).toBeGreaterThan(Date.now());
    }
    expect(soonestCertificateEnd(detail)?.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(detail?.exchange).toMatchObject({ ran: true, state: 'unknown', httpStatus: 200, latencyMs: test.latencyMs, pos: { posId: cardStore.posId, merchantNumber: cardStore.merchantNumber } });

    // The gateway saw an inquiry for that XID from the POS's merchant, and holds no transaction for it.
    const ledger = (await (await fetch(`${world.sims.acquirers['ACQ-CARD']!.adminUrl}/ledger?xid=${detail!.exchange.xid}`)).json()) as { entries: unknown[] };
    expect(ledger.entries).toEqual([]);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'acquirer.connection_tested', targetId: acquirerId }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorType: 'OPERATOR', actorId: operator.userId, storeId: null, data: { acquirerCode: 'ACQ-CARD', ok: true, latencyMs: test.latencyMs } });

    // Nothing secret in what was kept: no key, no acquisition number.
    const kept = JSON.stringify(row) + JSON.stringify(audit);
    expect(kept).not.toMatch(/PRIVATE KEY|"d":|pkcs8/i);
    expect(kept).not.toContain(cardStore.acquisitionNumber);
  });

  it('records refused connections as gateway_unavailable, and the exchange is not attempted', async () => {
    await faults('ACQ-CARD', { refuseConnections: true });
    const test = await runConnectionTest({ acquirerId: world.acquirerIds['ACQ-CARD']!, trigger: 'ON_DEMAND', operatorUserId: operator.userId });
    expect(test).toMatchObject({ ok: false, code: 'gateway_unavailable', latencyMs: null, message: expect.stringContaining('connection refused') });
    expect(test.detail.certificates.error).toBe('connection refused');
    expect(test.detail.exchange.ran).toBe(false);
  });

  it('records HTTP 5xx answers to the signed request as gateway_error, with the certificates still checked', async () => {
    await faults('ACQ-CARD', { errorRate: 1 });
    const test = await runConnectionTest({ acquirerId: world.acquirerIds['ACQ-CARD']!, trigger: 'SCHEDULED' });
    expect(test).toMatchObject({ ok: false, code: 'gateway_error', message: expect.stringContaining('HTTP 503') });
    expect(test.latencyMs).toEqual(expect.any(Number));
    expect(test.detail.certificates.chains.map((chain) => chain.ok)).toEqual([true, true]);
    expect(test.detail.exchange).toMatchObject({ ran: true, httpStatus: 503 });
    // Scheduled runs are not audited: nobody acted.
    expect(await db().auditEvent.count({ where: { action: 'acquirer.connection_tested', createdAt: { gte: test.startedAt } } })).toBe(0);
  });

  it('records a gateway slower than the timeout as gateway_unavailable (timed out)', async () => {
    await faults('ACQ-CARD', { latencyMs: 3_000 });
    const test = await runConnectionTest({ acquirerId: world.acquirerIds['ACQ-CARD']!, trigger: 'ON_DEMAND', operatorUserId: operator.userId, timeoutMs: 1_000 });
    expect(test).toMatchObject({ ok: false, code: 'gateway_unavailable', latencyMs: null, message: expect.stringContaining('no answer within 1000 ms') });
    expect(test.detail.exchange).toMatchObject({ ran: true });
    expect(test.detail.exchange.httpStatus).toBeUndefined();
  });

  it('records no_registered_pos when no POS can sign, after checking the certificates', async () => {
    const acquirerId = world.acquirerIds['ACQ-BANK']!;
    // Earlier test files of the run may have registered POSes here: set them aside for this test.
    const others = await db().posAcquirer.findMany({ where: { acquirerId, status: 'REGISTERED' }, select: { id: true } });
    await db().posAcquirer.updateMany({ where: { id: { in: others.map((link) => link.id) } }, data: { status: 'DISABLED' } });
    try {
      const test = await runConnectionTest({ acquirerId, trigger: 'ON_DEMAND', operatorUserId: operator.userId });
      expect(test).toMatchObject({ ok: false, code: 'no_registered_pos', latencyMs: null, message: expect.stringContaining('No POS is registered with Minato Bank Transfers') });
      expect(test.detail.certificates.chains.map((chain) => [chain.usage, chain.ok])).toEqual([
        ['signature', true],
        ['keyExchange', true],
      ]);
      expect(test.detail.exchange.ran).toBe(false);
    } finally {
      await db().posAcquirer.updateMany({ where: { id: { in: others.map((link) => link.id) } }, data: { status: 'REGISTERED' } });
    }
  });

  it('tests every active acquirer at once: a faulty one fails, the others are unaffected', async () => {
    await faults('ACQ-CARD', { refuseConnections: true });
    const run = await runAllConnectionTests({ trigger: 'ON_DEMAND', operatorUserId: operator.userId, timeoutMs: 5_000 });
    expect(run.failedToRun).toBe(0);
    const byAcquirer = new Map(run.tests.map((test) => [test.acquirerId, test]));
    expect(byAcquirer.get(world.acquirerIds['ACQ-CARD']!)).toMatchObject({ ok: false, code: 'gateway_unavailable' });
    const jcb = byAcquirer.get(world.acquirerIds['ACQ-JCB']!);
    expect(jcb).toMatchObject({ ok: true, code: null });
    expect(jcb?.latencyMs).toEqual(expect.any(Number));
    // A disabled acquirer is left out of "test all".
    const disabled = await db().acquirer.create({ data: { code: `ACQ-OFF-${randomUUID().slice(0, 8)}`, name: 'Off Acquiring', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set', status: 'DISABLED' } });
    const again = await runAllConnectionTests({ trigger: 'SCHEDULED', timeoutMs: 5_000 });
    expect(again.tests.some((test) => test.acquirerId === disabled.id)).toBe(false);
    expect(again.tests.find((test) => test.acquirerId === world.acquirerIds['ACQ-JCB'])).toMatchObject({ ok: true });

    // The latest per acquirer is the newest run; the history pages newest first and filters by acquirer.
    const latest = await listLatestConnectionTests();
    const cardLatest = latest.find((acquirer) => acquirer.code === 'ACQ-CARD');
    expect(cardLatest?.latest).toMatchObject({ trigger: 'SCHEDULED', ok: false, code: 'gateway_unavailable' });
    expect(latest.find((acquirer) => acquirer.id === disabled.id)?.latest).toBeNull();

    const cardTests = await db().acquirerConnectionTest.count({ where: { acquirerId: world.acquirerIds['ACQ-CARD']! } });
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await listConnectionTests({ acquirerId: world.acquirerIds['ACQ-CARD']!, limit: 2, ...(before ? { before } : {}) });
      expect(page.tests.every((test) => test.acquirer.code === 'ACQ-CARD')).toBe(true);
      seen.push(...page.tests.map((test) => test.id));
      before = page.nextBefore ?? undefined;
    } while (before);
    expect(seen).toHaveLength(cardTests);
    expect(new Set(seen).size).toBe(cardTests);
    const rows = await db().acquirerConnectionTest.findMany({ where: { id: { in: seen } }, select: { id: true, startedAt: true } });
    const startedAt = new Map(rows.map((row) => [row.id, row.startedAt.getTime()]));
    expect(seen.map((id) => startedAt.get(id)!)).toEqual([...seen.map((id) => startedAt.get(id)!)].sort((a, b) => b - a));
  });

  it('refuses an unknown acquirer as not_found, and deletes tests older than 30 days', async () => {
    await expect(runConnectionTest({ acquirerId: randomUUID(), trigger: 'ON_DEMAND' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(runConnectionTest({ acquirerId: 'not-a-uuid', trigger: 'ON_DEMAND' })).rejects.toMatchObject({ code: 'not_found' });

    const acquirerId = world.acquirerIds['ACQ-JCB']!;
    const now = new Date();
    const old = await db().acquirerConnectionTest.create({ data: { acquirerId, trigger: 'SCHEDULED', ok: true, startedAt: new Date(now.getTime() - 31 * 86_400_000) } });
    const recent = await db().acquirerConnectionTest.create({ data: { acquirerId, trigger: 'SCHEDULED', ok: true, startedAt: new Date(now.getTime() - 29 * 86_400_000) } });
    expect(await deleteOldConnectionTests(now)).toBeGreaterThanOrEqual(1);
    expect(await db().acquirerConnectionTest.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db().acquirerConnectionTest.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});
