import { db } from '@/lib/db/client';
import type { NoticeKind } from '@/lib/db/generated/prisma/enums';
import { noticeAcquirerIdsOfStore, noticesLiveAt, noticesTargetedAt } from '@/lib/notices/notice-targeting';

export interface StoreNotice {
  id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  linkUrl: string | null;
  publishedAt: Date;
  expiresAt: Date | null;
}

/**
 * The notices a store's console shows at `now`, newest first: live (started, not ended, not withdrawn),
 * addressed to the store (see `noticesTargetedAt`), and not dismissed by it. The only definition of what a
 * store sees; the overview and the banner on every store page both read it.
 */
export async function listNoticesForStore(options: { storeId: string; now?: Date; take?: number }): Promise<StoreNotice[]> {
  const now = options.now ?? new Date();
  const acquirerIds = await noticeAcquirerIdsOfStore(db(), options.storeId);
  return db().notice.findMany({
    where: { AND: [noticesLiveAt(now), noticesTargetedAt(options.storeId, acquirerIds)], dismissals: { none: { storeId: options.storeId } } },
    orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
    take: options.take ?? 20,
    select: { id: true, kind: true, title: true, body: true, linkUrl: true, publishedAt: true, expiresAt: true },
  });
}
