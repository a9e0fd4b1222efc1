import type { Tx } from '@/lib/db/client';
import type { RenderedEmail } from '@/lib/mail/templates';

export interface EmailPayload extends RenderedEmail {
  to: string;
}

/**
 * Puts an e-mail in the outbox inside the caller's transaction: it is sent if,
 * and only if, the change that caused it commits. The worker delivers it.
 */
export async function enqueueEmail(tx: Tx, input: { storeId: string | null; to: string; email: RenderedEmail }): Promise<string> {
  const payload: EmailPayload = { to: input.to, ...input.email };
  const message = await tx.outboxMessage.create({
    data: { kind: 'email', storeId: input.storeId, payload: { ...payload } },
    select: { id: true },
  });
  return message.id;
}
