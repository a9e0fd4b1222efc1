import type { Db, Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

/**
 * The longest window a limit may use. The hourly auth clean-up deletes windows
 * that started longer ago than this (plus a margin), so no live window is lost.
 */
export const MAX_RATE_LIMIT_WINDOW_SECONDS = 86_400;

export interface RateLimitResult {
  /** Hits in this window so far, this one included. */
  count: number;
  remaining: number;
  /** When the current window ends and the count starts again from zero. */
  resetAt: Date;
}

/**
 * Counts one hit against `key` in a fixed window and refuses it once the
 * window holds more than `limit` hits.
 *
 * The count lives in PostgreSQL, incremented by a single upsert, so every app
 * instance shares it and concurrent hits are never lost or double-admitted.
 * Refused hits are counted too: hammering a limit does not shorten it.
 *
 * Run it on its own (not inside a transaction that may roll back), or the hit
 * is forgotten with the rollback; callers that refuse the request afterwards
 * still want the hit to stay counted.
 */
export async function consumeRateLimit(
  client: Db | Tx,
  options: { key: string; limit: number; windowSeconds: number; now?: Date },
): Promise<RateLimitResult> {
  const { key, limit, windowSeconds } = options;
  if (key.length === 0 || key.length > 200) throw new Error('rate-limit key must be 1 to 200 characters');
  if (!Number.isInteger(limit) || limit < 1) throw new Error('rate-limit limit must be a positive integer');
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_RATE_LIMIT_WINDOW_SECONDS) {
    throw new Error(`rate-limit window must be 1 to ${MAX_RATE_LIMIT_WINDOW_SECONDS} whole seconds`);
  }
  const now = options.now ?? new Date();
  const windowMs = windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const resetAt = new Date(windowStart.getTime() + windowMs);

  // Dates go in from the application's clock, like every DateTime Prisma writes to these zone-less columns.
  const rows = await client.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count")
    VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 0);
  if (count > limit) throw rateLimitedError(resetAt, now);
  return { count, remaining: limit - count, resetAt };
}

/** Says when to try again, and nothing about what was counted or why. */
function rateLimitedError(resetAt: Date, now: Date): AppError {
  const seconds = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
  const wait = seconds < 60 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}`;
  return new AppError('rate_limited', `Too many attempts. Try again in ${wait}.`);
}

/** Removes windows that ended long ago; run by the hourly auth clean-up. */
export async function deleteExpiredRateLimitWindows(client: Db | Tx, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - 2 * MAX_RATE_LIMIT_WINDOW_SECONDS * 1000);
  const removed = await client.rateLimitCounter.deleteMany({ where: { windowStart: { lt: before } } });
  return removed.count;
}
