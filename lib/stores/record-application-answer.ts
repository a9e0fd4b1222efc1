import { sha256Hex } from '@/lib/auth/tokens';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Db } from '@/lib/db/client';
import { env } from '@/lib/env';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { contractRejectedMessage, contractVerifiedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';

/** An acquirer's decision on a store's application, however it reached ServerPOS. */
export type ApplicationAnswerInput =
  /** `acquisitionNumber`: the one-time certificate acquisition number, when the acquirer sends one with its answer. */
  | { status: 'verified'; acquisitionNumber?: string | null }
  | { status: 'rejected'; code: string; reason: string };

/**
 * Records an acquirer's answer to an APPLIED contract: VERIFIED (with the SHA-256 of the acquisition number
 * when one came with it; without one, the first POS registration fetches a fresh number from the registry)
 * or REJECTED (the POS links stop waiting). Contract, audit event and the e-mail to the store commit in one
 * transaction, by an update guarded on APPLIED: of two answers at once (the worker's delivery and the
 * acquirer's own confirmation, say) exactly one is recorded; the other gets `false`.
 *
 * The one step behind both ways an answer arrives: the worker asking the registry (deliverApplication) and
 * the acquirer confirming through its admin API (confirmAcquirerEnrolment).
 */
export async function recordApplicationAnswer(options: {
  storeId: string;
  contractId: string;
  answer: ApplicationAnswerInput;
  actor: Actor;
  origin?: RequestOrigin | null;
  now?: Date;
  prisma?: Db;
}): Promise<boolean> {
  const prisma = options.prisma ?? db();
  const { storeId, contractId, answer } = options;
  const appUrl = env().APP_URL;
  const now = options.now ?? new Date();

  return prisma.$transaction(async (tx) => {
    const contract = await tx.acquirerContract.findFirst({
      where: { id: contractId, storeId },
      select: { merchantNumber: true, acquirer: { select: { code: true, name: true } }, store: { select: { name: true, contactEmail: true } } },
    });
    if (!contract) return false;
    const { acquirer, store, merchantNumber } = contract;
    const applied = { id: contractId, storeId, status: 'APPLIED' } as const;
    if (answer.status === 'verified') {
      const acquisitionNumber = answer.acquisitionNumber || null;
      const updated = await tx.acquirerContract.updateMany({
        where: applied,
        data: { status: 'VERIFIED', verifiedAt: now, rejectionReason: null, certificateAcquisitionNumberHash: acquisitionNumber ? sha256Hex(acquisitionNumber) : null },
      });
      if (updated.count !== 1) return false;
      await recordAuditEvent(tx, {
        actor: options.actor,
        action: 'contract.verified',
        storeId,
        targetType: 'AcquirerContract',
        targetId: contractId,
        data: { acquirerCode: acquirer.code, merchantNumber },
        origin: options.origin ?? null,
      });
      await enqueueEmail(tx, {
        storeId,
        to: store.contactEmail,
        email: contractVerifiedMessage({
          storeName: store.name,
          acquirerName: acquirer.name,
          merchantNumber,
          acquisitionNumber,
          certificatesUrl: `${appUrl}/console/stores/${storeId}/certificates`,
        }),
      });
      return true;
    }

    const reason = (answer.reason.trim() || `${acquirer.name} did not accept the application.`).slice(0, 460);
    const updated = await tx.acquirerContract.updateMany({
      where: applied,
      data: { status: 'REJECTED', rejectionReason: `${reason} (${answer.code})`.slice(0, 500), certificateAcquisitionNumberHash: null },
    });
    if (updated.count !== 1) return false;
    // A POS can never register through a rejected contract; its links stop waiting (a new application revives them).
    await tx.posAcquirer.updateMany({ where: { storeId, contractId, status: 'PENDING' }, data: { status: 'DISABLED' } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'contract.rejected',
      storeId,
      targetType: 'AcquirerContract',
      targetId: contractId,
      data: { acquirerCode: acquirer.code, merchantNumber, code: answer.code },
      origin: options.origin ?? null,
    });
    await enqueueEmail(tx, {
      storeId,
      to: store.contactEmail,
      email: contractRejectedMessage({ storeName: store.name, acquirerName: acquirer.name, merchantNumber, reason, contractsUrl: `${appUrl}/console/stores/${storeId}/contracts` }),
    });
    return true;
  });
}
