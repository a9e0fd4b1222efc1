import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyPin } from '@/lib/auth/pin';
import { db } from '@/lib/db/client';
import type { AppError } from '@/lib/errors';
import { ACQUIRER_APPLICATION_KIND } from '@/lib/outbox/enqueue-acquirer-application';
import { applyForContract } from '@/lib/stores/apply-for-contract';
import { listContracts } from '@/lib/stores/list-contracts';
import { createStoreWithOwner, outboxEmailsTo } from '@/lib/testing/fixtures';

async function createAcquirerRow(status: 'ACTIVE' | 'DISABLED' = 'ACTIVE') {
  const code = `APPLY-${randomUUID().slice(0, 8).toUpperCase()}`;
  return db().acquirer.create({
    data: { code, name: `Acquirer ${code}`, brands: ['JCB'], gatewayUrl: 'http://127.0.0.1:1/set', registryUrl: 'http://127.0.0.1:1/registry', status },
    select: { id: true, code: true, name: true },
  });
}

const merchantNumber = () => `M-${randomUUID().slice(0, 8).toUpperCase()}`;

/** A store with an owner and two POSes. */
async function storeWithPoses() {
  const store = await createStoreWithOwner();
  const poses = await Promise.all(['Web shop', 'Phone orders'].map((name) => db().pos.create({ data: { storeId: store.storeId, name }, select: { id: true } })));
  return { ...store, actor: { type: 'STORE_USER' as const, id: store.userId }, posIds: poses.map((pos) => pos.id) };
}

async function snapshot(storeId: string) {
  const [contracts, links, messages, audit] = await Promise.all([
    db().acquirerContract.count({ where: { storeId } }),
    db().posAcquirer.count({ where: { storeId } }),
    db().outboxMessage.count({ where: { storeId } }),
    db().auditEvent.count({ where: { storeId } }),
  ]);
  return { contracts, links, messages, audit };
}

