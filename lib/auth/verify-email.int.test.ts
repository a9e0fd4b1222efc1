import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newToken } from '@/lib/auth/tokens';
import { verifyEmail } from '@/lib/auth/verify-email';
import { db } from '@/lib/db/client';
import { signUp } from '@/lib/stores/sign-up';
import { outboxEmailsTo, uniqueEmail, uniqueName } from '@/lib/testing/fixtures';

let acquirerCode: Promise<string> | undefined;

/** An acquirer of this file's own for the sign-ups to name (enrolment needs at least one). */
function testAcquirerCode(): Promise<string> {
  const code = `VERIFY-${randomUUID().slice(0, 8).toUpperCase()}`;
  acquirerCode ??= db()
    .acquirer.create({ data: { code, name: `Acquirer ${code}`, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:1/set' }, select: { code: true } })
    .then((row) => row.code);
  return acquirerCode;
}

/** Signs a store up and returns the token from its verification e-mail, as the owner would click it. */
async function signUpAndReadToken() {
  const email = uniqueEmail('verify');
  const contracts = [{ acquirerCode: await testAcquirerCode(), merchantNumber: `M-${randomUUID().slice(0, 12).toUpperCase()}`, pin: '1234' }];
  await signUp({ storeName: uniqueName('Verify Store'), ownerName: 'Ken', email, password: 'a long enough password', contracts });
  const [message] = await outboxEmailsTo(email);
  const token = /verify-email\?token=([A-Za-z0-9_-]{43})/.exec(message?.email.text ?? '')?.[1];
  if (!token) throw new Error('no token in the verification e-mail');
  const user = await db().storeUser.findUniqueOrThrow({ where: { email } });
  return { email, token, userId: user.id, storeId: user.storeId };
}

describe('verifyEmail', () => {
  it('marks the address verified once, and records it', async () => {
    const { email, token, userId, storeId } = await signUpAndReadToken();

    expect(await verifyEmail({ token })).toEqual({ email });

    const user = await db().storeUser.findUniqueOrThrow({ where: { id: userId }, include: { verificationTokens: true } });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(user.verificationTokens[0]?.usedAt).toEqual(user.emailVerifiedAt);
    const audit = await db().auditEvent.findMany({ where: { storeId, action: 'auth.email_verified' } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'STORE_USER', actorId: userId, targetType: 'StoreUser', targetId: userId })]);
  });

  it('refuses a used token with token_invalid and leaves the first verification as it was', async () => {
    const { token, userId } = await signUpAndReadToken();
    await verifyEmail({ token });
    const verifiedAt = (await db().storeUser.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt;

    await expect(verifyEmail({ token })).rejects.toMatchObject({ code: 'token_invalid', status: 400 });
    expect((await db().storeUser.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).toEqual(verifiedAt);
  });

  it('refuses an expired token with token_expired and verifies nothing', async () => {
    const { token, userId } = await signUpAndReadToken();
    await db().emailVerificationToken.updateMany({ where: { storeUserId: userId }, data: { expiresAt: new Date(Date.now() - 1000) } });

    await expect(verifyEmail({ token })).rejects.toMatchObject({ code: 'token_expired', status: 410 });
    const user = await db().storeUser.findUniqueOrThrow({ where: { id: userId }, include: { verificationTokens: true } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.verificationTokens[0]?.usedAt).toBeNull();
  });

  it('refuses a well-formed token nobody was given with token_invalid', async () => {
    await expect(verifyEmail({ token: newToken() })).rejects.toMatchObject({ code: 'token_invalid' });
  });

  it('refuses a garbled token before looking it up', async () => {
    const { token, userId } = await signUpAndReadToken();
    for (const garbled of [token.slice(0, 42), `${token}x`, `${token.slice(0, 42)}=`, `${token.slice(0, 40)}%2F=`, '']) {
      await expect(verifyEmail({ token: garbled }), garbled).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'token', message: 'The link is incomplete or damaged.' }] });
    }
    await expect(verifyEmail({})).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'token', message: 'The link is incomplete.' }] });
    expect((await db().storeUser.findUniqueOrThrow({ where: { id: userId } })).emailVerifiedAt).toBeNull();
  });

  it('lets exactly one of two simultaneous uses of one token succeed', async () => {
    const { email, token, storeId } = await signUpAndReadToken();

    const results = await Promise.allSettled([verifyEmail({ token }), verifyEmail({ token })]);

    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toEqual([{ status: 'fulfilled', value: { email } }]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.reason).toMatchObject({ code: 'token_invalid' });
    expect(await db().auditEvent.count({ where: { storeId, action: 'auth.email_verified' } })).toBe(1);
  });
});
