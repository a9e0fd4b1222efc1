import { describe, expect, it } from 'vitest';
import { noticeStatus } from '@/lib/notices/notice-status';

const at = (minute: number) => new Date(Date.UTC(2031, 0, 2, 10, minute));

describe('noticeStatus', () => {
  const notice = { publishedAt: at(10), expiresAt: at(20), withdrawnAt: null };

  it('is scheduled before the start, live from the start, ended from the end on', () => {
    expect(noticeStatus(notice, new Date(at(10).getTime() - 1))).toBe('scheduled');
    expect(noticeStatus(notice, at(10))).toBe('live');
    expect(noticeStatus(notice, new Date(at(20).getTime() - 1))).toBe('live');
    expect(noticeStatus(notice, at(20))).toBe('ended');
  });

  it('is live for good without an end, and withdrawn once withdrawn whatever the schedule', () => {
    expect(noticeStatus({ ...notice, expiresAt: null }, at(59))).toBe('live');
    expect(noticeStatus({ ...notice, withdrawnAt: at(5) }, at(0))).toBe('withdrawn');
    expect(noticeStatus({ ...notice, withdrawnAt: at(15) }, at(30))).toBe('withdrawn');
  });
});
