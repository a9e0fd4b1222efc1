import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { storeProfileSchema } from '@/lib/stores/schemas';
import { isUuid, parseInput } from '@/lib/validation';

/** The stores an actor may change: a store user only their own, the operator (or the system) any. */
function storesOf(actor: Actor): Prisma.StoreWhereInput | null {
  switch (actor.type) {
    case 'STORE_USER':
      return actor.id && isUuid(actor.id) ? { users: { some: { id: actor.id } } } : null;
    case 'OPERATOR':
    case 'SYSTEM':
      return {};
    default:
      return null;
  }
}

/**
 * Changes a store's own information. The tenant comes from the caller's
 * session, never from the form: a store id that is not the actor's own is
 * simply not found. Every change bumps storeInfoVersion, which acquirers use to
 * tell newer information from older.
 */
export async function updateStoreProfile(options: { storeId: string; actor: Actor; input: unknown }) {
  const input = parseInput(storeProfileSchema, options.input);
  const scope = storesOf(options.actor);
  if (!scope || !isUuid(options.storeId)) throw new AppError('not_found', 'Store not found.');
  return db().$transaction(async (tx) => {
    const store = await tx.store.findFirst({ where: { id: options.storeId, ...scope }, select: { id: true, status: true } });
    if (!store) throw new AppError('not_found', 'Store not found.');
    if (store.status === 'WITHDRAWN') throw new AppError('invalid_state_transition', 'A withdrawn store cannot be changed.');
    const updated = await tx.store.update({
      where: { id: store.id },
      data: {
        name: input.name,
        contactEmail: input.contactEmail,
        phone: input.phone || null,
        postalAddress: input.postalAddress || null,
        websiteUrl: input.websiteUrl || null,
        certificateAlertDays: input.certificateAlertDays,
        storeInfoVersion: { increment: 1 },
      },
      select: { storeInfoVersion: true },
    });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'store.profile_updated',
      storeId: store.id,
      targetType: 'Store',
      targetId: store.id,
      data: { storeInfoVersion: updated.storeInfoVersion, fields: Object.keys(input) },
    });
    return updated;
  });
}

export function getStoreProfile(storeId: string) {
  return db().store.findUnique({
    where: { id: storeId },
    select: { name: true, contactEmail: true, phone: true, postalAddress: true, websiteUrl: true, certificateAlertDays: true, storeInfoVersion: true, status: true },
  });
}
