import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestPasswordReset } from '@/lib/auth/request-password-reset';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { createContract } from '@/lib/testing/contract-fixtures';
import { createStoreWithOwner, outboxEmailsTo, uniqueEmail } from '@/lib/testing/fixtures';

const someIp = () => `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
const from = (ipAddress = someIp()) => ({ ipAddress, userAgent: 'Test Browser' });
const resetLink = /\/reset-password\?token=([A-Za-z0-9_-]{43})/;

describe('requestPasswordReset', () => {
  it('e-mails a 30-minute single-use link and keeps only the SHA-256 of its token', async () => {
    const owner = await createStoreWithOwner();
    await createContract({ storeId: owner.storeId, pin: '4711' });
    const now = new Date();

    await expect(requestPasswordReset({ input: { email: owner.email.toUpperCase() }, origin: from('203.0.113.9'), now })).resolves.toBeUndefined();

    const [message, ...others] = await outboxEmailsTo(owner.email);
    expect(others).toHaveLength(0);
    expect(message?.storeId).toBe(owner.storeId);
    expect(message?.email.subject).toBe('Reset your ServerPOS password');
    const token = resetLink.exec(message?.email.text ?? '')?.[1];
    expect(message?.email.text).toContain(`http://localhost:3999/reset-password?token=${token}`);
    const rows = await db().passwordResetToken.findMany({ where: { storeUserId: owner.userId } });
    expect(rows).toEqual([expect.objectContaining({ tokenHash: sha256Hex(token!), usedAt: null, failedAttempts: 0, expiresAt: new Date(now.getTime() + 30 * 60_000) })]);
    const audit = await db().auditEvent.findMany({ where: { storeId: owner.storeId, action: 'auth.password_reset_requested' } });
    expect(audit).toEqual([expect.objectContaining({ actorType: 'ANONYMOUS', targetType: 'PasswordResetToken', targetId: rows[0]!.id, ipAddress: '203.0.113.9', userAgent: 'Test Browser' })]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('makes an earlier unused link stop working when a new one is asked for', async () => {
    const owner = await createStoreWithOwner();
    await createContract({ storeId: owner.storeId, pin: '4711' });
    const first = new Date(Date.now() - 60_000);
    await requestPasswordReset({ input: { email: owner.email }, origin: from(), now: first });
    const second = new Date();
    await requestPasswordReset({ input: { email: owner.email }, origin: from(), now: second });

    const rows = await db().passwordResetToken.findMany({ where: { storeUserId: owner.userId }, orderBy: { createdAt: 'asc' } });
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.expiresAt > second)).toHaveLength(1);
    expect(rows.find((row) => row.expiresAt <= second)?.expiresAt).toEqual(second);
  });

  it('tells a store without a usable recovery PIN to ask the operator, and writes no link', async () => {
    const owner = await createStoreWithOwner();
    // A PIN on a contract the acquirer never verified does not prove anything yet.
    await createContract({ storeId: owner.storeId, pin: '4711', status: 'APPLIED' });
    await createContract({ storeId: owner.storeId });

    await requestPasswordReset({ input: { email: owner.email }, origin: from() });

    const [message] = await outboxEmailsTo(owner.email);
    expect(message?.email.subject).toBe('Resetting your ServerPOS password needs the operator');
    expect(message?.email.text).not.toMatch(/reset-password/);
    expect(await db().passwordResetToken.count({ where: { storeUserId: owner.userId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { storeId: owner.storeId, action: 'auth.password_reset_unavailable' } })).toBe(1);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    await expect(requestPasswordReset({ input: { email }, origin: from() })).resolves.toBeUndefined();
    expect(await outboxEmailsTo(email)).toHaveLength(0);
  });

  it('refuses a malformed address as a form error', async () => {
    await expect(requestPasswordReset({ input: { email: 'not an address' }, origin: from() })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ path: 'email', message: 'Enter a valid e-mail address.' }],
    });
  });

  it('allows three requests per address an hour, known or not, whatever the client address', async () => {
    const owner = await createStoreWithOwner();
    await createContract({ storeId: owner.storeId, pin: '4711' });
    const unknown = uniqueEmail('nobody');
    for (const email of [owner.email, unknown]) {
      for (let i = 0; i < 3; i += 1) await requestPasswordReset({ input: { email }, origin: from() });
      await expect(requestPasswordReset({ input: { email }, origin: from() })).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    }
    expect(await outboxEmailsTo(owner.email)).toHaveLength(3);
  });

  it('allows twenty requests per client address an hour', async () => {
    const clientIp = someIp();
    for (let i = 0; i < 20; i += 1) await requestPasswordReset({ input: { email: uniqueEmail('ip') }, origin: from(clientIp) });
    const owner = await createStoreWithOwner();
    await createContract({ storeId: owner.storeId, pin: '4711' });
    await expect(requestPasswordReset({ input: { email: owner.email }, origin: from(clientIp) })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(await outboxEmailsTo(owner.email)).toHaveLength(0);
    // Another client address is not held up.
    await requestPasswordReset({ input: { email: owner.email }, origin: from() });
    expect(await outboxEmailsTo(owner.email)).toHaveLength(1);
  });
});
