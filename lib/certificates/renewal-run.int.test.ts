import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { retryFailedRenewals, startRenewalRun, type RenewalRunPayload } from '@/lib/certificates/start-renewal-run';
import { workRenewalRun } from '@/lib/certificates/work-renewal-run';
import { db } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { createEnrolledStore, enrolAt, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

/** A store registered with all three acquirers on two POSes: six POS × acquirer links with certificates. */
async function registeredStore() {
  const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-CARD', merchantNumber: 'M-TEST-0001' });
  const actor = { type: 'STORE_USER' as const, id: store.userId };
  const phone = await db().pos.create({ data: { storeId: store.storeId, name: 'Phone orders' } });
  const links = [store.posAcquirerId, (await db().posAcquirer.create({ data: { storeId: store.storeId, posId: phone.id, acquirerId: world.acquirerIds['ACQ-CARD']!, contractId: store.contractId } })).id];
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: links[0]!, actor, acquisitionNumber: store.acquisitionNumber });
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: links[1]!, actor });
  for (const [acquirerCode, merchantNumber] of [['ACQ-JCB', 'J-TEST-0001'], ['ACQ-BANK', 'B-TEST-0001']] as const) {
    const more = await enrolAt(world, { storeId: store.storeId, storeName: 'Test Books', acquirerCode, merchantNumber, posIds: [store.posId, phone.id] });
    await issuePosCertificates({ storeId: store.storeId, posAcquirerId: more.posAcquirerIds[0]!, actor, acquisitionNumber: more.acquisitionNumber });
    await issuePosCertificates({ storeId: store.storeId, posAcquirerId: more.posAcquirerIds[1]!, actor });
    links.push(...more.posAcquirerIds);
  }
  return { ...store, actor, links, phonePosId: phone.id };
}

const activeSerials = async (storeId: string) =>
  (await db().certificate.findMany({ where: { storeId, status: 'ACTIVE' }, select: { serialNumber: true }, orderBy: { serialNumber: 'asc' } })).map((row) => row.serialNumber);

