import { db } from '@/lib/db/client';

/**
 * A store's acquirer contracts, oldest first, and the acquirers it can still
 * apply to: every ACTIVE acquirer it has no contract with, or whose
 * application was rejected (applying again replaces that application).
 */
export async function listContracts(options: { storeId: string }) {
  const [contracts, acquirers] = await Promise.all([
    db().acquirerContract.findMany({
      where: { storeId: options.storeId },
      orderBy: { appliedAt: 'asc' },
      select: {
        id: true,
        merchantNumber: true,
        status: true,
        rejectionReason: true,
        appliedAt: true,
        verifiedAt: true,
        withdrawalRequestedAt: true,
        withdrawnAt: true,
        acquirer: { select: { id: true, code: true, name: true, brands: true } },
      },
    }),
    db().acquirer.findMany({ where: { status: 'ACTIVE' }, orderBy: { name: 'asc' }, select: { id: true, code: true, name: true, brands: true } }),
  ]);
  const statusByAcquirer = new Map(contracts.map((contract) => [contract.acquirer.id, contract.status]));
  const available = acquirers
    .filter((acquirer) => {
      const status = statusByAcquirer.get(acquirer.id);
      return status === undefined || status === 'REJECTED';
    })
    .map(({ id, ...acquirer }) => ({ ...acquirer, appliedBefore: statusByAcquirer.has(id) }));
  return { contracts, available };
}
