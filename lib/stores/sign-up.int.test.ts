import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { signUp, VERIFICATION_TOKEN_HOURS } from '@/lib/stores/sign-up';
import { outboxEmailsTo, uniqueEmail, uniqueName } from '@/lib/testing/fixtures';

function signUpInput(overrides: Record<string, string> = {}) {
  return { storeName: uniqueName('Tea House'), ownerName: 'Hana Sato', email: uniqueEmail('signup'), password: 'a long enough password', ...overrides };
}

function tokenFrom(text: string): string {
  const match = /\/verify-email\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no verification link in: ${text}`);
  return match[1];
}

describe('signUp', () => {
  it('creates the PENDING store, its owner, a hashed token, the verification e-mail and an audit event', async () => {
    const input = signUpInput({ email: uniqueEmail('Mixed.Case').toUpperCase() });
    const email = input.email.toLowerCase();
    const before = new Date();

    expect(await signUp(input)).toEqual({ email });

    const user = await db().storeUser.findUniqueOrThrow({ where: { email }, include: { store: true, verificationTokens: true } });
    expect(user.store).toMatchObject({ name: input.storeName, contactEmail: email, status: 'PENDING', storeInfoVersion: 1 });
    expect(user).toMatchObject({ name: 'Hana Sato', role: 'OWNER', emailVerifiedAt: null, failedLoginCount: 0 });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    const [message, ...others] = await outboxEmailsTo(email);
    expect(others).toHaveLength(0);
    expect(message).toMatchObject({ kind: 'email', status: 'PENDING', storeId: user.storeId });
    expect(message?.email.subject).toBe('Confirm your e-mail address for ServerPOS');
    expect(message?.email.text).toContain(`${env().APP_URL}/verify-email?token=`);

    // The database keeps only the token's hash; the token itself is only in the e-mail.
    const token = tokenFrom(message!.email.text);
    expect(user.verificationTokens).toHaveLength(1);
    const stored = user.verificationTokens[0]!;
    expect(stored.tokenHash).toBe(sha256Hex(token));
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.usedAt).toBeNull();
    const hoursValid = (stored.expiresAt.getTime() - before.getTime()) / 3_600_000;
    expect(hoursValid).toBeGreaterThanOrEqual(VERIFICATION_TOKEN_HOURS - 0.01);
    expect(hoursValid).toBeLessThanOrEqual(VERIFICATION_TOKEN_HOURS + 0.01);

    const audit = await db().auditEvent.findMany({ where: { storeId: user.storeId } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'store.signed_up', actorType: 'STORE_USER', actorId: user.id, targetType: 'Store', targetId: user.storeId }),
    ]);
    // Nothing secret in the audit trail.
    expect(JSON.stringify(audit)).not.toContain(input.password);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('gives a second sign-up with the same e-mail the same answer, creates no store and e-mails the owner instead', async () => {
    const first = signUpInput();
    await signUp(first);
    const owner = await db().storeUser.findUniqueOrThrow({ where: { email: first.email } });

    const second = signUpInput({ email: `  ${first.email.toUpperCase()} `, password: 'another long password' });
    expect(await signUp(second)).toEqual({ email: first.email });

    expect(await db().store.count({ where: { name: second.storeName } })).toBe(0);
    expect(await db().storeUser.count({ where: { email: first.email } })).toBe(1);
    // The existing account is untouched: same store, same password, no new token.
    const after = await db().storeUser.findUniqueOrThrow({ where: { email: first.email }, include: { verificationTokens: true } });
    expect(after.storeId).toBe(owner.storeId);
    expect(after.passwordHash).toBe(owner.passwordHash);
    expect(after.verificationTokens).toHaveLength(1);

    const emails = await outboxEmailsTo(first.email);
    expect(emails.map((row) => row.email.subject)).toEqual(['Confirm your e-mail address for ServerPOS', 'You already have a ServerPOS account']);
    expect(emails[1]?.email.text).toContain(`Sign in: ${env().APP_URL}/login`);
    expect(emails[1]?.storeId).toBe(owner.storeId);

    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((event) => event.action)).toEqual(['store.signed_up', 'store.sign_up_existing_email']);
    expect(audit[1]).toMatchObject({ actorType: 'ANONYMOUS', actorId: null, targetId: owner.id });
  });

  it('answers two simultaneous sign-ups with one new e-mail address alike, and creates one store', async () => {
    const email = uniqueEmail('race');
    const inputs = [signUpInput({ email }), signUpInput({ email })];
    const results = await Promise.allSettled(inputs.map((input) => signUp(input)));
    expect(results).toEqual([
      { status: 'fulfilled', value: { email } },
      { status: 'fulfilled', value: { email } },
    ]);
    const stores = await db().store.findMany({ where: { name: { in: inputs.map((input) => input.storeName) } } });
    expect(stores).toHaveLength(1);
    expect(await db().storeUser.count({ where: { email } })).toBe(1);
    const subjects = (await outboxEmailsTo(email)).map((row) => row.email.subject).sort();
    expect(subjects).toEqual(['Confirm your e-mail address for ServerPOS', 'You already have a ServerPOS account']);
  });

  it('creates nothing for bad input, and says which fields are wrong', async () => {
    const input = signUpInput({ password: 'too short', ownerName: '' });
    const error = await signUp(input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'validation_failed' });
    expect((error as AppError).fields?.map((field) => field.path).sort()).toEqual(['ownerName', 'password']);

    expect(await db().store.count({ where: { name: input.storeName } })).toBe(0);
    expect(await db().storeUser.count({ where: { email: input.email } })).toBe(0);
    expect(await outboxEmailsTo(input.email)).toHaveLength(0);
  });

  it('refuses input that is not an object', async () => {
    await expect(signUp(null)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(signUp('storeName=x')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
