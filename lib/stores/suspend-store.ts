import { z } from 'zod';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { SuspensionSource } from '@/lib/db/generated/prisma/enums';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { storeSuspendedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { changeStoreStatus, suspendedByLabel } from '@/lib/stores/store-status';
import { resolveSuspensionParty } from '@/lib/stores/suspension-actor';
import { parseInput } from '@/lib/validation';

export const suspensionReasonSchema = z
  .string({ error: 'Enter a reason.' })
  // A submitted <textarea> sends its line breaks as CRLF; keep them as plain newlines.
  .overwrite((value) => value.replace(/\r\n?/g, '\n'))
  .trim()
  .min(1, 'Enter a reason.')
  .max(500, 'Use at most 500 characters.')
  .refine((value) => !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(value), 'Remove control characters.');

/** The console form: a reason, and an explicit tick that the user means it. */
export const suspendStoreFormSchema = z.object({
  reason: suspensionReasonSchema,
  confirm: z.literal('on', { error: 'Tick the box to confirm that processing stops.' }),
});

export interface SuspendStoreResult {
  /** False when the store was already suspended and this call changed nothing. */
  changed: boolean;
  suspendedBy: SuspensionSource;
  suspendedAt: Date;
}

/**
 * Suspends a store's processing through every acquirer at once: the store,
 * one of its acquirers or the operator says so, with a reason.
 *
 * A suspension by the store itself (a leaked password, say) also ends every
 * console session of its users, so whoever holds a session is out and lifting
 * it takes a fresh sign-in. A store's own suspension is taken over by an
 * acquirer's or the operator's, which the store then cannot lift; any other
 * repeat changes nothing. Of two concurrent suspensions one is recorded.
 * Status change, audit event and e-mail to the store commit together.
 */
export async function suspendStore(options: {
  storeId: string;
  actor: Actor;
  source: SuspensionSource;
  acquirerId?: string | null;
  reason: unknown;
  origin?: RequestOrigin | null;
  now?: Date;
}): Promise<SuspendStoreResult> {
  const { reason } = parseInput(z.object({ reason: suspensionReasonSchema }), { reason: options.reason });
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const party = await resolveSuspensionParty(tx, options);
    const store = await tx.store.findUnique({
      where: { id: options.storeId },
      select: { id: true, name: true, contactEmail: true, status: true, suspendedBy: true, suspendedAt: true },
    });
    if (!store) throw new AppError('not_found', 'Store not found.');
    const data = { suspendedAt: now, suspendedReason: reason, suspendedBy: party.source, suspendedByAcquirerId: party.acquirerId };

    let takenOverFrom: SuspensionSource | null = null;
    if (store.status === 'SUSPENDED') {
      // The store may lift its own suspension; one an acquirer or the operator also wants must not be lifted by the store.
      if (store.suspendedBy !== 'STORE' || party.source === 'STORE') {
        return { changed: false, suspendedBy: store.suspendedBy ?? party.source, suspendedAt: store.suspendedAt ?? now };
      }
      const taken = await tx.store.updateMany({ where: { id: store.id, status: 'SUSPENDED', suspendedBy: 'STORE' }, data });
      if (taken.count !== 1) throw new AppError('conflict', 'The store changed meanwhile. Try again.');
      takenOverFrom = 'STORE';
    } else if (!(await changeStoreStatus(tx, { storeId: store.id, from: store.status, to: 'SUSPENDED', data }))) {
      // Another suspension (or change) committed first; it stands, and this one records nothing.
      const current = await tx.store.findUniqueOrThrow({ where: { id: store.id }, select: { status: true, suspendedBy: true, suspendedAt: true } });
      if (current.status !== 'SUSPENDED') throw new AppError('conflict', 'The store changed meanwhile. Try again.');
      return { changed: false, suspendedBy: current.suspendedBy ?? party.source, suspendedAt: current.suspendedAt ?? now };
    }

    let sessionsEnded = 0;
    if (party.source === 'STORE') {
      const ended = await tx.authSession.updateMany({ where: { endedAt: null, storeUser: { storeId: store.id } }, data: { endedAt: now } });
      sessionsEnded = ended.count;
    }
    const acquirer = party.acquirerId ? await tx.acquirer.findUnique({ where: { id: party.acquirerId }, select: { name: true } }) : null;
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'store.suspended',
      storeId: store.id,
      targetType: 'Store',
      targetId: store.id,
      data: { source: party.source, acquirerId: party.acquirerId, reason, sessionsEnded, takenOverFrom },
      origin: options.origin,
    });
    await enqueueEmail(tx, {
      storeId: store.id,
      to: store.contactEmail,
      email: storeSuspendedMessage({
        storeName: store.name,
        suspendedBy: suspendedByLabel(party.source, acquirer?.name),
        reason,
        canResumeInConsole: party.source === 'STORE',
        securityUrl: `${env().APP_URL}/console/stores/${store.id}/security`,
      }),
    });
    return { changed: true, suspendedBy: party.source, suspendedAt: now };
  });
}
