import { describe, expect, it } from 'vitest';
import { listRecoveryPins } from '@/lib/auth/list-recovery-pins';
import { verifyPin } from '@/lib/auth/pin';
import { setRecoveryPin } from '@/lib/auth/set-recovery-pin';
import { db } from '@/lib/db/client';
import { createContract } from '@/lib/testing/contract-fixtures';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

const storeUser = (id: string) => ({ type: 'STORE_USER' as const, id });
const pinHashOf = async (contractId: string) => (await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } })).pinHash;

describe('setRecoveryPin', () => {
  it('sets a PIN as an argon2id verifier, then changes it, lifting a lock; audited without the PIN', async () => {
    const owner = await createStoreWithOwner();
    const contract = await createContract({ storeId: owner.storeId });
    expect((await listRecoveryPins(owner.storeId))[0]).toMatchObject({ contractId: contract.contractId, merchantNumber: contract.merchantNumber, hasPin: false });

    const input = { contractId: contract.contractId, pin: '123456', confirmPin: '123456', currentPassword: owner.password };
    await expect(setRecoveryPin({ storeId: owner.storeId, actor: storeUser(owner.userId), input })).resolves.toEqual({ replaced: false });
    const first = await pinHashOf(contract.contractId);
    expect(first).toMatch(/^\$argon2id\$/);
    expect(await verifyPin(first, '123456')).toBe(true);
    expect((await listRecoveryPins(owner.storeId))[0]).toMatchObject({ hasPin: true, lockedUntil: null });

    await db().acquirerContract.update({ where: { id: contract.contractId }, data: { pinFailedCount: 3, pinLockedUntil: new Date(Date.now() + 600_000) } });
    await expect(setRecoveryPin({ storeId: owner.storeId, actor: storeUser(owner.userId), input: { ...input, pin: '9876', confirmPin: '9876' } })).resolves.toEqual({ replaced: true });
    const changed = await db().acquirerContract.findUniqueOrThrow({ where: { id: contract.contractId } });
    expect(await verifyPin(changed.pinHash, '9876')).toBe(true);
    expect(await verifyPin(changed.pinHash, '123456')).toBe(false);
    expect(changed).toMatchObject({ pinFailedCount: 0, pinLockedUntil: null });

    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId, action: 'contract.recovery_pin_set' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((event) => event.data)).toEqual([
      { acquirerId: contract.acquirerId, replaced: false },
      { acquirerId: contract.acquirerId, replaced: true },
    ]);
    expect(audit[0]).toMatchObject({ actorType: 'STORE_USER', actorId: owner.userId, targetId: contract.contractId });
    expect(JSON.stringify(audit)).not.toMatch(/123456|9876/);
  });

  it('refuses a wrong current password at the password field, and keeps the old PIN', async () => {
    const owner = await createStoreWithOwner();
    const contract = await createContract({ storeId: owner.storeId, pin: '4711' });
    const before = await pinHashOf(contract.contractId);
    await expect(
      setRecoveryPin({ storeId: owner.storeId, actor: storeUser(owner.userId), input: { contractId: contract.contractId, pin: '1234', confirmPin: '1234', currentPassword: 'not my password' } }),
    ).rejects.toMatchObject({ code: 'invalid_credentials', fields: [{ path: 'currentPassword', message: 'Your password is not correct.' }] });
    expect(await pinHashOf(contract.contractId)).toBe(before);
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId } })).toBe(0);
  });

  it('allows five password re-entries per 15 minutes, then refuses even the right one', async () => {
    const owner = await createStoreWithOwner();
    const contract = await createContract({ storeId: owner.storeId });
    const input = { contractId: contract.contractId, pin: '1234', confirmPin: '1234', currentPassword: 'wrong password' };
    for (let i = 0; i < 5; i += 1) {
      await expect(setRecoveryPin({ storeId: owner.storeId, actor: storeUser(owner.userId), input })).rejects.toMatchObject({ code: 'invalid_credentials' });
    }
    await expect(setRecoveryPin({ storeId: owner.storeId, actor: storeUser(owner.userId), input: { ...input, currentPassword: owner.password } })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(await pinHashOf(contract.contractId)).toBeNull();
  });

  it('answers not_found for another store\'s contract or another store\'s user, and changes nothing', async () => {
    const owner = await createStoreWithOwner();
    const other = await createStoreWithOwner();
    const othersContract = await createContract({ storeId: other.storeId, pin: '4711' });
    const before = await pinHashOf(othersContract.contractId);
    const input = { contractId: othersContract.contractId, pin: '1234', confirmPin: '1234', currentPassword: owner.password };

    await expect(setRecoveryPin({ storeId: owner.storeId, actor: storeUser(owner.userId), input })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(setRecoveryPin({ storeId: other.storeId, actor: storeUser(owner.userId), input })).rejects.toMatchObject({ code: 'not_found' });
    expect(await pinHashOf(othersContract.contractId)).toBe(before);
  });

  it('refuses a rejected contract, and PINs that do not match or are not 4 to 8 digits', async () => {
    const owner = await createStoreWithOwner();
    const rejected = await createContract({ storeId: owner.storeId, status: 'REJECTED' });
    const actor = storeUser(owner.userId);
    await expect(setRecoveryPin({ storeId: owner.storeId, actor, input: { contractId: rejected.contractId, pin: '1234', confirmPin: '1234', currentPassword: owner.password } })).rejects.toMatchObject({
      code: 'invalid_state_transition',
    });
    await expect(setRecoveryPin({ storeId: owner.storeId, actor, input: { contractId: rejected.contractId, pin: '1234', confirmPin: '1235', currentPassword: owner.password } })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'confirmPin', message: 'The two PINs are not the same.' }],
    });
    await expect(setRecoveryPin({ storeId: owner.storeId, actor, input: { contractId: rejected.contractId, pin: '12a', confirmPin: '12a', currentPassword: owner.password } })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'pin', message: 'Enter a PIN of 4 to 8 digits.' }],
    });
  });
});