describe('renew all', () => {
  it('renews every POS × acquirer of the store in one run, with a result per item; a double click joins the same run', async () => {
    const store = await registeredStore();
    const before = await activeSerials(store.storeId);
    expect(before).toHaveLength(12);

    const [first, second] = await Promise.all([startRenewalRun({ storeId: store.storeId, actor: store.actor }), startRenewalRun({ storeId: store.storeId, actor: store.actor })]);
    expect(second.runId).toBe(first.runId);
    expect([first.alreadyRunning, second.alreadyRunning].sort()).toEqual([false, true]);
    expect(await db().certificateRenewalRun.count({ where: { storeId: store.storeId } })).toBe(1);

    const message = await db().outboxMessage.findFirstOrThrow({ where: { storeId: store.storeId, kind: 'certificates.renewal_run' } });
    await workRenewalRun(db(), message.payload as unknown as RenewalRunPayload);

    const run = await db().certificateRenewalRun.findUniqueOrThrow({ where: { id: first.runId }, include: { items: true } });
    expect(run).toMatchObject({ status: 'FINISHED', runningFor: null });
    expect(run.items).toHaveLength(6);
    expect(run.items.every((item) => item.status === 'SUCCEEDED' && item.attempts === 1)).toBe(true);
    const after = await activeSerials(store.storeId);
    expect(after).toHaveLength(12);
    expect(after.filter((serial) => before.includes(serial))).toEqual([]);
    // More lanes than items: each item recorded once by the lane that claimed it, the run finished once.
    expect(run.items.every((item) => item.startedAt && item.finishedAt && item.finishedAt >= item.startedAt)).toBe(true);
    expect(await db().auditEvent.findMany({ where: { storeId: store.storeId, action: 'certificate.renew_all_finished' }, select: { data: true } })).toEqual([{ data: { succeeded: 6, failed: 0 } }]);

    // One POS only.
    const onePos = await startRenewalRun({ storeId: store.storeId, actor: store.actor, posId: store.phonePosId });
    expect(await db().certificateRenewalItem.count({ where: { runId: onePos.runId } })).toBe(3);
  });

  it('with the CA down, every item fails and the old certificates keep serving; the retry renews exactly those that failed', async () => {
    const store = await registeredStore();
    const before = await activeSerials(store.storeId);
    const { runId } = await startRenewalRun({ storeId: store.storeId, actor: store.actor });
    const caUrl = process.env.CA_URL!;
    process.env.CA_URL = 'http://127.0.0.1:9';
    resetEnvForTests();
    try {
      await workRenewalRun(db(), { runId });
    } finally {
      process.env.CA_URL = caUrl;
      resetEnvForTests();
    }
    const failedRun = await db().certificateRenewalRun.findUniqueOrThrow({ where: { id: runId }, include: { items: true } });
    expect(failedRun.status).toBe('FINISHED');
    expect(failedRun.items.map((item) => item.errorCode)).toEqual(Array(6).fill('upstream_unavailable'));
    expect(await activeSerials(store.storeId)).toEqual(before);

    const retry = await retryFailedRenewals({ storeId: store.storeId, runId, actor: store.actor });
    expect(retry.alreadyRunning).toBe(false);
    await workRenewalRun(db(), { runId: retry.runId });
    const retried = await db().certificateRenewalItem.findMany({ where: { runId: retry.runId } });
    expect(retried.map((item) => item.status)).toEqual(Array(6).fill('SUCCEEDED'));
    expect((await activeSerials(store.storeId)).filter((serial) => before.includes(serial))).toEqual([]);
    await expect(retryFailedRenewals({ storeId: store.storeId, runId: retry.runId, actor: store.actor })).rejects.toMatchObject({ code: 'invalid_state_transition' });
  });

  it('with the CA going down in the middle of the run, the renewed ones stay renewed, the others keep their old certificates, and the retry finishes the job', async () => {
    const store = await registeredStore();
    const before = await activeSerials(store.storeId);
    // A CA that answers two certificate requests and then goes down (connections dropped), in front of the real one.
    let certificateRequests = 0;
    const target = new URL(process.env.CA_URL!);
    const proxy = http.createServer((incoming, outgoing) => {
      if (incoming.url === '/ca/cert-req' && ++certificateRequests > 2) {
        incoming.socket.destroy();
        return;
      }
      const forwarded = http.request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      });
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const caUrl = process.env.CA_URL!;
    process.env.CA_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    resetEnvForTests();
    const { runId } = await startRenewalRun({ storeId: store.storeId, actor: store.actor });
    try {
      await workRenewalRun(db(), { runId });
    } finally {
      process.env.CA_URL = caUrl;
      resetEnvForTests();
      await new Promise((resolve) => proxy.close(resolve));
    }
    const items = await db().certificateRenewalItem.findMany({ where: { runId }, select: { status: true, errorCode: true, posAcquirerId: true } });
    expect(items.filter((item) => item.status === 'SUCCEEDED')).toHaveLength(2);
    const failed = items.filter((item) => item.status === 'FAILED');
    expect(failed.map((item) => item.errorCode)).toEqual(Array(4).fill('upstream_unavailable'));
    // Every POS × acquirer still has exactly one serving pair: new for the two renewed, old for the four that failed.
    for (const item of items) {
      const serving = await db().certificate.findMany({ where: { posAcquirerId: item.posAcquirerId, status: 'ACTIVE' }, select: { serialNumber: true } });
      expect(serving).toHaveLength(2);
      expect(serving.every((certificate) => before.includes(certificate.serialNumber))).toBe(item.status === 'FAILED');
    }

    const retry = await retryFailedRenewals({ storeId: store.storeId, runId, actor: store.actor });
    await workRenewalRun(db(), { runId: retry.runId });
    expect((await db().certificateRenewalItem.findMany({ where: { runId: retry.runId } })).map((item) => item.status)).toEqual(Array(4).fill('SUCCEEDED'));
    expect((await activeSerials(store.storeId)).filter((serial) => before.includes(serial))).toEqual([]);
  });

  it('is tenant-scoped: another store cannot start, retry or see a run of this store', async () => {
    const store = await registeredStore();
    const other = await createEnrolledStore(world, { merchantNumber: 'M-TEST-0002', storeName: 'Second Shop' });
    await expect(startRenewalRun({ storeId: other.storeId, actor: { type: 'STORE_USER', id: other.userId }, posId: store.posId })).rejects.toMatchObject({ code: 'not_found' });
    const { runId } = await startRenewalRun({ storeId: store.storeId, actor: store.actor });
    await workRenewalRun(db(), { runId });
    await expect(retryFailedRenewals({ storeId: other.storeId, runId, actor: { type: 'STORE_USER', id: other.userId } })).rejects.toMatchObject({ code: 'not_found' });
  });
});
