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

/** A limit: at most `limit` hits on `key` in each fixed window of `windowSeconds`. */
export interface RateLimit {
  /** 1 to 200 characters; callers hash anything personal (an e-mail address) before it goes in. */
  key: string;
  limit: number;
  windowSeconds: number;
}

/** A refusal of a rate limit: 429 rate_limited, and when to try again (the Retry-After header of an API's answer). */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const wait = retryAfterSeconds < 60 ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}` : `${Math.ceil(retryAfterSeconds / 60)} minute${Math.ceil(retryAfterSeconds / 60) === 1 ? '' : 's'}`;
    // Says when to try again, and nothing about what was counted or why.
    super('rate_limited', `Too many attempts. Try again in ${wait}.`);
  }
}

function windowOf(options: RateLimit & { now?: Date }) {
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
  const refused = () => new RateLimitedError(Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)));
  return { windowStart, resetAt, refused };
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
export async function consumeRateLimit(client: Db | Tx, options: RateLimit & { now?: Date }): Promise<RateLimitResult> {
  const { windowStart, resetAt, refused } = windowOf(options);
  // Dates go in from the application's clock, like every DateTime Prisma writes to these zone-less columns.
  const rows = await client.$queryRaw<{ count: number }[]>`
    INSERT INTO "RateLimitCounter" ("key", "windowStart", "count")
    VALUES (${options.key}, ${windowStart}, 1)
    ON CONFLICT ("key", "windowStart") DO UPDATE SET "count" = "RateLimitCounter"."count" + 1
    RETURNING "count"`;
  const count = Number(rows[0]?.count ?? 0);
  if (count > options.limit) throw refused();
  return { count, remaining: options.limit - count, resetAt };
}

/**
 * Refuses (RateLimitedError) once the current window of `key` already holds `limit` hits; counts nothing.
 * For limits on failures: check with this before the attempt, count a failure afterwards with
 * consumeRateLimit, so that successes cost one read and no write. Concurrent attempts that all pass the
 * check before any of them fails may go past the limit by their number, which is why only limits whose
 * attempts are expensive or unguessable anyway (sign-in: a password hash each; API keys: 256-bit secrets)
 * count failures this way.
 */
export async function assertRateLimitOpen(client: Db | Tx, options: RateLimit & { now?: Date }): Promise<void> {
  const { windowStart, refused } = windowOf(options);
  const rows = await client.$queryRaw<{ count: number }[]>`
    SELECT "count" FROM "RateLimitCounter" WHERE "key" = ${options.key} AND "windowStart" = ${windowStart}`;
  if (Number(rows[0]?.count ?? 0) >= options.limit) throw refused();
}

/** Removes windows that ended long ago; run by the hourly auth clean-up. */
export async function deleteExpiredRateLimitWindows(client: Db | Tx, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - 2 * MAX_RATE_LIMIT_WINDOW_SECONDS * 1000);
  const removed = await client.rateLimitCounter.deleteMany({ where: { windowStart: { lt: before } } });
  return removed.count;
}
