import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { isUuid } from '@/lib/validation';

const noticeNotFound = () => new AppError('not_found', 'Notice not found.');

/**
 * The operator takes a scheduled or live notice down at once: no store sees it from now on, and its
 * dismissals stay for the record. Withdrawing twice, or a notice that has already ended, is refused
 * (`invalid_state_transition`). Audited as `notice.withdrawn` in the same transaction.
 */
export async function withdrawNotice(options: { actor: Actor; noticeId: string; origin?: RequestOrigin | null; now?: Date }): Promise<{ title: string }> {
  if (options.actor.type !== 'OPERATOR' || !isUuid(options.noticeId)) throw noticeNotFound();
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const notice = await tx.notice.findUnique({ where: { id: options.noticeId }, select: { id: true, kind: true, title: true, withdrawnAt: true, expiresAt: true } });
    if (!notice) throw noticeNotFound();
    if (notice.expiresAt && notice.expiresAt.getTime() <= now.getTime() && !notice.withdrawnAt) throw new AppError('invalid_state_transition', `“${notice.title}” has already ended.`);
    // Guarded, so two clicks withdraw once and the second says so.
    const withdrawn = await tx.notice.updateMany({ where: { id: notice.id, withdrawnAt: null }, data: { withdrawnAt: now } });
    if (withdrawn.count !== 1) throw new AppError('invalid_state_transition', `“${notice.title}” was already withdrawn.`);
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'notice.withdrawn',
      targetType: 'Notice',
      targetId: notice.id,
      data: { kind: notice.kind },
      origin: options.origin ?? null,
    });
    return { title: notice.title };
  });
}
