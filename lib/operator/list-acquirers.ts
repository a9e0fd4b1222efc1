import { db } from '@/lib/db/client';

export function listAcquirers() {
  return db().acquirer.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, code: true, name: true, brands: true, gatewayUrl: true, status: true, _count: { select: { contracts: true } } },
  });
}
