import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authenticate } from '@/lib/auth/authenticate';
import { requestPasswordReset } from '@/lib/auth/request-password-reset';
import { resetPassword } from '@/lib/auth/reset-password';
import { newToken } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { createContract } from '@/lib/testing/contract-fixtures';
import { createStoreWithOwner, outboxEmailsTo } from '@/lib/testing/fixtures';

const someIp = () => `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
const from = (ipAddress = someIp()) => ({ ipAddress, userAgent: 'Test Browser' });
const NEW_PASSWORD = 'a brand new password 2';
const PIN = '4711';
const minutes = (count: number, from = new Date()) => new Date(from.getTime() + count * 60_000);

/** A store owner with a verified contract holding a PIN, and the token from the reset e-mail they asked for. */
async function ownerWithResetLink(options: { now?: Date } = {}) {
  const owner = await createStoreWithOwner();
  const contract = await createContract({ storeId: owner.storeId, pin: PIN });
  const token = await askForLink(owner.email, options.now);
  return { ...owner, ...contract, token };
}

async function askForLink(email: string, now?: Date) {
  await requestPasswordReset({ input: { email }, origin: from(), now });
  const messages = await outboxEmailsTo(email);
  const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(messages.at(-1)?.email.text ?? '')?.[1];
  if (!token) throw new Error('no reset link in the e-mail');
  return token;
}

const answer = (token: string, merchantNumber: string, pin = PIN) => ({ token, merchantNumber, pin, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });

async function snapshot(userId: string) {
  const user = await db().storeUser.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true, failedLoginCount: true, lockedUntil: true } });
  const sessions = await db().authSession.count({ where: { storeUserId: userId, endedAt: null } });
  return { ...user, sessions };
}

describe('resetPassword', () => {
  it('sets the new password with the merchant number and PIN, ends every session, and tells the owner', async () => {
    const owner = await ownerWithResetLink();
    await db().storeUser.update({ where: { id: owner.userId }, data: { failedLoginCount: 10, lockedUntil: minutes(20) } });
    await db().acquirerContract.update({ where: { id: owner.contractId }, data: { pinFailedCount: 2 } });
    for (let i = 0; i < 2; i += 1) await db().authSession.create({ data: { subject: 'STORE_USER', storeUserId: owner.userId, expiresAt: minutes(600) } });

    // The merchant number may be typed in small letters and with surrounding spaces.
    await expect(resetPassword({ input: answer(owner.token, ` ${owner.merchantNumber.toLowerCase()} `), origin: from() })).resolves.toEqual({ email: owner.email });

    const after = await snapshot(owner.userId);
    expect(after).toMatchObject({ failedLoginCount: 0, lockedUntil: null, sessions: 0 });
    await expect(authenticate('store', { email: owner.email, password: NEW_PASSWORD })).resolves.toMatchObject({ userId: owner.userId });
    await expect(authenticate('store', { email: owner.email, password: owner.password })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect((await db().passwordResetToken.findFirstOrThrow({ where: { storeUserId: owner.userId } })).usedAt).toBeInstanceOf(Date);
    expect((await db().acquirerContract.findUniqueOrThrow({ where: { id: owner.contractId } })).pinFailedCount).toBe(0);
    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId, action: 'auth.password_reset' } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'STORE_USER', actorId: owner.userId, data: { contractId: owner.contractId, acquirerId: owner.acquirerId, sessionsEnded: 2 } })]);
    expect(JSON.stringify(audit)).not.toContain(PIN);
    const emails = await outboxEmailsTo(owner.email);
    expect(emails.at(-1)?.email.subject).toBe('Your ServerPOS password was changed');
  });

  it('accepts the PIN of a withdrawn contract (another of the store\'s acquirers)', async () => {
    const owner = await createStoreWithOwner();
    const withdrawn = await createContract({ storeId: owner.storeId, pin: '90210', status: 'WITHDRAWN' });
    const token = await askForLink(owner.email);
    await expect(resetPassword({ input: answer(token, withdrawn.merchantNumber, '90210'), origin: from() })).resolves.toEqual({ email: owner.email });
  });

  it('refuses the merchant number and PIN of another store\'s contract with the generic answer, and changes nothing there', async () => {
    const owner = await ownerWithResetLink();
    const other = await createStoreWithOwner();
    const othersContract = await createContract({ storeId: other.storeId, pin: PIN });
    await db().authSession.create({ data: { subject: 'STORE_USER', storeUserId: owner.userId, expiresAt: minutes(600) } });
    const before = await snapshot(owner.userId);

    await expect(resetPassword({ input: answer(owner.token, othersContract.merchantNumber), origin: from() })).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'The merchant number or PIN is not correct.',
    });

    expect(await snapshot(owner.userId)).toEqual(before);
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: othersContract.contractId } })).toMatchObject({ pinFailedCount: 0, pinLockedUntil: null });
    expect((await db().passwordResetToken.findFirstOrThrow({ where: { storeUserId: owner.userId } })).failedAttempts).toBe(1);
    expect(await db().auditEvent.count({ where: { storeId: other.storeId } })).toBe(0);
    expect(await db().auditEvent.findFirst({ where: { storeId: owner.storeId, action: 'auth.password_reset_failed' } })).toMatchObject({ data: { failedAttempts: 1, merchantNumberMatched: false } });
  });

  it('answers a wrong PIN exactly like an unknown merchant number, and the link dies at the fifth wrong answer', async () => {
    const owner = await ownerWithResetLink();
    const before = await snapshot(owner.userId);
    const wrong = [answer(owner.token, owner.merchantNumber, '0000'), answer(owner.token, 'NOT-A-NUMBER'), answer(owner.token, owner.merchantNumber, '1111'), answer(owner.token, 'M-000')];
    for (const input of wrong) {
      await expect(resetPassword({ input, origin: from() })).rejects.toMatchObject({ code: 'invalid_credentials', message: 'The merchant number or PIN is not correct.' });
    }
    await expect(resetPassword({ input: answer(owner.token, 'M-001'), origin: from() })).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'The merchant number or PIN is not correct. This link no longer works: ask for a new one.',
    });
    // Even the right answer no longer works with this link.
    await expect(resetPassword({ input: answer(owner.token, owner.merchantNumber), origin: from() })).rejects.toMatchObject({ code: 'token_invalid' });
    expect(await snapshot(owner.userId)).toEqual(before);
    // Two of the five were wrong PINs for the store's own merchant number.
    expect((await db().acquirerContract.findUniqueOrThrow({ where: { id: owner.contractId } })).pinFailedCount).toBe(2);
  });

  it('locks a contract\'s PIN for 30 minutes after five wrong PINs in a row, across links', async () => {
    const start = new Date();
    const owner = await ownerWithResetLink({ now: start });
    for (let i = 0; i < 3; i += 1) {
      await expect(resetPassword({ input: answer(owner.token, owner.merchantNumber, `000${i}`), origin: from(), now: start })).rejects.toMatchObject({ code: 'invalid_credentials' });
    }
    const second = await askForLink(owner.email, start);
    await expect(resetPassword({ input: answer(second, owner.merchantNumber, '0003'), origin: from(), now: start })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(resetPassword({ input: answer(second, owner.merchantNumber, '0004'), origin: from(), now: start })).rejects.toMatchObject({
      code: 'account_locked',
      status: 423,
      message: 'Too many wrong PINs: this PIN is locked. Try again in 30 minutes.',
    });
    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { id: owner.contractId } });
    expect(contract.pinLockedUntil).toEqual(minutes(30, start));
    expect((await outboxEmailsTo(owner.email)).at(-1)?.email.subject).toBe('A recovery PIN of your ServerPOS store was locked');
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'contract.recovery_pin_locked' } })).toBe(1);

    // While locked, even the right PIN is not checked, and the link keeps its remaining tries.
    const before = await snapshot(owner.userId);
    await expect(resetPassword({ input: answer(second, owner.merchantNumber), origin: from(), now: minutes(10, start) })).rejects.toMatchObject({ code: 'account_locked', message: 'Too many wrong PINs: this PIN is locked. Try again in 20 minutes.' });
    expect(await snapshot(owner.userId)).toEqual(before);
    expect((await db().passwordResetToken.findFirstOrThrow({ where: { storeUserId: owner.userId, usedAt: null, expiresAt: { gt: start } } })).failedAttempts).toBe(2);

    // After the lock, a fresh link and the right PIN work again, and the count starts over.
    const later = minutes(31, start);
    const third = await askForLink(owner.email, later);
    await expect(resetPassword({ input: answer(third, owner.merchantNumber), origin: from(), now: later })).resolves.toEqual({ email: owner.email });
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: owner.contractId } })).toMatchObject({ pinFailedCount: 0, pinLockedUntil: null });
  });

  it('refuses a link that was already used', async () => {
    const owner = await ownerWithResetLink();
    await resetPassword({ input: answer(owner.token, owner.merchantNumber), origin: from() });
    const before = await snapshot(owner.userId);
    await expect(resetPassword({ input: { ...answer(owner.token, owner.merchantNumber), password: 'yet another password', confirmPassword: 'yet another password' }, origin: from() })).rejects.toMatchObject({ code: 'token_invalid', status: 400 });
    expect(await snapshot(owner.userId)).toEqual(before);
  });

  it('refuses an expired link, and a link replaced by a newer one', async () => {
    const start = new Date();
    const owner = await ownerWithResetLink({ now: start });
    const before = await snapshot(owner.userId);
    await expect(resetPassword({ input: answer(owner.token, owner.merchantNumber), origin: from(), now: minutes(30, start) })).rejects.toMatchObject({ code: 'token_expired', status: 410 });

    await askForLink(owner.email, start);
    await expect(resetPassword({ input: answer(owner.token, owner.merchantNumber), origin: from(), now: start })).rejects.toMatchObject({ code: 'token_expired' });
    expect(await snapshot(owner.userId)).toEqual(before);
  });

  it('lets exactly one of two simultaneous submissions of one link succeed', async () => {
    const owner = await ownerWithResetLink();
    const results = await Promise.allSettled([
      resetPassword({ input: answer(owner.token, owner.merchantNumber), origin: from() }),
      resetPassword({ input: { ...answer(owner.token, owner.merchantNumber), password: 'the other new password', confirmPassword: 'the other new password' }, origin: from() }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'token_invalid' });
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'auth.password_reset' } })).toBe(1);
  });

  it('checks the form before anything else: PIN format and matching passwords', async () => {
    const owner = await ownerWithResetLink();
    await expect(resetPassword({ input: { ...answer(owner.token, owner.merchantNumber), confirmPassword: 'something else entirely' }, origin: from() })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'confirmPassword', message: 'The two passwords are not the same.' }],
    });
    await expect(resetPassword({ input: answer(owner.token, owner.merchantNumber, '12'), origin: from() })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'pin', message: 'Enter a PIN of 4 to 8 digits.' }],
    });
    expect((await db().passwordResetToken.findFirstOrThrow({ where: { storeUserId: owner.userId } })).failedAttempts).toBe(0);
  });

  it('allows twenty attempts per client address an hour', async () => {
    const clientIp = someIp();
    for (let i = 0; i < 20; i += 1) {
      await expect(resetPassword({ input: answer(newToken(), 'M-1'), origin: from(clientIp) })).rejects.toMatchObject({ code: 'token_invalid' });
    }
    const owner = await ownerWithResetLink();
    await expect(resetPassword({ input: answer(owner.token, owner.merchantNumber), origin: from(clientIp) })).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    expect((await db().passwordResetToken.findFirstOrThrow({ where: { storeUserId: owner.userId } })).usedAt).toBeNull();
  });
});
