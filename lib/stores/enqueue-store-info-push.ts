import { z } from 'zod';
import type { Tx } from '@/lib/db/client';

/** Outbox kind: send the store's current information to one acquirer (one contract). */
export const STORE_INFO_OUTBOX_KIND = 'acquirer.store_info';

export const storeInfoPushPayloadSchema = z.object({ contractId: z.uuid(), version: z.number().int().min(1) });
export type StoreInfoPushPayload = z.infer<typeof storeInfoPushPayloadSchema>;

/**
 * Puts "tell this acquirer about version N" in the outbox inside the caller's transaction. The handler
 * sends whatever the store holds when it runs, so a later version supersedes the payload's.
 *
 * `unlessQueued` skips the message when one for the contract is still waiting or being delivered: a
 * repeated pull of an acquirer that is behind must not pile up messages while it is unreachable.
 */
export async function enqueueStoreInfoPush(
  tx: Tx,
  input: { storeId: string; contractIds: string[]; version: number; unlessQueued?: boolean },
): Promise<number> {
  let sent = 0;
  for (const contractId of input.contractIds) {
    if (input.unlessQueued) {
      const queued = await tx.outboxMessage.findFirst({
        where: { storeId: input.storeId, kind: STORE_INFO_OUTBOX_KIND, status: { in: ['PENDING', 'DISPATCHED'] }, payload: { path: ['contractId'], equals: contractId } },
        select: { id: true },
      });
      if (queued) continue;
    }
    const payload: StoreInfoPushPayload = { contractId, version: input.version };
    await tx.outboxMessage.create({ data: { kind: STORE_INFO_OUTBOX_KIND, storeId: input.storeId, payload } });
    sent += 1;
  }
  return sent;
}
