import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { parseInput } from '@/lib/validation';
import { webhookUrlInputSchema } from '@/lib/webhooks/schemas';

/**
 * Sets or clears (empty input) the URL one of the store's POSes receives its payment events at. Events
 * keep being recorded either way; only delivery depends on the URL, which is read when each attempt is
 * sent. The audit event names the URL's origin only: a path or query may hold a token the shop chose.
 */
export async function setWebhookUrl(options: { storeId: string; actor: Actor; posId: string; input: unknown; origin?: RequestOrigin }): Promise<{ webhookUrl: string | null; changed: boolean }> {
  const { webhookUrl } = parseInput(webhookUrlInputSchema, options.input);
  return db().$transaction(async (tx) => {
    const { store, pos } = await requireStorePos(tx, options);
    const before = await tx.pos.findUniqueOrThrow({ where: { id: pos.id }, select: { webhookUrl: true } });
    if (before.webhookUrl === webhookUrl) return { webhookUrl, changed: false };
    await tx.pos.update({ where: { id: pos.id }, data: { webhookUrl } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: webhookUrl ? 'pos.webhook_url_set' : 'pos.webhook_url_cleared',
      storeId: store.id,
      targetType: 'Pos',
      targetId: pos.id,
      data: { posName: pos.name, ...(webhookUrl ? { webhookOrigin: new URL(webhookUrl).origin } : {}) },
      origin: options.origin ?? null,
    });
    return { webhookUrl, changed: true };
  });
}
