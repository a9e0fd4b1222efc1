import { describe, expect, it } from 'vitest';
import { affiliateGrantState, affiliateLimitProblem, type AffiliateGrantTerms } from '@/lib/affiliates/affiliate-limits';
import { grantAffiliateSchema, utcDayOf } from '@/lib/affiliates/schemas';

const now = new Date('2031-03-10T12:00:00.000Z');
const grant: AffiliateGrantTerms = {
  maxAmount: 20_000n,
  dailyLimit: 30_000n,
  currency: 'JPY',
  brands: ['VISA', 'MASTER'],
  validFrom: new Date('2031-03-01T00:00:00.000Z'),
  validUntil: new Date('2031-03-31T23:59:59.999Z'),
  revokedAt: null,
};
const sale = { amount: 12_000n, currency: 'JPY', brand: 'VISA', now, spentToday: 0n };

describe('affiliateLimitProblem', () => {
  it('allows a sale inside every limit, up to the limits exactly', () => {
    expect(affiliateLimitProblem(grant, sale)).toBeNull();
    expect(affiliateLimitProblem(grant, { ...sale, amount: 20_000n, spentToday: 10_000n })).toBeNull();
    expect(affiliateLimitProblem(grant, { ...sale, now: grant.validFrom })).toBeNull();
    expect(affiliateLimitProblem(grant, { ...sale, now: grant.validUntil })).toBeNull();
    expect(affiliateLimitProblem({ ...grant, maxAmount: null, dailyLimit: null }, { ...sale, amount: 10n ** 12n, spentToday: 10n ** 12n })).toBeNull();
  });

  it.each([
    ['withdrawn', { grant: { revokedAt: new Date('2031-03-09T00:00:00Z') } }, /withdrawn/],
    ['not started', { sale: { now: new Date('2031-02-28T23:59:59.999Z') } }, /starts on 2031-03-01/],
    ['ended', { sale: { now: new Date('2031-04-01T00:00:00.000Z') } }, /ended on 2031-03-31/],
    ['another currency', { sale: { currency: 'USD' } }, /must be in JPY, not USD/],
    ['another brand', { sale: { brand: 'JCB' } }, /JCB is not among the brands .*VISA, MASTER/],
    ['over the most per payment', { sale: { amount: 20_001n } }, /20001 JPY is over the 20000 JPY/],
    ['over the daily total', { sale: { amount: 15_000n, spentToday: 15_001n } }, /daily total of 30000 JPY .*15001 JPY already/],
  ] as const)('refuses a sale when the grant is %s', (_label, change, reason) => {
    const problem = affiliateLimitProblem({ ...grant, ...('grant' in change ? change.grant : {}) }, { ...sale, ...('sale' in change ? change.sale : {}) });
    expect(problem).toMatch(reason);
    expect(problem).toMatch(/Nothing was charged|nothing was charged/);
  });

  it('leaves the brand and the daily total out when they are not known yet (order creation)', () => {
    expect(affiliateLimitProblem(grant, { amount: 12_000n, currency: 'JPY', now })).toBeNull();
  });

  it('names where a grant stands', () => {
    expect(affiliateGrantState(grant, now)).toBe('ACTIVE');
    expect(affiliateGrantState(grant, new Date('2031-02-01T00:00:00Z'))).toBe('SCHEDULED');
    expect(affiliateGrantState(grant, new Date('2031-04-01T00:00:00Z'))).toBe('EXPIRED');
    expect(affiliateGrantState({ ...grant, revokedAt: now }, now)).toBe('REVOKED');
  });
});

describe('grant form', () => {
  const form = { affiliateStoreId: '0b8f9a4e-2c1d-4e5f-9a7b-3c2d1e0f4a5b', posId: '1b8f9a4e-2c1d-4e5f-9a7b-3c2d1e0f4a5b', currency: 'JPY', maxAmount: '', dailyLimit: ' 30000 ', brands: ['VISA', 'MASTER', 'VISA'], validFrom: '2031-03-01', validUntil: '2031-03-31' };

  it('reads empty amounts as no limit, whole UTC days first and last included, brands once each', () => {
    expect(grantAffiliateSchema.parse(form)).toEqual({
      ...form,
      maxAmount: null,
      dailyLimit: 30_000n,
      brands: ['MASTER', 'VISA'],
      validFrom: new Date('2031-03-01T00:00:00.000Z'),
      validUntil: new Date('2031-03-31T23:59:59.999Z'),
    });
  });

  it('gives the UTC day of an instant', () => {
    expect(utcDayOf(new Date('2031-03-10T23:59:59.999Z'))).toEqual({ start: new Date('2031-03-10T00:00:00.000Z'), end: new Date('2031-03-11T00:00:00.000Z') });
  });
});
