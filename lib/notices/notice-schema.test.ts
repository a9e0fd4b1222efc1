import { describe, expect, it } from 'vitest';
import { parseUtcDateTime, publishNoticeSchema } from '@/lib/notices/notice-schema';

describe('parseUtcDateTime', () => {
  it('reads what a datetime-local input sends as UTC, with or without seconds and Z', () => {
    expect(parseUtcDateTime('2031-01-02T10:30')).toEqual(new Date('2031-01-02T10:30:00.000Z'));
    expect(parseUtcDateTime('2031-01-02T10:30:15')).toEqual(new Date('2031-01-02T10:30:15.000Z'));
    expect(parseUtcDateTime('2031-01-02T10:30:15.250Z')).toEqual(new Date('2031-01-02T10:30:15.250Z'));
  });

  it.each(['', 'tomorrow', '2031-01-02', '2031-01-02 10:30', '2031-02-30T10:00', '2031-01-02T24:30', '2031-01-02T10:30+09:00'])('refuses %j', (value) => {
    expect(parseUtcDateTime(value)).toBeNull();
  });
});

describe('publishNoticeSchema', () => {
  const base = { kind: 'NOTICE', title: 'Title', body: 'Body', target: 'all' };

  it('trims, normalises line breaks, leaves empty optional fields null and de-duplicates acquirers', () => {
    const id = '0b5a6f0e-8a4c-4f4e-9d57-1b2c3d4e5f60';
    expect(publishNoticeSchema.parse({ ...base, title: ' Title ', body: ' a\r\nb\rc ', linkUrl: '', publishedAt: '', target: 'acquirers', acquirerIds: [id, id.toUpperCase()] })).toEqual({
      kind: 'NOTICE',
      title: 'Title',
      body: 'a\nb\nc',
      linkUrl: null,
      target: 'acquirers',
      acquirerIds: [id],
      publishedAt: null,
      expiresAt: null,
    });
  });

  it('accepts exactly 200 characters of title and 5000 of body', () => {
    expect(publishNoticeSchema.safeParse({ ...base, title: 'x'.repeat(200), body: 'y'.repeat(5000) }).success).toBe(true);
  });

  it('needs a link for an information panel only', () => {
    expect(publishNoticeSchema.safeParse({ ...base, kind: 'ADVERTISEMENT' }).success).toBe(true);
    const result = publishNoticeSchema.safeParse({ ...base, kind: 'INFORMATION' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['linkUrl']);
  });
});
