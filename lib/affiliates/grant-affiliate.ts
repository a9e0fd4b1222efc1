import { affiliateGrantState } from '@/lib/affiliates/affiliate-limits';
import { describeGrantTerms, requireGrantingOwner } from '@/lib/affiliates/affiliate-scope';
import { grantAffiliateSchema } from '@/lib/affiliates/schemas';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation, type Prisma } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { affiliateGrantChangedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { parseInput } from '@/lib/validation';

const fieldError = (path: string, message: string) => new AppError('validation_failed', message, [{ path, message }]);

/**
 * The owner of a store lets another store (named by its store id, which each store reads on its settings
 * page and hands over itself) sell through one of its POSes, within limits: currency, brands, most per
 * payment, most per UTC day, and a period of whole UTC days. The affiliate's shop then places orders there
 * with its own POS API key (`viaPosId`); the payments run under this store's contracts and certificates and
 * are tagged with the affiliate.
 *
 * One grant per store × affiliate × POS: while one is active or yet to start it must be withdrawn before
 * other limits are set; a withdrawn or ended grant is renewed in place, so the payments made under it keep
 * pointing at the grant that allowed them. Audited for both stores; the affiliate is e-mailed the POS id.
 */
export async function grantAffiliate(options: { storeId: string; actor: Actor; input: unknown; origin?: RequestOrigin | null; now?: Date }): Promise<{ grantId: string; affiliateName: string; posName: string; renewed: boolean }> {
  const input = parseInput(grantAffiliateSchema, options.input);
  const now = options.now ?? new Date();
  if (input.validUntil < now) throw fieldError('validUntil', 'The last day has already passed: choose today or a later day.');
  try {
    return await db().$transaction(async (tx) => {
      const store = await requireGrantingOwner(tx, options.storeId, options.actor);
      if (input.affiliateStoreId === store.id) throw fieldError('affiliateStoreId', 'That is your own store’s id: enter the id of the store you want to let use your POS.');
      const pos = await tx.pos.findFirst({ where: { id: input.posId, storeId: store.id }, select: { id: true, name: true, status: true } });
      if (!pos) throw new AppError('not_found', 'POS not found.');
      if (pos.status !== 'ACTIVE') throw fieldError('posId', `“${pos.name}” is disabled: enable it before letting another store use it.`);
      const links = await tx.posAcquirer.findMany({
        where: { storeId: store.id, posId: pos.id, status: 'REGISTERED', contract: { status: 'VERIFIED' }, acquirer: { status: 'ACTIVE' } },
        select: { acquirer: { select: { brands: true } } },
      });
      const takes = new Set(links.flatMap((link) => link.acquirer.brands));
      if (takes.size === 0) throw fieldError('posId', `“${pos.name}” is not registered with any acquirer yet, so nothing could be paid through it.`);
      const foreign = input.brands.filter((brand) => !takes.has(brand));
      if (foreign.length > 0) throw fieldError('brands', `“${pos.name}” does not take ${foreign.join(', ')}; choose among ${[...takes].sort().join(', ')}.`);

      const affiliate = await tx.store.findUnique({ where: { id: input.affiliateStoreId }, select: { id: true, name: true, status: true, contactEmail: true } });
      if (!affiliate) throw fieldError('affiliateStoreId', 'No store has this id. Ask the other store for the id shown on its Store settings page.');
      if (affiliate.status === 'WITHDRAWN') throw fieldError('affiliateStoreId', `“${affiliate.name}” has withdrawn from ServerPOS and can no longer sell.`);

      const terms = { maxAmount: input.maxAmount, dailyLimit: input.dailyLimit, currency: input.currency, brands: input.brands, validFrom: input.validFrom, validUntil: input.validUntil };
      const existing = await tx.affiliateGrant.findUnique({
        where: { grantorStoreId_affiliateStoreId_posId: { grantorStoreId: store.id, affiliateStoreId: affiliate.id, posId: pos.id } },
        select: { id: true, validFrom: true, validUntil: true, revokedAt: true },
      });
      if (existing) {
        const state = affiliateGrantState(existing, now);
        if (state === 'ACTIVE' || state === 'SCHEDULED') {
          throw new AppError('conflict', `“${affiliate.name}” may already use “${pos.name}” (until ${existing.validUntil.toISOString().slice(0, 10)}). Withdraw that grant first to set other limits.`);
        }
      }
      const grant = existing
        ? await tx.affiliateGrant.update({ where: { id: existing.id }, data: { ...terms, revokedAt: null }, select: { id: true } })
        : await tx.affiliateGrant.create({ data: { grantorStoreId: store.id, affiliateStoreId: affiliate.id, posId: pos.id, ...terms }, select: { id: true } });

      const auditTerms: Prisma.InputJsonObject = {
        currency: input.currency,
        brands: input.brands,
        maxAmount: input.maxAmount?.toString() ?? null,
        dailyLimit: input.dailyLimit?.toString() ?? null,
        validFrom: input.validFrom.toISOString().slice(0, 10),
        validUntil: input.validUntil.toISOString().slice(0, 10),
      };
      await recordAuditEvent(tx, {
        actor: options.actor,
        action: 'affiliate.granted',
        storeId: store.id,
        targetType: 'AffiliateGrant',
        targetId: grant.id,
        data: { posId: pos.id, posName: pos.name, affiliateStoreId: affiliate.id, otherStoreName: affiliate.name, renewed: Boolean(existing), ...auditTerms },
        origin: options.origin ?? null,
      });
      // The affiliate's own trail shows what it was given; the actor is the other store's user, so no origin.
      await recordAuditEvent(tx, {
        actor: options.actor,
        action: 'affiliate.grant_received',
        storeId: affiliate.id,
        targetType: 'AffiliateGrant',
        targetId: grant.id,
        data: { posId: pos.id, posName: pos.name, otherStoreName: store.name, ...auditTerms },
      });
      await enqueueEmail(tx, {
        storeId: affiliate.id,
        to: affiliate.contactEmail,
        email: affiliateGrantChangedMessage({
          storeName: affiliate.name,
          grantorName: store.name,
          posName: pos.name,
          posId: pos.id,
          change: 'granted',
          terms: describeGrantTerms(terms),
          affiliatesUrl: `${env().APP_URL}/console/stores/${affiliate.id}/affiliates`,
        }),
      });
      return { grantId: grant.id, affiliateName: affiliate.name, posName: pos.name, renewed: Boolean(existing) };
    });
  } catch (error) {
    // Two grants for the same store and POS raced past the check: the unique key decides, with the same answer.
    if (isUniqueViolation(error)) throw new AppError('conflict', 'That store may already use this POS. Withdraw that grant first to set other limits.');
    throw error;
  }
}
