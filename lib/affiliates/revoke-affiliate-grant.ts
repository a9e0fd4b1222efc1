import { requireGrantingOwner } from '@/lib/affiliates/affiliate-scope';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { affiliateGrantChangedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { isUuid } from '@/lib/validation';

const grantNotFound = () => new AppError('not_found', 'Grant not found.');

/**
 * The owner withdraws a grant at once: from now on no order is placed through the POS under it, and a
 * checkout not yet paid is refused when it claims its payment. Payments already authorised stand and can
 * still be captured, voided or refunded. Only the granting store may withdraw (another store's grant, or one
 * received, is "not found"); withdrawing twice is refused. Audited for both stores; the affiliate is e-mailed.
 */
export async function revokeAffiliateGrant(options: { storeId: string; actor: Actor; grantId: string; origin?: RequestOrigin | null; now?: Date }): Promise<{ affiliateName: string; posName: string }> {
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const store = await requireGrantingOwner(tx, options.storeId, options.actor);
    if (!isUuid(options.grantId)) throw grantNotFound();
    const grant = await tx.affiliateGrant.findFirst({
      where: { id: options.grantId, grantorStoreId: store.id },
      select: { id: true, revokedAt: true, pos: { select: { id: true, name: true } }, affiliate: { select: { id: true, name: true, contactEmail: true } } },
    });
    if (!grant) throw grantNotFound();
    // Guarded, so two clicks withdraw once and the second says so.
    const revoked = await tx.affiliateGrant.updateMany({ where: { id: grant.id, revokedAt: null }, data: { revokedAt: now } });
    if (revoked.count !== 1) throw new AppError('invalid_state_transition', `The permission for “${grant.affiliate.name}” to use “${grant.pos.name}” was already withdrawn.`);
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'affiliate.revoked',
      storeId: store.id,
      targetType: 'AffiliateGrant',
      targetId: grant.id,
      data: { posId: grant.pos.id, posName: grant.pos.name, affiliateStoreId: grant.affiliate.id, otherStoreName: grant.affiliate.name },
      origin: options.origin ?? null,
    });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'affiliate.grant_revoked',
      storeId: grant.affiliate.id,
      targetType: 'AffiliateGrant',
      targetId: grant.id,
      data: { posId: grant.pos.id, posName: grant.pos.name, otherStoreName: store.name },
    });
    await enqueueEmail(tx, {
      storeId: grant.affiliate.id,
      to: grant.affiliate.contactEmail,
      email: affiliateGrantChangedMessage({
        storeName: grant.affiliate.name,
        grantorName: store.name,
        posName: grant.pos.name,
        posId: grant.pos.id,
        change: 'revoked',
        terms: [],
        affiliatesUrl: `${env().APP_URL}/console/stores/${grant.affiliate.id}/affiliates`,
      }),
    });
    return { affiliateName: grant.affiliate.name, posName: grant.pos.name };
  });
}
