import { db, type Db } from '@/lib/db/client';
import { currentSigningKey } from '@/lib/webhooks/current-signing-key';
import type { WebhookJwk, WebhookJwks } from '@/lib/webhooks/signature';

/**
 * The public keys shops verify webhooks with, as a JWKS: the current key and the retired ones, which stay
 * published so that a delivery signed before a rotation (or retried after it) still verifies. The current
 * key is created here if none exists yet, so a shop that fetches the set before its first event gets it.
 */
export async function listWebhookKeys(prisma: Db = db()): Promise<WebhookJwks> {
  await currentSigningKey(prisma);
  const rows = await prisma.webhookSigningKey.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { publicJwk: true } });
  return { keys: rows.map((row) => row.publicJwk as unknown as WebhookJwk) };
}
