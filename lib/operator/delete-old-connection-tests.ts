import { db } from '@/lib/db/client';

/** Connection tests are kept this long; the scheduled job deletes older ones. */
export const CONNECTION_TEST_RETENTION_DAYS = 30;

/** Deletes connection tests started more than CONNECTION_TEST_RETENTION_DAYS before `now`; answers how many. */
export async function deleteOldConnectionTests(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - CONNECTION_TEST_RETENTION_DAYS * 86_400_000);
  const deleted = await db().acquirerConnectionTest.deleteMany({ where: { startedAt: { lt: cutoff } } });
  return deleted.count;
}
