import type { Prisma, Tx } from '@/lib/db/client';
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
  tx: Tx,
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
  await tx.auditEvent.create({
    data: {
      actorType: event.actor.type,
      actorId: event.actor.id,
      action: event.action,
      storeId: event.storeId ?? null,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      data: event.data ?? {},
      ipAddress: event.origin?.ipAddress ?? null,
      userAgent: event.origin?.userAgent ?? null,
    },
  });
}
