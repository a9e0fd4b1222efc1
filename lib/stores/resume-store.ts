import { z } from 'zod';
import { confirmCurrentPassword } from '@/lib/auth/confirm-current-password';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { SuspensionSource } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { storeResumedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { assertStoreStatusChange, changeStoreStatus, suspendedByLabel } from '@/lib/stores/store-status';
import { resolveSuspensionParty, type SuspensionParty } from '@/lib/stores/suspension-actor';
import { parseInput } from '@/lib/validation';

/** The store's resume form: the user's password, entered again. */
export const resumeStoreSchema = z.object({
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(128, 'Your password is not correct.'),
});

/** Who may lift a suspension made by whom. */
function mayLift(party: SuspensionParty, suspendedBy: SuspensionSource, suspendedByAcquirerId: string | null): boolean {
  switch (party.source) {
    // Only the store lifts its own suspension: it may be about a password someone else now knows.
    case 'STORE':
      return suspendedBy === 'STORE';
    case 'ACQUIRER':
      return suspendedBy === 'ACQUIRER' && suspendedByAcquirerId === party.acquirerId;
    case 'OPERATOR':
      return suspendedBy !== 'STORE';
  }
}

/**
 * Lifts a suspension, by whoever may: the store its own (after signing in
 * again since it suspended, and re-entering the password), an acquirer its
 * own, the operator an acquirer's or its own. A suspension the caller may not
 * lift is refused with who holds it. A guarded update makes a second,
 * concurrent resume a conflict rather than a second record.
 */
export async function resumeStore(options: {
  storeId: string;
  actor: Actor;
  source: SuspensionSource;
  acquirerId?: string | null;
  /** The resume form; required when the store resumes itself. */
  input?: unknown;
  origin?: RequestOrigin | null;
  now?: Date;
}): Promise<{ resumedAt: Date }> {
  const now = options.now ?? new Date();
  const password = options.source === 'STORE' ? parseInput(resumeStoreSchema, options.input ?? {}).password : null;

  // Checked before the password, so a refusal costs no password attempt; checked again in the update.
  const { party, store } = await db().$transaction(async (tx) => {
    const party = await resolveSuspensionParty(tx, options);
    const store = await tx.store.findUnique({
      where: { id: options.storeId },
      select: { id: true, name: true, contactEmail: true, status: true, suspendedAt: true, suspendedBy: true, suspendedByAcquirerId: true },
    });
    if (!store) throw new AppError('not_found', 'Store not found.');
    return { party, store };
  });
  assertStoreStatusChange(store.status, 'ACTIVE');
  const suspendedBy = store.suspendedBy ?? 'OPERATOR';
  if (!mayLift(party, suspendedBy, store.suspendedByAcquirerId)) {
    const holder = suspendedBy === 'ACQUIRER' ? (await db().acquirer.findUnique({ where: { id: store.suspendedByAcquirerId ?? '' }, select: { name: true } }))?.name : null;
    throw new AppError(
      'invalid_state_transition',
      suspendedBy === 'STORE' ? 'The store suspended its own processing; only the store can resume it.' : `Processing was suspended by ${suspendedByLabel(suspendedBy, holder)}; only they can resume it.`,
    );
  }
  if (party.storeUserId && password !== null) {
    const user = await db().storeUser.findUniqueOrThrow({ where: { id: party.storeUserId }, select: { lastLoginAt: true } });
    // Suspending ended every session, so this holds already; checked again in case a session outlived it.
    if (!user.lastLoginAt || !store.suspendedAt || user.lastLoginAt < store.suspendedAt) {
      throw new AppError('session_expired', 'Sign in again before resuming processing.');
    }
    await confirmCurrentPassword({ storeUserId: party.storeUserId, password, field: 'password', now });
  }

  await db().$transaction(async (tx) => {
    const resumed = await changeStoreStatus(tx, {
      storeId: store.id,
      from: 'SUSPENDED',
      to: 'ACTIVE',
      where: { suspendedBy: store.suspendedBy, suspendedAt: store.suspendedAt },
      data: { suspendedAt: null, suspendedReason: null, suspendedBy: null, suspendedByAcquirerId: null },
    });
    if (!resumed) throw new AppError('conflict', 'The store\'s status changed meanwhile. Reload the page and try again.');
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'store.resumed',
      storeId: store.id,
      targetType: 'Store',
      targetId: store.id,
      data: { source: party.source, acquirerId: party.acquirerId, suspendedBy, suspendedAt: store.suspendedAt?.toISOString() ?? null },
      origin: options.origin,
    });
    const acquirer = party.acquirerId ? await tx.acquirer.findUnique({ where: { id: party.acquirerId }, select: { name: true } }) : null;
    await enqueueEmail(tx, {
      storeId: store.id,
      to: store.contactEmail,
      email: storeResumedMessage({ storeName: store.name, resumedBy: suspendedByLabel(party.source, acquirer?.name) }),
    });
  });
  return { resumedAt: now };
}
