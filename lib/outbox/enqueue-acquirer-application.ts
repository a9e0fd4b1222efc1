import { z } from 'zod';
import type { Tx } from '@/lib/db/client';

/** Outbox kind: forward a store's application for one acquirer contract to that acquirer (lib/stores/deliver-application.ts). */
export const ACQUIRER_APPLICATION_KIND = 'acquirer.application';

/** Only the contract's id travels: the handler reads the contract as it is when it runs, so a retry never sends stale details. */
export const acquirerApplicationPayloadSchema = z.object({ contractId: z.uuid() });
export type AcquirerApplicationPayload = z.infer<typeof acquirerApplicationPayloadSchema>;

/**
 * Puts a contract's application in the outbox inside the caller's
 * transaction: the acquirer hears of it if, and only if, the contract commits.
 */
export async function enqueueAcquirerApplication(tx: Tx, input: { storeId: string; contractId: string }): Promise<string> {
  const payload: AcquirerApplicationPayload = { contractId: input.contractId };
  const message = await tx.outboxMessage.create({
    data: { kind: ACQUIRER_APPLICATION_KIND, storeId: input.storeId, payload },
    select: { id: true },
  });
  return message.id;
}
