import { describe, expect, it } from 'vitest';
import { distribution, percentile, verdictOf, type Figure } from './figures';

const figure = (value: number | null, target?: Figure['target']): Figure => ({ id: 'x', label: 'x', value, unit: 'ms', ...(target ? { target } : {}) });

describe('bench figures', () => {
  it('takes the nearest-rank percentile', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summarises unsorted samples', () => {
    const summary = distribution([5, 1, 4, 2, 3]);
    expect(summary).toMatchObject({ count: 5, p50: 3, p95: 5, p99: 5, max: 5, mean: 3 });
  });

  it('judges a figure against its target, and an unmeasured figure as missed', () => {
    expect(verdictOf(figure(100, { op: '<=', value: 100 }))).toBe('pass');
    expect(verdictOf(figure(100.1, { op: '<=', value: 100 }))).toBe('fail');
    expect(verdictOf(figure(0.5, { op: '>=', value: 0.5 }))).toBe('pass');
    expect(verdictOf(figure(0.49, { op: '>=', value: 0.5 }))).toBe('fail');
    expect(verdictOf(figure(null, { op: '<=', value: 1 }))).toBe('fail');
    expect(verdictOf(figure(Number.NaN, { op: '>=', value: 1 }))).toBe('fail');
    expect(verdictOf(figure(3))).toBe('info');
  });
});
