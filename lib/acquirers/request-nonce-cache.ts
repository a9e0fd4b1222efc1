import { db, type Db } from '@/lib/db/client';
import type { ReplayCache } from '@/lib/set';

/**
 * The replay cache of signed acquirer requests, in the database (AcquirerRequestNonce), so that every app
 * instance sees every other's nonces: one INSERT … ON CONFLICT, which PostgreSQL decides atomically, so of
 * two requests with one nonce at once exactly one is fresh. A row past its expiry no longer counts (the
 * hourly cleanup may not have removed it yet) and is taken over.
 */
export class DatabaseReplayCache implements ReplayCache {
  constructor(
    private readonly prisma: Db = db(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async remember(key: string, expiresAt: Date): Promise<boolean> {
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO "AcquirerRequestNonce" ("key", "expiresAt") VALUES (${key}, ${expiresAt})
      ON CONFLICT ("key") DO UPDATE SET "expiresAt" = EXCLUDED."expiresAt"
      WHERE "AcquirerRequestNonce"."expiresAt" <= ${this.now()}`;
    return inserted === 1;
  }
}
