import { describe, expect, it } from 'vitest';
import { daysOf, resolvePeriod } from '@/lib/stats/stats-filters';
import { approvalRate, dailySeries, groupCells, rankGroups, totalOf, type StatsCell } from '@/lib/stats/summarize-stats';

const cell = (overrides: Partial<StatsCell>): StatsCell => ({
  day: '2026-11-20',
  acquirerId: 'a',
  brand: 'VISA',
  currency: 'JPY',
  authorizationCount: 0,
  authorizationAmount: 0n,
  declineCount: 0,
  declineAmount: 0n,
  captureCount: 0,
  captureAmount: 0n,
  voidCount: 0,
  voidAmount: 0n,
  refundCount: 0,
  refundAmount: 0n,
  ...overrides,
});

describe('summarising rollup cells', () => {
  it('adds counts over currencies but amounts only within one, exactly (as strings) beyond 2^53', () => {
    const total = totalOf([
      cell({ authorizationCount: 2, authorizationAmount: 9_007_199_254_740_993n, declineCount: 1, declineAmount: 500n }),
      cell({ currency: 'USD', authorizationCount: 1, authorizationAmount: 1_234n }),
      cell({ day: '2026-11-21', authorizationCount: 1, authorizationAmount: 7n, refundCount: 1, refundAmount: 3n }),
    ]);
    expect(total.counts).toEqual({ authorizations: 4, declines: 1, captures: 0, voids: 0, refunds: 1 });
    expect(total.approvalRate).toBeCloseTo(0.8);
    expect(total.byCurrency.map((figures) => [figures.currency, figures.authorizations])).toEqual([
      ['JPY', { count: 3, amount: '9007199254741000' }],
      ['USD', { count: 1, amount: '1234' }],
    ]);
  });

  it('has no approval rate without authorisations or declines, and an empty total for no cells', () => {
    expect(approvalRate(0, 0)).toBeNull();
    expect(approvalRate(0, 3)).toBe(0);
    expect(totalOf([])).toEqual({ counts: { authorizations: 0, declines: 0, captures: 0, voids: 0, refunds: 0 }, approvalRate: null, byCurrency: [] });
  });

  it('fills every day of the period in the series, and groups and ranks by a key', () => {
    const cells = [cell({ day: '2026-11-21', authorizationCount: 2, authorizationAmount: 10n }), cell({ brand: 'JCB', day: '2026-11-21', authorizationCount: 5, authorizationAmount: 1n })];
    const series = dailySeries(cells, daysOf('2026-11-20', '2026-11-22'));
    expect(series.map((point) => [point.day, point.counts.authorizations, point.byCurrency.length])).toEqual([
      ['2026-11-20', 0, 0],
      ['2026-11-21', 7, 1],
      ['2026-11-22', 0, 0],
    ]);
    const byBrand = rankGroups(
      [...groupCells(cells, (entry) => entry.brand).entries()].map(([brand, group]) => ({ ...group, brand })),
      (row) => row.brand,
    );
    expect(byBrand.map((row) => [row.brand, row.counts.authorizations])).toEqual([
      ['JCB', 5],
      ['VISA', 2],
    ]);
    expect(groupCells([cell({ posId: null })], (entry) => entry.posId).size).toBe(0);
  });
});

describe('statistics periods', () => {
  it('defaults to the last 30 days up to today, or 30 days from a start, never past today', () => {
    const now = new Date('2026-11-25T08:00:00Z');
    expect(resolvePeriod({}, now)).toMatchObject({ from: '2026-10-27', to: '2026-11-25' });
    expect(resolvePeriod({ from: '2026-11-20' }, now)).toMatchObject({ from: '2026-11-20', to: '2026-11-25' });
    expect(resolvePeriod({ from: '2026-01-01' }, now)).toMatchObject({ from: '2026-01-01', to: '2026-01-30' });
    expect(resolvePeriod({ to: '2026-02-10' }, now)).toMatchObject({ from: '2026-01-12', to: '2026-02-10' });
    expect(daysOf('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});
