import { randomUUID } from 'node:crypto';
import type { Tx } from '@/lib/db/client';
import { asSqlClient, sql, type SqlClient } from '@/lib/db/sql';
import type { RenderedEmail } from '@/lib/mail/templates';

export interface EmailPayload extends RenderedEmail {
  to: string;
}

/**
 * Puts an e-mail in the outbox inside the caller's transaction: it is sent if,
 * and only if, the change that caused it commits. The worker delivers it.
 */
export async function enqueueEmail(tx: Tx | SqlClient, input: { storeId: string | null; to: string; email: RenderedEmail }): Promise<string> {
  const payload: EmailPayload = { to: input.to, ...input.email };
  const id = randomUUID();
  await asSqlClient(tx).execute(sql`
    INSERT INTO "OutboxMessage" ("id", "kind", "storeId", "payload", "createdAt")
    VALUES (${id}::uuid, 'email', ${input.storeId}::uuid, ${JSON.stringify(payload)}::jsonb, ${new Date()}::timestamp)`);
  return id;
}
