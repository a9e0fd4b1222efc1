import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { isUuid } from '@/lib/validation';

/**
 * Lets a POS use one of the store's verified acquirer contracts: a PosAcquirer link, PENDING until the POS
 * registers its certificates with that acquirer (the certificates page). A link removed earlier comes back.
 */
export async function addPosAcquirer(options: { storeId: string; actor: Actor; posId: string; contractId: string; origin?: RequestOrigin }): Promise<{ posAcquirerId: string; acquirerName: string }> {
  try {
    return await db().$transaction(async (tx) => {
      const { store, pos } = await requireStorePos(tx, options);
      const contract = isUuid(options.contractId)
        ? await tx.acquirerContract.findFirst({ where: { id: options.contractId, storeId: store.id }, select: { id: true, status: true, acquirer: { select: { id: true, code: true, name: true } } } })
        : null;
      if (!contract) throw new AppError('not_found', 'Choose one of your acquirers.');
      if (contract.status !== 'VERIFIED') throw new AppError('invalid_state_transition', `${contract.acquirer.name} has not verified your contract, so no POS can use it yet.`);
      const existing = await tx.posAcquirer.findUnique({ where: { posId_acquirerId: { posId: pos.id, acquirerId: contract.acquirer.id } }, select: { id: true, status: true } });
      if (existing && existing.status !== 'WITHDRAWN') throw new AppError('conflict', `“${pos.name}” already uses ${contract.acquirer.name}.`);
      const link = existing
        ? await tx.posAcquirer.update({ where: { id: existing.id }, data: { status: 'PENDING', contractId: contract.id, busySince: null }, select: { id: true } })
        : await tx.posAcquirer.create({ data: { storeId: store.id, posId: pos.id, acquirerId: contract.acquirer.id, contractId: contract.id }, select: { id: true } });
      await recordAuditEvent(tx, {
        actor: options.actor,
        action: 'pos.acquirer_added',
        storeId: store.id,
        targetType: 'PosAcquirer',
        targetId: link.id,
        data: { posId: pos.id, acquirerCode: contract.acquirer.code },
        origin: options.origin ?? null,
      });
      return { posAcquirerId: link.id, acquirerName: contract.acquirer.name };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'This POS already uses that acquirer.');
    throw error;
  }
}
