import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { db, isUniqueViolation } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

export interface RenewalRunPayload {
  runId: string;
}

/**
 * "Renew all": one run over every registered POS × acquirer of the store, or
 * of one POS, or (a retry) of the given links. The worker works it item by
 * item (see work-renewal-run.ts) and the console shows its progress.
 *
 * At most one run per store at a time (a unique column holds the store's id
 * while a run is RUNNING): a second click, or a second tab, gets the run that
 * is already going instead of a second one.
 */
export async function startRenewalRun(input: {
  storeId: string;
  actor: Actor;
  posId?: string;
  posAcquirerIds?: string[];
  origin?: RequestOrigin;
}): Promise<{ runId: string; alreadyRunning: boolean }> {
  const store = await db().store.findUnique({ where: { id: input.storeId }, select: { status: true } });
  if (!store) throw new AppError('not_found', 'Store not found.');
  if (store.status === 'WITHDRAWN') throw new AppError('store_inactive', 'This store has withdrawn; its certificates cannot be renewed.');
  // The POS id comes from a form: one that is not a UUID names no POS (and would fail the query on the uuid column).
  if (input.posId && (!isUuid(input.posId) || !(await db().pos.findFirst({ where: { id: input.posId, storeId: input.storeId }, select: { id: true } })))) {
    throw new AppError('not_found', 'No such POS in this store.');
  }
  const links = await db().posAcquirer.findMany({
    where: {
      storeId: input.storeId,
      status: 'REGISTERED',
      pos: { status: 'ACTIVE' },
      contract: { status: 'VERIFIED' },
      ...(input.posId ? { posId: input.posId } : {}),
      ...(input.posAcquirerIds ? { id: { in: input.posAcquirerIds } } : {}),
    },
    orderBy: [{ pos: { name: 'asc' } }, { acquirer: { name: 'asc' } }],
    select: { id: true },
  });
  if (links.length === 0) throw new AppError('invalid_state_transition', 'There are no registered certificates to renew here.');

  const running = () => db().certificateRenewalRun.findUnique({ where: { runningFor: input.storeId }, select: { id: true } });
  const already = await running();
  if (already) return { runId: already.id, alreadyRunning: true };
  try {
    const runId = await db().$transaction(async (tx) => {
      const run = await tx.certificateRenewalRun.create({
        data: {
          storeId: input.storeId,
          posId: input.posId ?? null,
          runningFor: input.storeId,
          requestedById: input.actor.type === 'STORE_USER' ? input.actor.id : null,
          items: { create: links.map((link) => ({ storeId: input.storeId, posAcquirerId: link.id })) },
        },
        select: { id: true },
      });
      const payload: RenewalRunPayload = { runId: run.id };
      await tx.outboxMessage.create({ data: { kind: 'certificates.renewal_run', storeId: input.storeId, payload: { ...payload } } });
      await recordAuditEvent(tx, {
        actor: input.actor,
        action: 'certificate.renew_all_started',
        storeId: input.storeId,
        targetType: 'CertificateRenewalRun',
        targetId: run.id,
        data: { items: links.length, ...(input.posId ? { posId: input.posId } : {}), retry: Boolean(input.posAcquirerIds) },
        origin: input.origin ?? null,
      });
      return run.id;
    });
    return { runId, alreadyRunning: false };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another request started a run between our check and our insert: that run is the answer.
    const winner = await running();
    if (!winner) throw new AppError('conflict', 'A renewal was just started; reload the page to follow it.');
    return { runId: winner.id, alreadyRunning: true };
  }
}

/** Starts a new run over the items of `runId` that failed. */
export async function retryFailedRenewals(input: { storeId: string; runId: string; actor: Actor; origin?: RequestOrigin }) {
  const run = !isUuid(input.runId) ? null : await db().certificateRenewalRun.findFirst({
    where: { id: input.runId, storeId: input.storeId },
    select: { status: true, items: { where: { status: 'FAILED' }, select: { posAcquirerId: true } } },
  });
  if (!run) throw new AppError('not_found', 'No such renewal in this store.');
  if (run.status !== 'FINISHED') throw new AppError('invalid_state_transition', 'This renewal is still running.');
  if (run.items.length === 0) throw new AppError('invalid_state_transition', 'Nothing failed in this renewal.');
  return startRenewalRun({ ...input, posAcquirerIds: run.items.map((item) => item.posAcquirerId) });
}
