import { describe, expect, it } from 'vitest';
import { authenticate, LOCK_MINUTES, MAX_FAILED_LOGINS } from '@/lib/auth/authenticate';
import { db } from '@/lib/db/client';
import type { AppError } from '@/lib/errors';
import { createOperator, createStoreWithOwner, outboxEmailsTo, uniqueEmail } from '@/lib/testing/fixtures';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error('authenticate accepted the credentials');
    },
    (error: AppError) => error,
  );
}

async function failTimes(email: string, times: number) {
  for (let attempt = 0; attempt < times; attempt++) {
    await authenticate('store', { email, password: 'wrong password, attempt ' + attempt }).catch(() => undefined);
  }
}

describe('authenticate (store users)', () => {
  it('accepts the right password, case-insensitively on the address, and records the sign-in', async () => {
    const owner = await createStoreWithOwner();
    await db().storeUser.update({ where: { id: owner.userId }, data: { failedLoginCount: 3 } });

    const principal = await authenticate('store', { email: `  ${owner.email.toUpperCase()}  `, password: owner.password });

    expect(principal).toEqual({ kind: 'store', userId: owner.userId, storeId: owner.storeId, email: owner.email, name: 'Test Owner' });
    const user = await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } });
    expect(user.failedLoginCount).toBe(0);
    expect(user.lastLoginAt).toBeInstanceOf(Date);
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'auth.login', actorId: owner.userId } })).toBe(1);
  });

  it('keeps where a sign-in and a failed one came from on their audit events', async () => {
    const owner = await createStoreWithOwner();
    const origin = { ipAddress: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' };
    await failure(authenticate('store', { email: owner.email, password: 'not the password' }, { origin }));
    await authenticate('store', { email: owner.email, password: owner.password }, { origin });

    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId }, orderBy: { createdAt: 'asc' }, select: { action: true, ipAddress: true, userAgent: true } });
    expect(audit).toEqual([
      { action: 'auth.login_failed', ...origin },
      { action: 'auth.login', ...origin },
    ]);
  });

  it('refuses an address with a NUL or another control character as a wrong login (found by the bad-input fuzz: the query failed)', async () => {
    for (const email of ['\u0000', `owner\u0000@example.test`, 'owner\u0007@example.test']) {
      await expect(authenticate('store', { email, password: 'correct horse battery staple' })).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(authenticate('operator', { email, password: 'correct horse battery staple' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    }
  });

  it('refuses a wrong password with invalid_credentials and counts the failure', async () => {
    const owner = await createStoreWithOwner();

    const error = await failure(authenticate('store', { email: owner.email, password: 'not the password' }));
    expect(error).toMatchObject({ code: 'invalid_credentials', status: 401, message: 'E-mail address or password is wrong.' });
    await failure(authenticate('store', { email: owner.email, password: 'still not the password' }));

    const user = await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } });
    expect(user.failedLoginCount).toBe(2);
    expect(user.lockedUntil).toBeNull();
    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId, action: 'auth.login_failed' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((event) => event.data)).toEqual([{ failedLoginCount: 1 }, { failedLoginCount: 2 }]);
    expect(JSON.stringify(audit)).not.toContain('not the password');
  });

  it(`locks the account for ${LOCK_MINUTES} minutes on the ${MAX_FAILED_LOGINS}th failure in a row and e-mails the owner`, async () => {
    const owner = await createStoreWithOwner();
    await failTimes(owner.email, MAX_FAILED_LOGINS - 1);
    expect((await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } })).lockedUntil).toBeNull();
    expect(await outboxEmailsTo(owner.email)).toHaveLength(0);

    const before = Date.now();
    const error = await failure(authenticate('store', { email: owner.email, password: 'the tenth wrong one' }));

    expect(error).toMatchObject({ code: 'account_locked', status: 423 });
    expect(error.message).toContain(`${LOCK_MINUTES} minutes`);
    const user = await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } });
    expect(user.failedLoginCount).toBe(0);
    const lockMs = user.lockedUntil!.getTime() - before;
    expect(lockMs).toBeGreaterThanOrEqual(LOCK_MINUTES * 60_000 - 1000);
    expect(lockMs).toBeLessThanOrEqual(LOCK_MINUTES * 60_000 + 5000);

    const emails = await outboxEmailsTo(owner.email);
    expect(emails.map((row) => row.email.subject)).toEqual(['Your ServerPOS account was locked']);
    expect(emails[0]).toMatchObject({ storeId: owner.storeId, status: 'PENDING' });
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'auth.account_locked' } })).toBe(1);
  });

  it('refuses even the right password with account_locked while locked, without counting it', async () => {
    const owner = await createStoreWithOwner();
    const lockedUntil = new Date(Date.now() + 10 * 60_000);
    await db().storeUser.update({ where: { id: owner.userId }, data: { lockedUntil } });

    const error = await failure(authenticate('store', { email: owner.email, password: owner.password }));
    expect(error).toMatchObject({ code: 'account_locked' });
    expect(error.message).toMatch(/try again in 10 minutes/);
    await failure(authenticate('store', { email: owner.email, password: 'a wrong one' }));

    const user = await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } });
    expect(user).toMatchObject({ failedLoginCount: 0, lockedUntil, lastLoginAt: null });
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId } })).toBe(0);
  });

  it('accepts the right password again once the lock has expired, and clears the lock', async () => {
    const owner = await createStoreWithOwner();
    await failTimes(owner.email, MAX_FAILED_LOGINS);
    await expect(authenticate('store', { email: owner.email, password: owner.password })).rejects.toMatchObject({ code: 'account_locked' });

    await db().storeUser.update({ where: { id: owner.userId }, data: { lockedUntil: new Date(Date.now() - 1000) } });

    await expect(authenticate('store', { email: owner.email, password: owner.password })).resolves.toMatchObject({ userId: owner.userId });
    expect(await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } })).toMatchObject({ lockedUntil: null, failedLoginCount: 0 });
  });

  it('starts counting afresh after a lock expires', async () => {
    const owner = await createStoreWithOwner();
    await failTimes(owner.email, MAX_FAILED_LOGINS);
    await db().storeUser.update({ where: { id: owner.userId }, data: { lockedUntil: new Date(Date.now() - 1000) } });

    await expect(authenticate('store', { email: owner.email, password: 'wrong after the lock' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect((await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } })).failedLoginCount).toBe(1);
  });

  it('refuses an unverified e-mail address even with the right password', async () => {
    const owner = await createStoreWithOwner({ verified: false, status: 'PENDING' });
    const error = await failure(authenticate('store', { email: owner.email, password: owner.password }));
    expect(error).toMatchObject({ code: 'email_not_verified', status: 403 });
    expect((await db().storeUser.findUniqueOrThrow({ where: { id: owner.userId } })).lastLoginAt).toBeNull();
  });

  it('answers an unknown e-mail address exactly like a wrong password', async () => {
    const owner = await createStoreWithOwner();
    const wrongPassword = await failure(authenticate('store', { email: owner.email, password: 'not the password' }));
    const unknownAddress = await failure(authenticate('store', { email: uniqueEmail('nobody'), password: 'not the password' }));
    expect({ code: unknownAddress.code, message: unknownAddress.message, status: unknownAddress.status }).toEqual({
      code: wrongPassword.code,
      message: wrongPassword.message,
      status: wrongPassword.status,
    });
    expect(unknownAddress.code).toBe('invalid_credentials');
  });

  it('refuses missing credentials with validation_failed', async () => {
    await expect(authenticate('store', { email: '', password: '' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(authenticate('store', undefined)).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('does not let a store user sign in to the operator console', async () => {
    const owner = await createStoreWithOwner();
    await expect(authenticate('operator', { email: owner.email, password: owner.password })).rejects.toMatchObject({ code: 'invalid_credentials' });
  });
});

describe('authenticate (operators)', () => {
  it('accepts the right password', async () => {
    const operator = await createOperator();
    expect(await authenticate('operator', { email: operator.email, password: operator.password })).toEqual({
      kind: 'operator',
      userId: operator.userId,
      email: operator.email,
      name: 'Test Operator',
    });
    const audit = await db().auditEvent.findMany({ where: { actorId: operator.userId } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'OPERATOR', action: 'auth.login', storeId: null })]);
  });

  it('locks an operator too, and queues the lock e-mail without a store', async () => {
    const operator = await createOperator();
    for (let attempt = 1; attempt < MAX_FAILED_LOGINS; attempt++) {
      await expect(authenticate('operator', { email: operator.email, password: 'wrong' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    }
    await expect(authenticate('operator', { email: operator.email, password: 'wrong' })).rejects.toMatchObject({ code: 'account_locked' });
    await expect(authenticate('operator', { email: operator.email, password: operator.password })).rejects.toMatchObject({ code: 'account_locked' });
    const emails = await outboxEmailsTo(operator.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ storeId: null });
  });

  it('does not let an operator sign in to the store console', async () => {
    const operator = await createOperator();
    await expect(authenticate('store', { email: operator.email, password: operator.password })).rejects.toMatchObject({ code: 'invalid_credentials' });
  });
});
