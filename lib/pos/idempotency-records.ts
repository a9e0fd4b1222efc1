import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/client';

/**
 * The POS API's idempotency records (IdempotencyRecord): one row per POS and Idempotency-Key, claimed by
 * the first request that carries the key and holding its answer once it is done. lib/http/with-idempotency.ts
 * drives them; these functions only read and write the rows.
 */

/** A key is remembered at least this long; the hourly clean-up deletes older records. */
export const IDEMPOTENCY_RECORD_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A record still IN_PROGRESS after this long belongs to a request whose process died (or that failed to
 * record its answer): the next request with the key takes it over instead of waiting for the clean-up.
 * Twice the longest a POS API request runs (a follow-up's 15 s gateway wait after up to 10 s for a pooled
 * connection), so that a shop retrying after an instance was killed gets through within a minute. Were a
 * request still running when taken over, the second run meets the first's reservation under the payment's
 * row lock and is refused, so nothing is done twice.
 */
export const ABANDONED_AFTER_MS = 60 * 1000;

export type IdempotencyClaim =
  /** This request owns the key: run it, then complete or release the record. */
  | { outcome: 'claimed'; recordId: string }
  /** The same request already ran: answer what it answered. */
  | { outcome: 'completed'; status: number; body: string }
  /** The key was used for a different request. */
  | { outcome: 'mismatch' }
  /** The same request is running now. */
  | { outcome: 'in_progress' };

/**
 * Claims `key` for one request of a POS, or tells what became of the request that claimed it first. The
 * claim is one `INSERT … ON CONFLICT DO NOTHING` on the (posId, key) unique index, so of any number of
 * concurrent requests exactly one gets it, on every app instance, without locks held across the request.
 */
export async function claimIdempotencyKey(
  prisma: Db,
  options: { storeId: string; posId: string; key: string; requestHash: string; now?: Date },
): Promise<IdempotencyClaim> {
  const now = options.now ?? new Date();
  // A record deleted between our insert and our read (a 5xx released it) is claimed again: at most twice round.
  for (let attempt = 0; attempt < 3; attempt++) {
    const recordId = randomUUID();
    const inserted = await prisma.idempotencyRecord.createMany({
      data: [{ id: recordId, storeId: options.storeId, posId: options.posId, key: options.key, requestHash: options.requestHash, createdAt: now }],
      skipDuplicates: true,
    });
    if (inserted.count === 1) return { outcome: 'claimed', recordId };

    const record = await prisma.idempotencyRecord.findFirst({
      where: { storeId: options.storeId, posId: options.posId, key: options.key },
      select: { id: true, requestHash: true, state: true, responseStatus: true, responseBody: true, createdAt: true },
    });
    if (!record) continue;
    if (record.requestHash !== options.requestHash) return { outcome: 'mismatch' };
    if (record.state === 'COMPLETED' && record.responseStatus !== null && typeof record.responseBody === 'string') {
      return { outcome: 'completed', status: record.responseStatus, body: record.responseBody };
    }
    if (record.createdAt.getTime() < now.getTime() - ABANDONED_AFTER_MS) {
      // Guarded on the createdAt we read, so of several requests taking over one abandoned record one wins.
      const taken = await prisma.idempotencyRecord.updateMany({
        where: { id: record.id, state: 'IN_PROGRESS', createdAt: record.createdAt },
        data: { createdAt: now },
      });
      if (taken.count === 1) return { outcome: 'claimed', recordId: record.id };
    }
    return { outcome: 'in_progress' };
  }
  return { outcome: 'in_progress' };
}

/**
 * Stores the answer of the request that claimed the record. The body is kept as the exact text sent (a JSON
 * string in the column), because jsonb reorders object keys: a replay must be byte for byte the first answer.
 */
export async function completeIdempotencyRecord(prisma: Db, options: { recordId: string; status: number; body: string; now?: Date }): Promise<void> {
  await prisma.idempotencyRecord.updateMany({
    where: { id: options.recordId, state: 'IN_PROGRESS' },
    data: { state: 'COMPLETED', responseStatus: options.status, responseBody: options.body, completedAt: options.now ?? new Date() },
  });
}

/** Gives the key back (after a 5xx or a crash of the handler), so that a retry runs the request again. */
export async function releaseIdempotencyRecord(prisma: Db, recordId: string): Promise<void> {
  await prisma.idempotencyRecord.deleteMany({ where: { id: recordId, state: 'IN_PROGRESS' } });
}

/** Deletes records older than a day: a key may be reused for a new request after that. */
export async function deleteExpiredIdempotencyRecords(prisma: Db, now = new Date()): Promise<number> {
  const removed = await prisma.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_RECORD_TTL_MS) } } });
  return removed.count;
}
