import { confirmWithdrawalAtAcquirer } from '@/lib/acquirers/registry-client';
import { recordAuditEvent, systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { withdrawalConfirmedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { changeStoreStatus } from '@/lib/stores/store-status';
import type { WithdrawalPayload } from '@/lib/stores/withdraw-from-acquirers';

/**
 * Worker: asks the acquirer to confirm a withdrawal and records its answer:
 * the contract becomes WITHDRAWN and, when no contract is left in force, the
 * store too. The store is told by e-mail. Runs again safely: a contract
 * already withdrawn is left alone.
 */
export async function confirmWithdrawal(prisma: Db, payload: WithdrawalPayload): Promise<void> {
  const contract = await prisma.acquirerContract.findUnique({
    where: { id: payload.contractId },
    select: { id: true, storeId: true, status: true, merchantNumber: true, acquirer: { select: { code: true, name: true, registryUrl: true } } },
  });
  if (!contract || contract.status !== 'WITHDRAWING') return;
  await confirmWithdrawalAtAcquirer(contract.acquirer, contract.merchantNumber);
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const done = await tx.acquirerContract.updateMany({ where: { id: contract.id, status: 'WITHDRAWING' }, data: { status: 'WITHDRAWN', withdrawnAt: now } });
    if (done.count !== 1) return;
    await recordAuditEvent(tx, { actor: systemActor, action: 'contract.withdrawn', storeId: contract.storeId, targetType: 'AcquirerContract', targetId: contract.id, data: { acquirer: contract.acquirer.code } });
    const inForce = await tx.acquirerContract.count({ where: { storeId: contract.storeId, status: { in: ['APPLIED', 'VERIFIED', 'WITHDRAWING'] } } });
    const store = await tx.store.findUniqueOrThrow({ where: { id: contract.storeId }, select: { name: true, status: true, contactEmail: true } });
    let storeClosed = false;
    if (inForce === 0 && store.status !== 'WITHDRAWN') {
      storeClosed = await changeStoreStatus(tx, { storeId: contract.storeId, from: store.status, to: 'WITHDRAWN', data: { withdrawnAt: now } });
      if (storeClosed) {
        // A withdrawn store takes no payments: its POS API keys stop working.
        await tx.posApiKey.updateMany({ where: { storeId: contract.storeId, revokedAt: null }, data: { revokedAt: now } });
        await recordAuditEvent(tx, { actor: systemActor, action: 'store.withdrawn', storeId: contract.storeId, targetType: 'Store', targetId: contract.storeId });
      }
    }
    await enqueueEmail(tx, {
      storeId: contract.storeId,
      to: store.contactEmail,
      email: withdrawalConfirmedMessage({ storeName: store.name, acquirerName: contract.acquirer.name, merchantNumber: contract.merchantNumber, storeClosed, consoleUrl: `${env().APP_URL}/console/stores/${contract.storeId}` }),
    });
  });
}
