import { recordAuditEvent, systemActor } from '@/lib/audit/record-audit-event';
import { revokeAtCa } from '@/lib/certificates/ca-client';
import type { RevocationPayload } from '@/lib/certificates/enqueue-revocation';
import type { Db } from '@/lib/db/client';

/**
 * Worker: revokes a certificate that no longer serves at the CA, then destroys
 * its private key (the wrapped bytes are erased; the row stays for audit).
 * Safe to run again: an already revoked certificate is only checked.
 */
export async function revokeCertificate(prisma: Db, payload: RevocationPayload): Promise<void> {
  const certificate = await prisma.certificate.findUnique({
    where: { id: payload.certificateId },
    select: { id: true, storeId: true, serialNumber: true, status: true, revokedAt: true, keyPairId: true },
  });
  if (!certificate || certificate.revokedAt) return;
  if (certificate.status === 'ACTIVE' || certificate.status === 'PENDING') return; // it serves again (should not happen); keep it
  await revokeAtCa(certificate.serialNumber, payload.reason);
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const revoked = await tx.certificate.updateMany({
      where: { id: certificate.id, revokedAt: null },
      // A superseded or deleted certificate keeps that status (it says why it stopped); a withdrawn one becomes REVOKED.
      data: { revokedAt: now, ...(payload.reason === 'cessationOfOperation' && certificate.status !== 'DELETED' ? { status: 'REVOKED' } : {}) },
    });
    if (revoked.count !== 1) return;
    await tx.keyPair.updateMany({ where: { id: certificate.keyPairId, destroyedAt: null }, data: { encryptedPrivateKey: null, destroyedAt: now } });
    await recordAuditEvent(tx, {
      actor: systemActor,
      action: 'certificate.revoked',
      storeId: certificate.storeId,
      targetType: 'Certificate',
      targetId: certificate.id,
      data: { serialNumber: certificate.serialNumber, reason: payload.reason },
    });
  });
}
