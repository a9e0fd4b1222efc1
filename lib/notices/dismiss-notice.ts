import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { noticeAcquirerIdsOfStore, noticesTargetedAt } from '@/lib/notices/notice-targeting';
import { isUuid } from '@/lib/validation';

const noticeNotFound = () => new AppError('not_found', 'Notice not found.');

/**
 * A user of the store dismisses a notice for the whole store: it no longer shows in the store's console,
 * and other stores still see it. Only a notice addressed to the store and already started can be dismissed
 * (any other, a scheduled one included, is "not found"); one that ended or was withdrawn after the page was
 * shown is dismissed all the same, so a late click is not an error. Dismissing again changes nothing and
 * answers `alreadyDismissed`; the first dismissal is audited for the store in the same transaction.
 */
export async function dismissNotice(options: { storeId: string; storeUserId: string; noticeId: string; origin?: RequestOrigin | null; now?: Date }): Promise<{ title: string; alreadyDismissed: boolean }> {
  if (!isUuid(options.noticeId)) throw noticeNotFound();
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const acquirerIds = await noticeAcquirerIdsOfStore(tx, options.storeId);
    const notice = await tx.notice.findFirst({
      where: { AND: [{ id: options.noticeId, publishedAt: { lte: now } }, noticesTargetedAt(options.storeId, acquirerIds)] },
      select: { id: true, kind: true, title: true },
    });
    if (!notice) throw noticeNotFound();
    // ON CONFLICT DO NOTHING: two users (or two clicks) dismissing at once write one row and one audit event.
    const inserted = await tx.noticeDismissal.createMany({ data: [{ noticeId: notice.id, storeId: options.storeId, storeUserId: options.storeUserId, dismissedAt: now }], skipDuplicates: true });
    if (inserted.count === 1) {
      await recordAuditEvent(tx, {
        actor: { type: 'STORE_USER', id: options.storeUserId },
        action: 'notice.dismissed',
        storeId: options.storeId,
        targetType: 'Notice',
        targetId: notice.id,
        data: { kind: notice.kind, noticeTitle: notice.title },
        origin: options.origin ?? null,
      });
    }
    return { title: notice.title, alreadyDismissed: inserted.count === 0 };
  });
}
