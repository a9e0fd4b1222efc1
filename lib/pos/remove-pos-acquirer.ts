import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { isUuid } from '@/lib/validation';

/**
 * Stops a POS using an acquirer. Refused while the link has an ACTIVE certificate: those must be deleted
 * first (the certificates page), so that they are revoked at the CA and their keys destroyed. A link with
 * no key or certificate ever is deleted; one with history is kept as WITHDRAWN for the audit trail.
 */
export async function removePosAcquirer(options: { storeId: string; actor: Actor; posId: string; posAcquirerId: string; origin?: RequestOrigin }): Promise<{ acquirerName: string }> {
  return db().$transaction(async (tx) => {
    const { store, pos } = await requireStorePos(tx, options);
    const link = isUuid(options.posAcquirerId)
      ? await tx.posAcquirer.findFirst({
          where: { id: options.posAcquirerId, storeId: store.id, posId: pos.id, status: { not: 'WITHDRAWN' } },
          select: { id: true, busySince: true, acquirer: { select: { code: true, name: true } }, _count: { select: { keyPairs: true, certificates: true } } },
        })
      : null;
    if (!link) throw new AppError('not_found', 'This POS does not use that acquirer.');
    if (link.busySince) throw new AppError('conflict', `A certificate request for “${pos.name}” with ${link.acquirer.name} is in progress; try again when it has finished.`);
    const active = await tx.certificate.count({ where: { posAcquirerId: link.id, status: 'ACTIVE' } });
    if (active > 0) {
      throw new AppError(
        'invalid_state_transition',
        `“${pos.name}” still has active certificates for ${link.acquirer.name}. Delete them on the certificates page first, so they are revoked and their keys destroyed; then remove the acquirer.`,
      );
    }
    if (link._count.keyPairs === 0 && link._count.certificates === 0) await tx.posAcquirer.delete({ where: { id: link.id } });
    else await tx.posAcquirer.update({ where: { id: link.id }, data: { status: 'WITHDRAWN' } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'pos.acquirer_removed',
      storeId: store.id,
      targetType: 'PosAcquirer',
      targetId: link.id,
      data: { posId: pos.id, acquirerCode: link.acquirer.code },
      origin: options.origin ?? null,
    });
    return { acquirerName: link.acquirer.name };
  });
}
