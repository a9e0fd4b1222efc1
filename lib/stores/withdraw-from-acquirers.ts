import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { enqueueRevocation } from '@/lib/certificates/enqueue-revocation';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';

export const ACQUIRER_WITHDRAWAL_KIND = 'acquirer.withdrawal';

export interface WithdrawalPayload {
  contractId: string;
}

/** Contracts a store can withdraw from: those still in force or still being applied for. */
const WITHDRAWABLE = ['APPLIED', 'VERIFIED'] as const;

/**
 * A store withdraws from some of its acquirers, or from all of them, the same
 * way for every acquirer. In one transaction: the contracts become
 * WITHDRAWING, every POS stops using them, their certificates stop serving
 * (REVOKED; the worker revokes them at the CA and destroys their private
 * keys), and each acquirer is asked through the outbox to confirm. When the
 * last contract is confirmed withdrawn, the store itself is WITHDRAWN (see
 * confirm-withdrawal.ts). Records are kept for audit.
 */
export async function withdrawFromAcquirers(input: {
  storeId: string;
  actor: Actor;
  /** Acquirer ids, or 'all'. */
  acquirers: string[] | 'all';
  origin?: RequestOrigin;
}): Promise<{ contracts: number; closesStore: boolean }> {
  if (input.acquirers !== 'all' && input.acquirers.length === 0) {
    throw new AppError('validation_failed', 'Choose at least one acquirer to withdraw from.', [{ path: 'acquirers', message: 'Choose at least one acquirer.' }]);
  }
  return db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({ where: { id: input.storeId }, select: { status: true } });
    if (!store) throw new AppError('not_found', 'Store not found.');
    if (store.status === 'WITHDRAWN') throw new AppError('store_inactive', 'This store has already withdrawn.');
    const all = await tx.acquirerContract.findMany({ where: { storeId: input.storeId }, select: { id: true, acquirerId: true, status: true } });
    const chosen = input.acquirers === 'all' ? all.filter((contract) => (WITHDRAWABLE as readonly string[]).includes(contract.status)) : all.filter((contract) => (input.acquirers as string[]).includes(contract.acquirerId));
    if (input.acquirers !== 'all' && chosen.length !== input.acquirers.length) throw new AppError('not_found', 'One of the chosen acquirers has no contract with this store.');
    const refused = chosen.find((contract) => !(WITHDRAWABLE as readonly string[]).includes(contract.status));
    if (refused) throw new AppError('invalid_state_transition', 'One of the chosen contracts is not in force (already withdrawn, being withdrawn, or rejected).');
    if (chosen.length === 0) throw new AppError('invalid_state_transition', 'There is no contract in force to withdraw from.');

    const now = new Date();
    const ids = chosen.map((contract) => contract.id);
    const moved = await tx.acquirerContract.updateMany({ where: { id: { in: ids }, status: { in: [...WITHDRAWABLE] } }, data: { status: 'WITHDRAWING', withdrawalRequestedAt: now } });
    if (moved.count !== ids.length) throw new AppError('conflict', 'The contracts changed meanwhile; reload the page and try again.');
    await tx.posAcquirer.updateMany({ where: { contractId: { in: ids } }, data: { status: 'WITHDRAWN' } });
    const serving = await tx.certificate.findMany({ where: { posAcquirer: { contractId: { in: ids } }, status: 'ACTIVE' }, select: { id: true } });
    await tx.certificate.updateMany({ where: { id: { in: serving.map((certificate) => certificate.id) } }, data: { status: 'REVOKED' } });
    for (const certificate of serving) await enqueueRevocation(tx, { storeId: input.storeId, certificateId: certificate.id, reason: 'cessationOfOperation' });
    for (const contractId of ids) {
      const payload: WithdrawalPayload = { contractId };
      await tx.outboxMessage.create({ data: { kind: ACQUIRER_WITHDRAWAL_KIND, storeId: input.storeId, payload: { ...payload } } });
    }
    const remaining = all.filter((contract) => !ids.includes(contract.id) && (WITHDRAWABLE as readonly string[]).includes(contract.status));
    const closesStore = remaining.length === 0;
    await recordAuditEvent(tx, {
      actor: input.actor,
      action: closesStore ? 'store.withdrawal_requested' : 'contract.withdrawal_requested',
      storeId: input.storeId,
      targetType: 'Store',
      targetId: input.storeId,
      data: { contractIds: ids, certificates: serving.length },
      origin: input.origin ?? null,
    });
    return { contracts: ids.length, closesStore };
  });
}
