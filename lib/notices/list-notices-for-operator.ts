import { db } from '@/lib/db/client';
import type { NoticeKind } from '@/lib/db/generated/prisma/enums';
import { noticeStatus, type NoticeStatus } from '@/lib/notices/notice-status';

export type NoticeTarget = { type: 'all' } | { type: 'acquirers'; acquirers: { id: string; code: string; name: string }[] } | { type: 'store'; storeName: string };

export interface OperatorNotice {
  id: string;
  kind: NoticeKind;
  title: string;
  body: string;
  linkUrl: string | null;
  publishedAt: Date;
  expiresAt: Date | null;
  withdrawnAt: Date | null;
  status: NoticeStatus;
  target: NoticeTarget;
  /** How many stores dismissed it. */
  dismissals: number;
}

/**
 * Every notice for the operator's list, the latest start first (up to `take`), with where it stands in
 * its schedule, whom it targets (an acquirer deleted since is left out of the names) and how many stores
 * dismissed it.
 */
export async function listNoticesForOperator(options: { now?: Date; take?: number } = {}): Promise<OperatorNotice[]> {
  const now = options.now ?? new Date();
  const notices = await db().notice.findMany({
    orderBy: [{ publishedAt: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
    take: options.take ?? 200,
    select: {
      id: true,
      kind: true,
      title: true,
      body: true,
      linkUrl: true,
      acquirerIds: true,
      publishedAt: true,
      expiresAt: true,
      withdrawnAt: true,
      store: { select: { name: true } },
      _count: { select: { dismissals: true } },
    },
  });
  const acquirerIds = [...new Set(notices.flatMap((notice) => notice.acquirerIds))];
  const acquirers = acquirerIds.length === 0 ? [] : await db().acquirer.findMany({ where: { id: { in: acquirerIds } }, orderBy: { name: 'asc' }, select: { id: true, code: true, name: true } });
  return notices.map(({ acquirerIds: targeted, store, _count, ...notice }) => ({
    ...notice,
    status: noticeStatus(notice, now),
    target: store ? { type: 'store', storeName: store.name } : targeted.length > 0 ? { type: 'acquirers', acquirers: acquirers.filter((acquirer) => targeted.includes(acquirer.id)) } : { type: 'all' },
    dismissals: _count.dismissals,
  }));
}
