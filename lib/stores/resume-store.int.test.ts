import { describe, expect, it } from 'vitest';
import { authenticate } from '@/lib/auth/authenticate';
import { db } from '@/lib/db/client';
import { assertStoreCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { resumeStore } from '@/lib/stores/resume-store';
import { suspendStore } from '@/lib/stores/suspend-store';
import { createContract } from '@/lib/testing/contract-fixtures';
import { createOperator, createStoreWithOwner, outboxEmailsTo } from '@/lib/testing/fixtures';

const storeUser = (id: string) => ({ type: 'STORE_USER' as const, id });
const acquirerActor = (id: string) => ({ type: 'ACQUIRER' as const, id });
const statusOf = async (storeId: string) => (await db().store.findUniqueOrThrow({ where: { id: storeId }, select: { status: true } })).status;

/** A store that suspended itself, and whose owner has signed in again since. */
async function selfSuspendedStore() {
  const owner = await createStoreWithOwner();
  await suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: 'leaked password' });
  await authenticate('store', { email: owner.email, password: owner.password });
  return owner;
}

describe('resumeStore', () => {
  it('lets the store lift its own suspension with its password after signing in again', async () => {
    const owner = await selfSuspendedStore();

    await resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } });

    expect(await db().store.findUniqueOrThrow({ where: { id: owner.storeId } })).toMatchObject({ status: 'ACTIVE', suspendedAt: null, suspendedReason: null, suspendedBy: null, suspendedByAcquirerId: null });
    await assertStoreCanAuthorize(db(), owner.storeId);
    expect(await db().auditEvent.findFirst({ where: { storeId: owner.storeId, action: 'store.resumed' } })).toMatchObject({ actorType: 'STORE_USER', actorId: owner.userId, data: expect.objectContaining({ source: 'STORE', suspendedBy: 'STORE' }) });
    expect((await outboxEmailsTo(owner.email)).at(-1)?.email.subject).toMatch(/is resumed$/);
  });

  it('refuses a wrong password and stays suspended', async () => {
    const owner = await selfSuspendedStore();
    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: 'not the password' } })).rejects.toMatchObject({
      code: 'invalid_credentials',
      fields: [{ path: 'password', message: 'Your password is not correct.' }],
    });
    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: {} })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await statusOf(owner.storeId)).toBe('SUSPENDED');
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'store.resumed' } })).toBe(0);
  });

  it('requires a sign-in after the suspension', async () => {
    const owner = await createStoreWithOwner();
    await authenticate('store', { email: owner.email, password: owner.password });
    await suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: 'leaked password' });
    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } })).rejects.toMatchObject({ code: 'session_expired' });
    expect(await statusOf(owner.storeId)).toBe('SUSPENDED');
  });

  it('does not let the store lift an acquirer\'s suspension; the acquirer or the operator can', async () => {
    const owner = await createStoreWithOwner();
    const contract = await createContract({ storeId: owner.storeId });
    const other = await createContract({ storeId: owner.storeId });
    await suspendStore({ storeId: owner.storeId, actor: acquirerActor(contract.acquirerId), source: 'ACQUIRER', acquirerId: contract.acquirerId, reason: 'Fraud check' });
    await authenticate('store', { email: owner.email, password: owner.password });

    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } })).rejects.toMatchObject({
      code: 'invalid_state_transition',
      message: `Processing was suspended by ${contract.acquirerName}; only they can resume it.`,
    });
    await expect(resumeStore({ storeId: owner.storeId, actor: acquirerActor(other.acquirerId), source: 'ACQUIRER', acquirerId: other.acquirerId })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect(await statusOf(owner.storeId)).toBe('SUSPENDED');

    await resumeStore({ storeId: owner.storeId, actor: acquirerActor(contract.acquirerId), source: 'ACQUIRER', acquirerId: contract.acquirerId });
    expect(await statusOf(owner.storeId)).toBe('ACTIVE');

    await suspendStore({ storeId: owner.storeId, actor: acquirerActor(contract.acquirerId), source: 'ACQUIRER', acquirerId: contract.acquirerId, reason: 'Again' });
    const operator = await createOperator();
    await resumeStore({ storeId: owner.storeId, actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR' });
    expect(await statusOf(owner.storeId)).toBe('ACTIVE');
  });

  it('does not let the operator lift a store\'s own suspension', async () => {
    const owner = await selfSuspendedStore();
    const operator = await createOperator();
    await expect(resumeStore({ storeId: owner.storeId, actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR' })).rejects.toMatchObject({
      code: 'invalid_state_transition',
      message: 'The store suspended its own processing; only the store can resume it.',
    });
  });

  it('answers not_found to another store\'s user, even with their own correct password', async () => {
    const owner = await selfSuspendedStore();
    const outsider = await createStoreWithOwner();
    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(outsider.userId), source: 'STORE', input: { password: outsider.password } })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await statusOf(owner.storeId)).toBe('SUSPENDED');
  });

  it('refuses to resume a store that is not suspended', async () => {
    const owner = await createStoreWithOwner();
    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } })).rejects.toMatchObject({
      code: 'invalid_state_transition',
      message: 'Processing for this store is not suspended.',
    });
  });

  it('lets one of two concurrent resumes through and refuses the other', async () => {
    const owner = await selfSuspendedStore();
    const results = await Promise.allSettled([
      resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } }),
      resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'store.resumed' } })).toBe(1);
  });
});
