/** Where a notice stands in its schedule, as the operator's list shows it. */
export type NoticeStatus = 'scheduled' | 'live' | 'ended' | 'withdrawn';

/**
 * A notice is withdrawn once the operator took it down (whatever its schedule), scheduled before its start,
 * ended from its end on, and live in between: exactly the notices `noticesLiveAt` selects are live.
 */
export function noticeStatus(notice: { publishedAt: Date; expiresAt: Date | null; withdrawnAt: Date | null }, now: Date): NoticeStatus {
  if (notice.withdrawnAt) return 'withdrawn';
  if (notice.publishedAt.getTime() > now.getTime()) return 'scheduled';
  if (notice.expiresAt && notice.expiresAt.getTime() <= now.getTime()) return 'ended';
  return 'live';
}
