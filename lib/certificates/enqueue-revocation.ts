import type { Tx } from '@/lib/db/client';

export interface RevocationPayload {
  certificateId: string;
  reason: 'superseded' | 'cessationOfOperation';
}

/**
 * Puts a certificate's revocation at the CA in the outbox, in the caller's
 * transaction: the worker revokes it and then destroys its private key. The
 * certificate has already stopped serving when this is written (superseded,
 * deleted or withdrawn), so nothing waits on the CA.
 */
export async function enqueueRevocation(tx: Tx, input: { storeId: string } & RevocationPayload): Promise<void> {
  const payload: RevocationPayload = { certificateId: input.certificateId, reason: input.reason };
  await tx.outboxMessage.create({ data: { kind: 'ca.revocation', storeId: input.storeId, payload: { ...payload } } });
}
