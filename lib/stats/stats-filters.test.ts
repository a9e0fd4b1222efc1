import { describe, expect, it } from 'vitest';
import { acquirerSettlementReportFiltersSchema, resolvePeriod } from '@/lib/stats/stats-filters';

describe('statistics filters', () => {
  it('refuses a period in the distant past, whose default start would have no date form (found by the fuzz: a 500)', () => {
    const result = acquirerSettlementReportFiltersSchema.safeParse({ to: '0000-01-01' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['to'], message: 'Give to as a date from 2000-01-01 on.' });
    expect(acquirerSettlementReportFiltersSchema.safeParse({ from: '1999-12-31' }).success).toBe(false);
  });

  it('resolves every period the schema takes to real dates', () => {
    for (const range of [{ to: '2000-01-01' }, { from: '2000-01-01' }, { from: '9999-12-31', to: '9999-12-31' }, {}]) {
      const filters = acquirerSettlementReportFiltersSchema.parse(range);
      const period = resolvePeriod(filters, new Date('2026-11-25T12:00:00Z'));
      expect(Number.isNaN(period.start.getTime()) || Number.isNaN(period.end.getTime())).toBe(false);
      expect(period.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
