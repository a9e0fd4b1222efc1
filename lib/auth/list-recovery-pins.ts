import { db } from '@/lib/db/client';

/** The store's contracts with whether each holds a recovery PIN (never the verifier itself), for the settings page. */
export async function listRecoveryPins(storeId: string, now = new Date()) {
  const contracts = await db().acquirerContract.findMany({
    where: { storeId },
    orderBy: { appliedAt: 'asc' },
    select: {
      id: true,
      merchantNumber: true,
      status: true,
      pinHash: true,
      pinLockedUntil: true,
      acquirer: { select: { name: true } },
    },
  });
  return contracts.map((contract) => ({
    contractId: contract.id,
    acquirerName: contract.acquirer.name,
    merchantNumber: contract.merchantNumber,
    status: contract.status,
    hasPin: contract.pinHash !== null,
    lockedUntil: contract.pinLockedUntil && contract.pinLockedUntil > now ? contract.pinLockedUntil : null,
  }));
}
