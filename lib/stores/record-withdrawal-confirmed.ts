import { recordAuditEvent, systemActor, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Db } from '@/lib/db/client';
import { env } from '@/lib/env';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { withdrawalConfirmedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { changeStoreStatus } from '@/lib/stores/store-status';

/**
 * Records that an acquirer confirmed a store's withdrawal: the WITHDRAWING contract becomes WITHDRAWN and,
 * when no contract is left in force, the store too (its POS API keys stop working). The store is told by
 * e-mail. One transaction, by an update guarded on WITHDRAWING, so a second confirmation (the worker's and
 * the acquirer's own) records nothing and answers `recorded: false`.
 *
 * The one step behind both ways a confirmation arrives: the worker asking the registry (confirmWithdrawal)
 * and the acquirer confirming through its admin API (confirmAcquirerWithdrawal).
 */
export async function recordWithdrawalConfirmed(options: {
  contractId: string;
  actor: Actor;
  origin?: RequestOrigin | null;
  now?: Date;
  prisma?: Db;
}): Promise<{ recorded: boolean; storeClosed: boolean }> {
  const prisma = options.prisma ?? db();
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const contract = await tx.acquirerContract.findUnique({
      where: { id: options.contractId },
      select: { id: true, storeId: true, merchantNumber: true, acquirer: { select: { code: true, name: true } } },
    });
    if (!contract) return { recorded: false, storeClosed: false };
    const done = await tx.acquirerContract.updateMany({ where: { id: contract.id, status: 'WITHDRAWING' }, data: { status: 'WITHDRAWN', withdrawnAt: now } });
    if (done.count !== 1) return { recorded: false, storeClosed: false };
    const origin = options.origin ?? null;
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'contract.withdrawn',
      storeId: contract.storeId,
      targetType: 'AcquirerContract',
      targetId: contract.id,
      data: { acquirer: contract.acquirer.code },
      origin,
    });
    const inForce = await tx.acquirerContract.count({ where: { storeId: contract.storeId, status: { in: ['APPLIED', 'VERIFIED', 'WITHDRAWING'] } } });
    const store = await tx.store.findUniqueOrThrow({ where: { id: contract.storeId }, select: { name: true, status: true, contactEmail: true } });
    let storeClosed = false;
    if (inForce === 0 && store.status !== 'WITHDRAWN') {
      storeClosed = await changeStoreStatus(tx, { storeId: contract.storeId, from: store.status, to: 'WITHDRAWN', data: { withdrawnAt: now } });
      if (storeClosed) {
        // A withdrawn store takes no payments: its POS API keys stop working.
        await tx.posApiKey.updateMany({ where: { storeId: contract.storeId, revokedAt: null }, data: { revokedAt: now } });
        await recordAuditEvent(tx, { actor: systemActor, action: 'store.withdrawn', storeId: contract.storeId, targetType: 'Store', targetId: contract.storeId, origin });
      }
    }
    await enqueueEmail(tx, {
      storeId: contract.storeId,
      to: store.contactEmail,
      email: withdrawalConfirmedMessage({ storeName: store.name, acquirerName: contract.acquirer.name, merchantNumber: contract.merchantNumber, storeClosed, consoleUrl: `${env().APP_URL}/console/stores/${contract.storeId}` }),
    });
    return { recorded: true, storeClosed };
  });
}
