import { z } from 'zod';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireChangeableStore } from '@/lib/stores/store-scope';
import { parseInput } from '@/lib/validation';

/** The settings form's checkbox: present ("on") to receive the e-mails, absent to stop them. */
export const settlementEmailsSchema = z
  .object({ settlementEmails: z.enum(['on', 'off'], { error: 'Tick the box or leave it empty.' }).optional() })
  .transform((value) => ({ settlementEmails: value.settlementEmails === 'on' }));

/**
 * Turns the store's settlement e-mails (one per completed capture, void or refund) on or off. A setting
 * of ServerPOS only: no new store-information version, nothing sent to the acquirers.
 */
export async function setSettlementEmails(options: { storeId: string; actor: Actor; input: unknown; origin?: RequestOrigin }): Promise<{ settlementEmails: boolean; changed: boolean }> {
  const { settlementEmails } = parseInput(settlementEmailsSchema, options.input);
  return db().$transaction(async (tx) => {
    const store = await requireChangeableStore(tx, options.storeId, options.actor);
    const updated = await tx.store.updateMany({ where: { id: store.id, settlementEmails: !settlementEmails }, data: { settlementEmails } });
    if (updated.count === 0) return { settlementEmails, changed: false };
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'store.settlement_emails_changed',
      storeId: store.id,
      targetType: 'Store',
      targetId: store.id,
      data: { settlementEmails },
      origin: options.origin ?? null,
    });
    return { settlementEmails, changed: true };
  });
}
