import { z } from 'zod';
import { db } from '@/lib/db/client';

export const storeSearchSchema = z.object({
  q: z.string().trim().max(120).optional().catch(undefined),
  status: z.enum(['PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN']).optional().catch(undefined),
});

/** Stores matching a name or e-mail fragment, newest first. */
export function searchStores(rawQuery: unknown) {
  const query = storeSearchSchema.parse(rawQuery ?? {});
  return db().store.findMany({
    where: {
      ...(query.status ? { status: query.status } : {}),
      ...(query.q
        ? { OR: [{ name: { contains: query.q, mode: 'insensitive' } }, { contactEmail: { contains: query.q, mode: 'insensitive' } }] }
        : {}),
    },
    orderBy: { createdAt: 'desc' },
    take: 100,
    select: {
      id: true,
      name: true,
      contactEmail: true,
      status: true,
      createdAt: true,
      _count: { select: { poses: true, contracts: true } },
    },
  });
}
