import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { enqueueStoreInfoPush } from '@/lib/stores/enqueue-store-info-push';
import { storeProfileSchema } from '@/lib/stores/schemas';
import { changedStoreInfoFields, ensureBaselineRevision, pickStoreInfo, storeInfoSelect, type StoreInfo } from '@/lib/stores/store-info';
import { storesOf } from '@/lib/stores/store-scope';
import { isUuid, parseInput } from '@/lib/validation';

/**
 * Changes a store's own information and settings. The tenant comes from the caller's session, never from
 * the form: a store id that is not the actor's own is simply not found.
 *
 * A change of store information (name, contact e-mail, phone, postal address, website) is a new
 * storeInfoVersion with its revision, and — in the same transaction — one outbox message per verified
 * acquirer contract, so every acquirer learns of it. The certificate alert threshold is a setting of
 * ServerPOS only: changing it alone makes no new version and tells no acquirer.
 */
export async function updateStoreProfile(options: {
  storeId: string;
  actor: Actor;
  input: unknown;
  origin?: RequestOrigin;
  /**
   * The version the form was filled in from. When the information has moved on since (an acquirer's change
   * pulled meanwhile), saving would silently undo that change, so it is refused with `conflict` instead.
   */
  expectedVersion?: number;
}): Promise<{ storeInfoVersion: number; infoChanged: boolean }> {
  const input = parseInput(storeProfileSchema, options.input);
  const scope = storesOf(options.actor);
  if (!scope || !isUuid(options.storeId)) throw new AppError('not_found', 'Store not found.');
  return db().$transaction(async (tx) => {
    const store = await tx.store.findFirst({
      where: { id: options.storeId, ...scope },
      select: { id: true, status: true, storeInfoVersion: true, certificateAlertDays: true, ...storeInfoSelect },
    });
    if (!store) throw new AppError('not_found', 'Store not found.');
    if (store.status === 'WITHDRAWN') throw new AppError('invalid_state_transition', 'A withdrawn store cannot be changed.');
    const info: StoreInfo = {
      name: input.name,
      contactEmail: input.contactEmail,
      phone: input.phone || null,
      postalAddress: input.postalAddress || null,
      websiteUrl: input.websiteUrl || null,
    };
    const changedInfo = changedStoreInfoFields(pickStoreInfo(store), info);
    if (changedInfo.length > 0 && options.expectedVersion !== undefined && options.expectedVersion !== store.storeInfoVersion) {
      throw new AppError(
        'conflict',
        `Your store information changed while you were editing it (it is now version ${store.storeInfoVersion}, perhaps from one of your acquirers). Check the details and save again.`,
      );
    }
    const changed = [...changedInfo, ...(input.certificateAlertDays !== store.certificateAlertDays ? (['certificateAlertDays'] as const) : [])];
    if (changed.length === 0) return { storeInfoVersion: store.storeInfoVersion, infoChanged: false };

    let storeInfoVersion = store.storeInfoVersion;
    if (changedInfo.length === 0) {
      await tx.store.update({ where: { id: store.id }, data: { certificateAlertDays: input.certificateAlertDays } });
    } else {
      await ensureBaselineRevision(tx, store);
      // An increment, not the version read above: a change an acquirer made meanwhile still gets a lower number.
      const updated = await tx.store.update({
        where: { id: store.id },
        data: { ...info, certificateAlertDays: input.certificateAlertDays, storeInfoVersion: { increment: 1 } },
        select: { storeInfoVersion: true },
      });
      storeInfoVersion = updated.storeInfoVersion;
      await tx.storeInfoRevision.create({
        data: {
          storeId: store.id,
          version: storeInfoVersion,
          source: 'CONSOLE',
          storeUserId: options.actor.type === 'STORE_USER' ? options.actor.id : null,
          ...info,
        },
      });
      const contracts = await tx.acquirerContract.findMany({ where: { storeId: store.id, status: 'VERIFIED' }, select: { id: true } });
      await enqueueStoreInfoPush(tx, { storeId: store.id, contractIds: contracts.map((contract) => contract.id), version: storeInfoVersion });
    }
    await recordAuditEvent(tx, {
      actor: options.actor,
      origin: options.origin,
      action: 'store.profile_updated',
      storeId: store.id,
      targetType: 'Store',
      targetId: store.id,
      data: { storeInfoVersion, fields: changed },
    });
    return { storeInfoVersion, infoChanged: changedInfo.length > 0 };
  });
}

export function getStoreProfile(storeId: string) {
  return db().store.findUnique({
    where: { id: storeId },
    select: { name: true, contactEmail: true, phone: true, postalAddress: true, websiteUrl: true, certificateAlertDays: true, storeInfoVersion: true, status: true, settlementEmails: true },
  });
}
