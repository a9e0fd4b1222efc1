import { randomUUID } from 'node:crypto';
import type { Prisma, Tx } from '@/lib/db/client';
import { asSqlClient, sql, type SqlClient } from '@/lib/db/sql';
import type { ActorType } from '@/lib/db/generated/prisma/enums';
import type { RequestOrigin } from '@/lib/http/request-origin';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export const systemActor: Actor = { type: 'SYSTEM', id: null };
export const anonymousActor: Actor = { type: 'ANONYMOUS', id: null };

/**
 * Writes an audit event inside the caller's transaction, so the record of a
 * change commits or rolls back with the change itself. `data` must hold no
 * secret: ids, codes and counts only. `origin` says where the request came
 * from (see lib/http/request-origin.ts); events without a request have none.
 */
export async function recordAuditEvent(
  tx: Tx | SqlClient,
  event: {
    actor: Actor;
    action: string;
    storeId?: string | null;
    targetType?: string;
    targetId?: string;
    data?: Prisma.InputJsonObject;
    origin?: RequestOrigin | null;
  },
): Promise<void> {
  await asSqlClient(tx).execute(sql`
    INSERT INTO "AuditEvent" ("id", "storeId", "actorType", "actorId", "action", "targetType", "targetId", "data", "ipAddress", "userAgent", "createdAt")
    VALUES (${randomUUID()}::uuid, ${event.storeId ?? null}::uuid, ${event.actor.type}::"ActorType", ${event.actor.id}, ${event.action},
            ${event.targetType ?? null}, ${event.targetId ?? null}, ${JSON.stringify(event.data ?? {})}::jsonb,
            ${event.origin?.ipAddress ?? null}, ${event.origin?.userAgent ?? null}, ${new Date()}::timestamp)`);
}
