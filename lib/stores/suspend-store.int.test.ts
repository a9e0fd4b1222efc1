import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '@/lib/auth/authenticate';
import { hashPassword } from '@/lib/auth/password';
import { db } from '@/lib/db/client';
import { assertStoreCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { resumeStore } from '@/lib/stores/resume-store';
import { suspendStore } from '@/lib/stores/suspend-store';
import { createContract } from '@/lib/testing/contract-fixtures';
import { createOperator, createStoreWithOwner, outboxEmailsTo, uniqueEmail } from '@/lib/testing/fixtures';

const storeUser = (id: string) => ({ type: 'STORE_USER' as const, id });
const acquirerActor = (id: string) => ({ type: 'ACQUIRER' as const, id });
const openSession = (storeUserId: string) =>
  db().authSession.create({ data: { subject: 'STORE_USER', storeUserId, expiresAt: new Date(Date.now() + 3_600_000) }, select: { id: true } }).then((row) => row.id);

async function storeState(storeId: string) {
  return db().store.findUniqueOrThrow({ where: { id: storeId }, select: { status: true, suspendedAt: true, suspendedReason: true, suspendedBy: true, suspendedByAcquirerId: true } });
}

describe('suspendStore', () => {
  it('suspends a store at its own request: every user signed out, audited, the contact address told, no authorisation through any acquirer', async () => {
    const owner = await createStoreWithOwner();
    const staff = await db().storeUser.create({
      data: { storeId: owner.storeId, email: uniqueEmail('staff'), name: 'Staff', role: 'STAFF', passwordHash: await hashPassword('staff password 123') },
      select: { id: true },
    });
    const sessions = [await openSession(owner.userId), await openSession(owner.userId), await openSession(staff.id)];
    const bystander = await createStoreWithOwner();
    const bystanderSession = await openSession(bystander.userId);
    await assertStoreCanAuthorize(db(), owner.storeId);

    const result = await suspendStore({
      storeId: owner.storeId,
      actor: storeUser(owner.userId),
      source: 'STORE',
      reason: ' Our password may have leaked.\r\nChecking. ',
      origin: { ipAddress: '198.51.100.20', userAgent: 'Test Browser' },
    });

    expect(result).toMatchObject({ changed: true, suspendedBy: 'STORE' });
    expect(await storeState(owner.storeId)).toEqual({
      status: 'SUSPENDED',
      suspendedAt: result.suspendedAt,
      suspendedReason: 'Our password may have leaked.\nChecking.',
      suspendedBy: 'STORE',
      suspendedByAcquirerId: null,
    });
    const ended = await db().authSession.findMany({ where: { id: { in: sessions } }, select: { endedAt: true } });
    expect(ended.every((session) => session.endedAt !== null)).toBe(true);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: bystanderSession } })).endedAt).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId, action: 'store.suspended' } });
    expect(audit).toEqual([
      expect.objectContaining({
        actorType: 'STORE_USER',
        actorId: owner.userId,
        ipAddress: '198.51.100.20',
        data: { source: 'STORE', acquirerId: null, reason: 'Our password may have leaked.\nChecking.', sessionsEnded: 3, takenOverFrom: null },
      }),
    ]);
    const [email] = await outboxEmailsTo(owner.email);
    expect(email?.email.subject).toMatch(/^Processing for .* is suspended$/);
    expect(email?.email.text).toContain('suspended by your store');
    expect(email?.email.text).toContain(`/console/stores/${owner.storeId}/security`);
    await expect(assertStoreCanAuthorize(db(), owner.storeId)).rejects.toMatchObject({ code: 'store_inactive', status: 409 });
  });

  it('records one suspension when two arrive at once', async () => {
    const owner = await createStoreWithOwner();
    const results = await Promise.allSettled([
      suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: 'first' }),
      suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: 'second' }),
    ]);
    const values = results.map((result) => (result.status === 'fulfilled' ? result.value.changed : result.reason));
    expect(values.sort()).toEqual([false, true]);
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'store.suspended' } })).toBe(1);
    expect(await outboxEmailsTo(owner.email)).toHaveLength(1);
    expect((await storeState(owner.storeId)).status).toBe('SUSPENDED');
  });

  it('answers not_found to another store\'s user and changes nothing', async () => {
    const owner = await createStoreWithOwner();
    const outsider = await createStoreWithOwner();
    const session = await openSession(owner.userId);

    await expect(suspendStore({ storeId: owner.storeId, actor: storeUser(outsider.userId), source: 'STORE', reason: 'not mine' })).rejects.toMatchObject({ code: 'not_found', status: 404 });

    expect((await storeState(owner.storeId)).status).toBe('ACTIVE');
    expect((await db().authSession.findUniqueOrThrow({ where: { id: session } })).endedAt).toBeNull();
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId } })).toBe(0);
  });

  it('suspends at an acquirer\'s request without signing anyone out; an acquirer without a contract is not found', async () => {
    const owner = await createStoreWithOwner();
    const contract = await createContract({ storeId: owner.storeId });
    const stranger = await createContract({ storeId: (await createStoreWithOwner()).storeId });
    const session = await openSession(owner.userId);

    await expect(suspendStore({ storeId: owner.storeId, actor: acquirerActor(stranger.acquirerId), source: 'ACQUIRER', acquirerId: stranger.acquirerId, reason: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    const result = await suspendStore({ storeId: owner.storeId, actor: acquirerActor(contract.acquirerId), source: 'ACQUIRER', acquirerId: contract.acquirerId, reason: 'Chargeback review' });

    expect(result.changed).toBe(true);
    expect(await storeState(owner.storeId)).toMatchObject({ status: 'SUSPENDED', suspendedBy: 'ACQUIRER', suspendedByAcquirerId: contract.acquirerId, suspendedReason: 'Chargeback review' });
    expect((await db().authSession.findUniqueOrThrow({ where: { id: session } })).endedAt).toBeNull();
    const [email] = await outboxEmailsTo(owner.email);
    expect(email?.email.text).toContain(`suspended by ${contract.acquirerName}`);
    expect(email?.email.text).toContain(`Only ${contract.acquirerName} can lift this suspension.`);
  });

  it('lets an acquirer take over a store\'s own suspension, so the store can no longer lift it', async () => {
    const owner = await createStoreWithOwner();
    const contract = await createContract({ storeId: owner.storeId });
    await suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: 'leaked password' });
    const taken = await suspendStore({ storeId: owner.storeId, actor: acquirerActor(contract.acquirerId), source: 'ACQUIRER', acquirerId: contract.acquirerId, reason: 'Fraud check' });
    expect(taken.changed).toBe(true);
    expect(await storeState(owner.storeId)).toMatchObject({ suspendedBy: 'ACQUIRER', suspendedReason: 'Fraud check' });

    // The store suspending again changes nothing: the acquirer's suspension stands.
    await authenticate('store', { email: owner.email, password: owner.password });
    expect((await suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: 'again' })).changed).toBe(false);
    expect(await storeState(owner.storeId)).toMatchObject({ suspendedBy: 'ACQUIRER', suspendedReason: 'Fraud check' });
    await expect(resumeStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', input: { password: owner.password } })).rejects.toMatchObject({
      code: 'invalid_state_transition',
      message: `Processing was suspended by ${contract.acquirerName}; only they can resume it.`,
    });
  });

  it('refuses a store that is not active yet, and a reason that is missing', async () => {
    const pending = await createStoreWithOwner({ status: 'PENDING' });
    await expect(suspendStore({ storeId: pending.storeId, actor: storeUser(pending.userId), source: 'STORE', reason: 'x' })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    const owner = await createStoreWithOwner();
    await expect(suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'STORE', reason: '   ' })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'reason', message: 'Enter a reason.' }],
    });
    expect((await storeState(owner.storeId)).status).toBe('ACTIVE');
  });

  it('lets the operator suspend any store', async () => {
    const owner = await createStoreWithOwner();
    const operator = await createOperator();
    const result = await suspendStore({ storeId: owner.storeId, actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR', reason: 'Unpaid fees' });
    expect(result.changed).toBe(true);
    expect(await storeState(owner.storeId)).toMatchObject({ suspendedBy: 'OPERATOR' });
    await expect(suspendStore({ storeId: owner.storeId, actor: storeUser(owner.userId), source: 'OPERATOR', reason: 'pretend' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(suspendStore({ storeId: randomUUID(), actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR', reason: 'no such store' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(resumeStore({ storeId: randomUUID(), actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
