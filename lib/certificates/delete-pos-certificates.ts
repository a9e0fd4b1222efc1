import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { enqueueRevocation } from '@/lib/certificates/enqueue-revocation';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

/**
 * Deletes a POS's certificates for one acquirer: they stop serving at once
 * (the POS can no longer authorise through that acquirer until it registers
 * again), and the worker revokes them at the CA and destroys their keys.
 */
export async function deletePosCertificates(input: { storeId: string; posAcquirerId: string; actor: Actor; origin?: RequestOrigin }): Promise<{ deleted: number }> {
  return db().$transaction(async (tx) => {
    // The id comes from a form: one that is not a UUID names no link (and would fail the query on the uuid column).
    const link = !isUuid(input.posAcquirerId) ? null : await tx.posAcquirer.findFirst({ where: { id: input.posAcquirerId, storeId: input.storeId }, select: { id: true, busySince: true } });
    if (!link) throw new AppError('not_found', 'No such POS and acquirer in this store.');
    if (link.busySince) throw new AppError('conflict', 'A certificate request for this POS and acquirer is in progress; try again when it has finished.');
    const active = await tx.certificate.findMany({ where: { posAcquirerId: link.id, status: 'ACTIVE' }, select: { id: true, serialNumber: true } });
    if (active.length === 0) throw new AppError('invalid_state_transition', 'There are no certificates to delete here.');
    const deleted = await tx.certificate.updateMany({ where: { id: { in: active.map((certificate) => certificate.id) }, status: 'ACTIVE' }, data: { status: 'DELETED' } });
    if (deleted.count !== active.length) throw new AppError('conflict', 'The certificates changed meanwhile; reload the page.');
    for (const certificate of active) await enqueueRevocation(tx, { storeId: input.storeId, certificateId: certificate.id, reason: 'cessationOfOperation' });
    await tx.posAcquirer.update({ where: { id: link.id }, data: { status: 'PENDING' } });
    await recordAuditEvent(tx, {
      actor: input.actor,
      action: 'certificate.deleted',
      storeId: input.storeId,
      targetType: 'PosAcquirer',
      targetId: link.id,
      data: { serialNumbers: active.map((certificate) => certificate.serialNumber) },
      origin: input.origin ?? null,
    });
    return { deleted: active.length };
  });
}
