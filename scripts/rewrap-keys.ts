/**
 * `npm run keys:rewrap`: re-encrypts every store private key (and the webhook signing keys) under the newest
 * master key in MASTER_KEYS. To rotate: add `N+1:<new key>` to MASTER_KEYS
 * (keeping the old entries), restart the app and the worker, run this, then
 * remove the old entries.
 */
import { createPrismaClient } from '@/lib/db/client';
import { env } from '@/lib/env';
import { rewrapKeys } from '@/lib/keys/rewrap-keys';
import { describeError, log } from '@/lib/log';
import { rewrapWebhookSigningKeys } from '@/lib/webhooks/rewrap-webhook-signing-keys';

const prisma = createPrismaClient(env().DATABASE_URL, 2);
try {
  const result = await rewrapKeys(prisma, { onProgress: (done) => log.info('re-wrapping private keys', { done }) });
  log.info('private keys re-wrapped', { ...result });
  log.info('webhook signing keys re-wrapped', { ...(await rewrapWebhookSigningKeys(prisma)) });
} catch (error) {
  log.error('re-wrapping stopped', describeError(error));
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
