import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { consumeRateLimit, deleteExpiredRateLimitWindows } from '@/lib/security/rate-limit';

const uniqueKey = (label: string) => `test:${label}:${randomUUID()}`;

describe('consumeRateLimit', () => {
  it('admits hits up to the limit in one window, then refuses with rate_limited and when to try again', async () => {
    const key = uniqueKey('basic');
    const now = new Date('2030-01-01T10:20:00Z');
    const options = { key, limit: 3, windowSeconds: 3600, now };

    expect(await consumeRateLimit(db(), options)).toEqual({ count: 1, remaining: 2, resetAt: new Date('2030-01-01T11:00:00Z') });
    expect((await consumeRateLimit(db(), options)).remaining).toBe(1);
    expect((await consumeRateLimit(db(), options)).remaining).toBe(0);
    await expect(consumeRateLimit(db(), options)).rejects.toMatchObject({ code: 'rate_limited', status: 429, message: 'Too many attempts. Try again in 40 minutes.' });

    // Refused hits still count, so hammering does not help.
    const row = await db().rateLimitCounter.findUniqueOrThrow({ where: { key_windowStart: { key, windowStart: new Date('2030-01-01T10:00:00Z') } } });
    expect(row.count).toBe(4);
  });

  it('starts again from zero in the next window, and keeps keys apart', async () => {
    const key = uniqueKey('window');
    const other = uniqueKey('other');
    const first = new Date('2030-01-01T10:59:59Z');
    await consumeRateLimit(db(), { key, limit: 1, windowSeconds: 3600, now: first });
    await expect(consumeRateLimit(db(), { key, limit: 1, windowSeconds: 3600, now: first })).rejects.toMatchObject({ code: 'rate_limited', message: 'Too many attempts. Try again in 1 second.' });
    expect((await consumeRateLimit(db(), { key: other, limit: 1, windowSeconds: 3600, now: first })).count).toBe(1);

    const next = new Date('2030-01-01T11:00:00Z');
    expect(await consumeRateLimit(db(), { key, limit: 1, windowSeconds: 3600, now: next })).toMatchObject({ count: 1, remaining: 0 });
  });

  it('admits exactly `limit` of many concurrent hits, and loses none of them', async () => {
    const key = uniqueKey('concurrent');
    const now = new Date('2030-01-01T10:00:30Z');
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => consumeRateLimit(db(), { key, limit: 10, windowSeconds: 60, now })));

    const admitted = results.filter((result) => result.status === 'fulfilled').map((result) => result.value.count);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(admitted.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(refused).toHaveLength(15);
    for (const result of refused) expect(result.reason).toMatchObject({ code: 'rate_limited' });
    const row = await db().rateLimitCounter.findUniqueOrThrow({ where: { key_windowStart: { key, windowStart: new Date('2030-01-01T10:00:00Z') } } });
    expect(row.count).toBe(25);
  });

  it('forgets a hit counted inside a transaction that rolls back (so callers count outside theirs)', async () => {
    const key = uniqueKey('rollback');
    const now = new Date('2030-01-01T10:00:00Z');
    await expect(
      db().$transaction(async (tx) => {
        await consumeRateLimit(tx, { key, limit: 5, windowSeconds: 60, now });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db().rateLimitCounter.count({ where: { key } })).toBe(0);
  });

  it('refuses nonsense options before touching the database', async () => {
    await expect(consumeRateLimit(db(), { key: '', limit: 1, windowSeconds: 60 })).rejects.toThrow('key');
    await expect(consumeRateLimit(db(), { key: 'x'.repeat(201), limit: 1, windowSeconds: 60 })).rejects.toThrow('key');
    await expect(consumeRateLimit(db(), { key: uniqueKey('bad'), limit: 0, windowSeconds: 60 })).rejects.toThrow('limit');
    await expect(consumeRateLimit(db(), { key: uniqueKey('bad'), limit: 1, windowSeconds: 86_401 })).rejects.toThrow('window');
  });
});

describe('deleteExpiredRateLimitWindows', () => {
  it('removes windows that started more than two days ago and keeps newer ones', async () => {
    const key = uniqueKey('cleanup');
    const now = new Date('2031-06-10T12:00:00Z');
    await consumeRateLimit(db(), { key, limit: 5, windowSeconds: 3600, now: new Date('2031-06-08T11:30:00Z') });
    await consumeRateLimit(db(), { key, limit: 5, windowSeconds: 3600, now: new Date('2031-06-08T12:30:00Z') });
    await consumeRateLimit(db(), { key, limit: 5, windowSeconds: 3600, now });

    expect(await deleteExpiredRateLimitWindows(db(), now)).toBeGreaterThanOrEqual(1);
    const left = await db().rateLimitCounter.findMany({ where: { key }, orderBy: { windowStart: 'asc' }, select: { windowStart: true } });
    expect(left.map((row) => row.windowStart.toISOString())).toEqual(['2031-06-08T12:00:00.000Z', '2031-06-10T12:00:00.000Z']);
  });
});