describe('applyForContract', () => {
  it('applies: contract APPLIED with the PIN verifier, every POS linked PENDING, the application in the outbox, an audit event with the origin', async () => {
    const store = await storeWithPoses();
    const acquirer = await createAcquirerRow();
    const number = merchantNumber();

    const result = await applyForContract({
      storeId: store.storeId,
      actor: store.actor,
      input: { acquirerCode: acquirer.code, merchantNumber: number.toLowerCase(), pin: '24680' },
      origin: { ipAddress: '203.0.113.9', userAgent: 'test agent' },
    });
    expect(result).toEqual({ acquirerName: acquirer.name });

    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { storeId_acquirerId: { storeId: store.storeId, acquirerId: acquirer.id } } });
    expect(contract).toMatchObject({ merchantNumber: number, status: 'APPLIED', verifiedAt: null });
    expect(await verifyPin(contract.pinHash, '24680')).toBe(true);
    const links = await db().posAcquirer.findMany({ where: { contractId: contract.id }, select: { posId: true, status: true } });
    expect(links.map((link) => link.posId).sort()).toEqual([...store.posIds].sort());
    expect(links.every((link) => link.status === 'PENDING')).toBe(true);
    const messages = await db().outboxMessage.findMany({ where: { storeId: store.storeId, kind: ACQUIRER_APPLICATION_KIND } });
    expect(messages.map((message) => message.payload)).toEqual([{ contractId: contract.id }]);
    const audit = await db().auditEvent.findMany({ where: { storeId: store.storeId } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'contract.applied', actorType: 'STORE_USER', actorId: store.userId, targetId: contract.id, ipAddress: '203.0.113.9', userAgent: 'test agent' }),
    ]);
    expect(audit[0]!.data).toEqual({ acquirerCode: acquirer.code, merchantNumber: number, posLinks: 2 });

    const listed = await listContracts({ storeId: store.storeId });
    expect(listed.contracts.map((entry) => entry.acquirer.code)).toEqual([acquirer.code]);
    expect(listed.available.map((entry) => entry.code)).not.toContain(acquirer.code);
  });

  it('applies again in place after a rejection, and the acquirer is offered again until then', async () => {
    const store = await storeWithPoses();
    const acquirer = await createAcquirerRow();
    await applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode: acquirer.code, merchantNumber: merchantNumber(), pin: '1111' } });
    const first = await db().acquirerContract.findFirstOrThrow({ where: { storeId: store.storeId } });
    await db().acquirerContract.update({ where: { id: first.id }, data: { status: 'REJECTED', rejectionReason: 'This merchant number has no contract with us. (unknown_merchant)' } });
    await db().posAcquirer.updateMany({ where: { contractId: first.id }, data: { status: 'DISABLED' } });
    expect((await listContracts({ storeId: store.storeId })).available).toContainEqual({ code: acquirer.code, name: acquirer.name, brands: ['JCB'], appliedBefore: true });

    const corrected = merchantNumber();
    await applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode: acquirer.code, merchantNumber: corrected, pin: '2222' } });

    const again = await db().acquirerContract.findUniqueOrThrow({ where: { id: first.id } });
    expect(again).toMatchObject({ merchantNumber: corrected, status: 'APPLIED', rejectionReason: null });
    expect(await verifyPin(again.pinHash, '2222')).toBe(true);
    expect(await db().posAcquirer.findMany({ where: { contractId: first.id }, select: { status: true } })).toEqual([{ status: 'PENDING' }, { status: 'PENDING' }]);
    expect(await db().outboxMessage.count({ where: { storeId: store.storeId, kind: ACQUIRER_APPLICATION_KIND } })).toBe(2);
  });

  it('refuses a second application to an acquirer the store already has a live contract with', async () => {
    const store = await storeWithPoses();
    const acquirer = await createAcquirerRow();
    await applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode: acquirer.code, merchantNumber: merchantNumber(), pin: '1111' } });
    const before = await snapshot(store.storeId);
    await expect(
      applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode: acquirer.code, merchantNumber: merchantNumber(), pin: '1111' } }),
    ).rejects.toMatchObject({ code: 'conflict', message: `You already have a contract with ${acquirer.name}.` });
    expect(await snapshot(store.storeId)).toEqual(before);
  });

  it('answers a merchant number another store holds like a sent application, and writes only the e-mails and audit events', async () => {
    const holder = await storeWithPoses();
    const applicant = await storeWithPoses();
    const acquirer = await createAcquirerRow();
    const number = merchantNumber();
    await applyForContract({ storeId: holder.storeId, actor: holder.actor, input: { acquirerCode: acquirer.code, merchantNumber: number, pin: '1111' } });

    expect(await applyForContract({ storeId: applicant.storeId, actor: applicant.actor, input: { acquirerCode: acquirer.code, merchantNumber: number, pin: '2222' } })).toEqual({
      acquirerName: acquirer.name,
    });
    expect(await snapshot(applicant.storeId)).toEqual({ contracts: 0, links: 0, messages: 1, audit: 1 });
    const [refusal] = await outboxEmailsTo(applicant.email);
    expect(refusal!.email.subject).toBe(`Your application to ${acquirer.name} could not be accepted`);
    expect(refusal!.email.text).not.toContain(holder.storeName);
    expect((await outboxEmailsTo(holder.email)).map((row) => row.email.subject)).toEqual([`Someone tried to enrol your merchant number at ${acquirer.name}`]);
  });

  it('treats another store as not found and writes nothing', async () => {
    const mine = await storeWithPoses();
    const theirs = await storeWithPoses();
    const acquirer = await createAcquirerRow();
    const before = await snapshot(theirs.storeId);
    for (const storeId of [theirs.storeId, randomUUID(), 'not-a-uuid']) {
      await expect(applyForContract({ storeId, actor: mine.actor, input: { acquirerCode: acquirer.code, merchantNumber: merchantNumber(), pin: '1111' } })).rejects.toMatchObject({
        code: 'not_found',
      });
    }
    expect(await snapshot(theirs.storeId)).toEqual(before);
  });

  it('says which fields are wrong, including an acquirer ServerPOS does not work with, and writes nothing', async () => {
    const store = await storeWithPoses();
    const disabled = await createAcquirerRow('DISABLED');
    const before = await snapshot(store.storeId);

    const bad = (await applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode: '', merchantNumber: 'M 1', pin: '12' } }).catch((error: unknown) => error)) as AppError;
    expect(bad.code).toBe('validation_failed');
    expect(bad.fields?.map((field) => field.path).sort()).toEqual(['acquirerCode', 'merchantNumber', 'pin']);

    for (const acquirerCode of [disabled.code, 'NO-SUCH-ACQUIRER']) {
      const error = (await applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode, merchantNumber: merchantNumber(), pin: '1234' } }).catch((caught: unknown) => caught)) as AppError;
      expect(error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'acquirerCode', message: 'Choose one of the acquirers listed.' }] });
    }
    expect(await snapshot(store.storeId)).toEqual(before);
  });

  it('refuses a suspended store', async () => {
    const store = await storeWithPoses();
    await db().store.update({ where: { id: store.storeId }, data: { status: 'SUSPENDED' } });
    const acquirer = await createAcquirerRow();
    await expect(applyForContract({ storeId: store.storeId, actor: store.actor, input: { acquirerCode: acquirer.code, merchantNumber: merchantNumber(), pin: '1234' } })).rejects.toMatchObject({
      code: 'store_inactive',
    });
    expect(await db().acquirerContract.count({ where: { storeId: store.storeId } })).toBe(0);
  });
});
