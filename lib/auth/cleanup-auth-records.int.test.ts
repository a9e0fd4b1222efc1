import { describe, expect, it } from 'vitest';
import { newToken, sha256Hex } from '@/lib/auth/tokens';
import { cleanupAuthRecords } from '@/lib/auth/cleanup-auth-records';
import { db } from '@/lib/db/client';
import { consumeRateLimit } from '@/lib/security/rate-limit';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

const day = 86_400_000;

describe('cleanupAuthRecords', () => {
  it('removes sessions and tokens that stopped mattering more than 30 days ago, and keeps the rest', async () => {
    const { userId } = await createStoreWithOwner();
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * day);
    const session = (data: { endedAt?: Date; expiresAt: Date }) =>
      db().authSession.create({ data: { subject: 'STORE_USER', storeUserId: userId, ...data }, select: { id: true } }).then((row) => row.id);
    const token = (data: { usedAt?: Date; expiresAt: Date }) =>
      db().emailVerificationToken.create({ data: { storeUserId: userId, tokenHash: sha256Hex(newToken()), ...data }, select: { id: true } }).then((row) => row.id);

    // Ended, or expired, more than 30 days ago: removed.
    await session({ endedAt: ago(31), expiresAt: ago(30.5) });
    await session({ expiresAt: ago(31) });
    await token({ usedAt: ago(31), expiresAt: ago(30.5) });
    await token({ expiresAt: ago(31) });
    const keptSessions = [await session({ endedAt: ago(29), expiresAt: ago(28) }), await session({ expiresAt: new Date(now + day) })];
    const keptTokens = [await token({ usedAt: ago(29), expiresAt: ago(28) }), await token({ expiresAt: new Date(now + day) })];

    const removed = await cleanupAuthRecords(db(), new Date(now));

    expect(removed.sessions).toBeGreaterThanOrEqual(2);
    expect(removed.tokens).toBeGreaterThanOrEqual(2);
    const sessions = await db().authSession.findMany({ where: { storeUserId: userId }, select: { id: true } });
    expect(sessions.map((row) => row.id).sort()).toEqual([...keptSessions].sort());
    const tokens = await db().emailVerificationToken.findMany({ where: { storeUserId: userId }, select: { id: true } });
    expect(tokens.map((row) => row.id).sort()).toEqual([...keptTokens].sort());
  });

  it('removes password-reset tokens spent more than 30 days ago and rate-limit windows of days ago', async () => {
    const { userId } = await createStoreWithOwner();
    const now = Date.now();
    const ago = (days: number) => new Date(now - days * day);
    const token = (data: { usedAt?: Date; expiresAt: Date }) =>
      db().passwordResetToken.create({ data: { storeUserId: userId, tokenHash: sha256Hex(newToken()), ...data }, select: { id: true } }).then((row) => row.id);
    await token({ usedAt: ago(31), expiresAt: ago(31) });
    await token({ expiresAt: ago(31) });
    const keptTokens = [await token({ usedAt: ago(29), expiresAt: ago(29) }), await token({ expiresAt: new Date(now + day) })];
    const key = `test:cleanup:${userId}`;
    await consumeRateLimit(db(), { key, limit: 5, windowSeconds: 3600, now: ago(3) });
    await consumeRateLimit(db(), { key, limit: 5, windowSeconds: 3600, now: new Date(now) });

    const removed = await cleanupAuthRecords(db(), new Date(now));

    expect(removed.passwordResetTokens).toBeGreaterThanOrEqual(2);
    expect(removed.rateLimitWindows).toBeGreaterThanOrEqual(1);
    const tokens = await db().passwordResetToken.findMany({ where: { storeUserId: userId }, select: { id: true } });
    expect(tokens.map((row) => row.id).sort()).toEqual([...keptTokens].sort());
    expect(await db().rateLimitCounter.count({ where: { key } })).toBe(1);
  });
});
