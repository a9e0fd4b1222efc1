import { z } from 'zod';
import { db } from '@/lib/db/client';

export const auditFilterSchema = z.object({
  action: z.string().trim().max(80).regex(/^[a-z0-9_.]*$/).optional().catch(undefined),
  storeId: z.uuid().optional().catch(undefined),
});

/** The latest audit events, optionally filtered by action prefix and store. */
export function listAuditEvents(rawFilter: unknown) {
  const filter = auditFilterSchema.parse(rawFilter ?? {});
  return db().auditEvent.findMany({
    where: {
      ...(filter.action ? { action: { startsWith: filter.action } } : {}),
      ...(filter.storeId ? { storeId: filter.storeId } : {}),
    },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { id: true, createdAt: true, actorType: true, actorId: true, action: true, storeId: true, targetType: true, targetId: true, data: true, store: { select: { name: true } } },
  });
}
