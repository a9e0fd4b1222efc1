import { describe, expect, it } from 'vitest';
import { periodSegments } from '@/lib/stats/period-segments';

const day = (value: string) => new Date(`${value}T00:00:00Z`);
const days = (first: string, last: string): [Date, Date] => [day(first), day(last)];

describe('periodSegments', () => {
  it('reads a year as whole months, with the days at the start added from the daily rows', () => {
    expect(periodSegments(day('2025-11-25'), day('2026-11-25'))).toEqual({
      months: ['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'].map((month) => day(`${month}-01`)),
      addDays: [days('2025-11-25', '2025-11-30')],
      subtractDays: [days('2026-11-26', '2026-11-30')],
    });
  });

  it('takes a month covered mostly as its row less the days left out, and one covered little as its days', () => {
    expect(periodSegments(day('2026-10-27'), day('2026-11-25'))).toEqual({ months: [day('2026-11-01')], addDays: [days('2026-10-27', '2026-10-31')], subtractDays: [days('2026-11-26', '2026-11-30')] });
    expect(periodSegments(day('2026-10-04'), day('2026-10-31'))).toEqual({ months: [day('2026-10-01')], addDays: [], subtractDays: [days('2026-10-01', '2026-10-03')] });
    expect(periodSegments(day('2026-02-01'), day('2026-02-28'))).toEqual({ months: [day('2026-02-01')], addDays: [], subtractDays: [] });
  });

  it('within one month: its days, or the month less both ends', () => {
    expect(periodSegments(day('2026-11-10'), day('2026-11-11'))).toEqual({ months: [], addDays: [days('2026-11-10', '2026-11-11')], subtractDays: [] });
    expect(periodSegments(day('2026-11-03'), day('2026-11-28'))).toEqual({ months: [day('2026-11-01')], addDays: [], subtractDays: [days('2026-11-01', '2026-11-02'), days('2026-11-29', '2026-11-30')] });
    // Half a month either way: the days.
    expect(periodSegments(day('2026-11-01'), day('2026-11-15'))).toEqual({ months: [], addDays: [days('2026-11-01', '2026-11-15')], subtractDays: [] });
  });
});
