import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchStoreInfo } from '@/lib/acquirers/registry-client';
import type { RevocationPayload } from '@/lib/certificates/enqueue-revocation';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { revokeCertificate } from '@/lib/certificates/revoke-certificate';
import { db } from '@/lib/db/client';
import { confirmWithdrawal } from '@/lib/stores/confirm-withdrawal';
import { ACQUIRER_WITHDRAWAL_KIND, withdrawFromAcquirers, type WithdrawalPayload } from '@/lib/stores/withdraw-from-acquirers';
import { createEnrolledStore, enrolAt, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

/** Delivers what the outbox holds for the store, as the worker would: withdrawals, then revocations. */
async function runOutbox(storeId: string) {
  const messages = await db().outboxMessage.findMany({ where: { storeId, status: 'PENDING', kind: { in: [ACQUIRER_WITHDRAWAL_KIND, 'ca.revocation'] } }, orderBy: { createdAt: 'asc' } });
  for (const message of messages) {
    if (message.kind === ACQUIRER_WITHDRAWAL_KIND) await confirmWithdrawal(db(), message.payload as unknown as WithdrawalPayload);
    else await revokeCertificate(db(), message.payload as unknown as RevocationPayload);
    await db().outboxMessage.update({ where: { id: message.id }, data: { status: 'DELIVERED' } });
  }
}

async function storeAtTwoAcquirers() {
  // New merchant contracts each time: a merchant that withdrew cannot enrol again.
  const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-CARD' });
  const actor = { type: 'STORE_USER' as const, id: store.userId };
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor, acquisitionNumber: store.acquisitionNumber });
  const jcb = await enrolAt(world, { storeId: store.storeId, storeName: 'Test Books', acquirerCode: 'ACQ-JCB', posIds: [store.posId] });
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: jcb.posAcquirerIds[0]!, actor, acquisitionNumber: jcb.acquisitionNumber });
  await db().posApiKey.create({ data: { storeId: store.storeId, posId: store.posId, prefix: `test${Date.now()}`, secretHash: 'f'.repeat(64), label: 'shop' } });
  return { ...store, actor, jcb };
}

const jcbAcquirer = () => ({ code: 'ACQ-JCB', name: 'Fuji JCB Acquiring', registryUrl: world.sims.acquirers['ACQ-JCB']!.registryUrl });
const cardAcquirer = () => ({ code: 'ACQ-CARD', name: 'Aozora Card Services', registryUrl: world.sims.acquirers['ACQ-CARD']!.registryUrl });

describe('withdrawal', () => {
  it('from one acquirer: confirmed by it, its certificates revoked at the CA and their keys destroyed; the other acquirer goes on', async () => {
    const store = await storeAtTwoAcquirers();
    const result = await withdrawFromAcquirers({ storeId: store.storeId, actor: store.actor, acquirers: [world.acquirerIds['ACQ-JCB']!] });
    expect(result).toEqual({ contracts: 1, closesStore: false });
    // At once: the contract is being withdrawn and its certificates no longer serve.
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: store.jcb.contractId } })).toMatchObject({ status: 'WITHDRAWING' });
    expect(await db().certificate.count({ where: { posAcquirerId: store.jcb.posAcquirerIds[0]!, status: 'ACTIVE' } })).toBe(0);

    await runOutbox(store.storeId);
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: store.jcb.contractId } })).toMatchObject({ status: 'WITHDRAWN' });
    expect((await fetchStoreInfo(jcbAcquirer(), store.jcb.merchantNumber)).status).toBe('withdrawn');
    const revoked = await db().certificate.findMany({ where: { posAcquirerId: store.jcb.posAcquirerIds[0]! }, include: { keyPair: true } });
    expect(revoked).toHaveLength(2);
    for (const certificate of revoked) {
      expect(certificate).toMatchObject({ status: 'REVOKED' });
      expect(certificate.revokedAt).not.toBeNull();
      expect(certificate.keyPair).toMatchObject({ encryptedPrivateKey: null });
    }
    // The other acquirer is untouched.
    expect(await db().certificate.count({ where: { posAcquirerId: store.posAcquirerId, status: 'ACTIVE' } })).toBe(2);
    expect(await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).toMatchObject({ status: 'ACTIVE' });
    expect((await fetchStoreInfo(cardAcquirer(), store.merchantNumber)).status).toBe('active');
    await expect(withdrawFromAcquirers({ storeId: store.storeId, actor: store.actor, acquirers: [world.acquirerIds['ACQ-JCB']!] })).rejects.toMatchObject({ code: 'invalid_state_transition' });
  });

  it('from all: the store is closed once every acquirer has confirmed, its API keys stop working, records stay', async () => {
    const store = await storeAtTwoAcquirers();
    expect(await withdrawFromAcquirers({ storeId: store.storeId, actor: store.actor, acquirers: 'all' })).toEqual({ contracts: 2, closesStore: true });
    await runOutbox(store.storeId);
    const closed = await db().store.findUniqueOrThrow({ where: { id: store.storeId } });
    expect(closed.status).toBe('WITHDRAWN');
    expect(closed.withdrawnAt).not.toBeNull();
    expect(await db().posApiKey.count({ where: { storeId: store.storeId, revokedAt: null } })).toBe(0);
    expect(await db().keyPair.count({ where: { storeId: store.storeId, encryptedPrivateKey: { not: null } } })).toBe(0);
    expect(await db().certificate.count({ where: { storeId: store.storeId } })).toBe(4);
    expect(await db().auditEvent.count({ where: { storeId: store.storeId, action: 'store.withdrawn' } })).toBe(1);
    await expect(withdrawFromAcquirers({ storeId: store.storeId, actor: store.actor, acquirers: 'all' })).rejects.toMatchObject({ code: 'store_inactive' });
    await expect(issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: store.actor })).rejects.toMatchObject({ code: 'store_inactive' });
  });

  it('keeps the contract WITHDRAWING while the acquirer cannot be reached, and refuses another store\'s acquirers', async () => {
    const store = await storeAtTwoAcquirers();
    await db().acquirer.update({ where: { code: 'ACQ-JCB' }, data: { registryUrl: 'http://127.0.0.1:9/registry' } });
    try {
      await withdrawFromAcquirers({ storeId: store.storeId, actor: store.actor, acquirers: [world.acquirerIds['ACQ-JCB']!] });
      const message = await db().outboxMessage.findFirstOrThrow({ where: { storeId: store.storeId, kind: ACQUIRER_WITHDRAWAL_KIND } });
      await expect(confirmWithdrawal(db(), message.payload as unknown as WithdrawalPayload)).rejects.toMatchObject({ code: 'upstream_unavailable' });
      expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: store.jcb.contractId } })).toMatchObject({ status: 'WITHDRAWING' });
    } finally {
      await db().acquirer.update({ where: { code: 'ACQ-JCB' }, data: { registryUrl: world.sims.acquirers['ACQ-JCB']!.registryUrl } });
    }
    const other = await createEnrolledStore(world, { storeName: 'Second Shop' });
    await expect(withdrawFromAcquirers({ storeId: other.storeId, actor: { type: 'STORE_USER', id: other.userId }, acquirers: [world.acquirerIds['ACQ-BANK']!] })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: other.contractId } })).toMatchObject({ status: 'VERIFIED' });
  });
});
