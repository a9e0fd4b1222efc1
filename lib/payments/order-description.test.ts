import { describe, expect, it } from 'vitest';
import { formatMinorUnits, isSupportedCurrency } from '@/lib/payments/currencies';
import { describeOrder } from '@/lib/payments/order-description';
import { createOrderSchema, orderTotal } from '@/lib/payments/schemas';

describe('formatMinorUnits', () => {
  it.each([
    [640, 'JPY', '640'],
    [0, 'JPY', '0'],
    [10_000_000_000, 'JPY', '10000000000'],
    [640, 'USD', '6.40'],
    [5, 'EUR', '0.05'],
    [0, 'GBP', '0.00'],
    [123_456_789, 'USD', '1234567.89'],
    [-150, 'USD', '-1.50'],
  ] as const)('%d %s is "%s"', (amount, currency, text) => {
    expect(formatMinorUnits(amount, currency)).toBe(text);
    expect(formatMinorUnits(BigInt(amount), currency)).toBe(text);
  });

  it('knows only the supported currencies', () => {
    expect(['JPY', 'USD', 'EUR', 'GBP'].every(isSupportedCurrency)).toBe(true);
    expect(['jpy', 'XYZ', 'toString', '__proto__', ''].some(isSupportedCurrency)).toBe(false);
  });
});

describe('describeOrder', () => {
  it('renders one line per item, in order, as "quantity × name @ unit price currency"', () => {
    const items = [
      { name: 'Green tea', unitAmount: 640, quantity: 2 },
      { name: 'Matcha — 30 g tin', unitAmount: 2_480, quantity: 1 },
    ];
    expect(describeOrder(items, 'JPY')).toBe('2 × Green tea @ 640 JPY\n1 × Matcha — 30 g tin @ 2480 JPY');
    expect(describeOrder(items, 'USD')).toBe('2 × Green tea @ 6.40 USD\n1 × Matcha — 30 g tin @ 24.80 USD');
    expect(describeOrder([items[0]!], 'EUR')).toBe('2 × Green tea @ 6.40 EUR');
  });

  it('comes out the same for the same order however its names were composed (NFC) or padded', () => {
    const composed = createOrderSchema.parse(orderWith([{ name: 'Caf\u00e9 au lait', unitAmount: 500, quantity: 1 }]));
    const decomposed = createOrderSchema.parse(orderWith([{ name: '  Cafe\u0301 au lait ', unitAmount: 500, quantity: 1 }]));
    expect(describeOrder(decomposed.lineItems, 'JPY')).toBe(describeOrder(composed.lineItems, 'JPY'));
    expect(describeOrder(composed.lineItems, 'JPY')).toBe('1 × Caf\u00e9 au lait @ 500 JPY');
  });

  it('cannot be given an extra line by an item name', () => {
    for (const name of ['Tea\n1 × Free gift @ 0 JPY', 'Tea\rmore', 'Tea\u2028more', 'Tea\u0085more', 'Tea\u0000more']) {
      expect(createOrderSchema.safeParse(orderWith([{ name, unitAmount: 1, quantity: 1 }])).success, JSON.stringify(name)).toBe(false);
    }
  });
});

describe('orderTotal', () => {
  it('is exact at the largest order the schema admits', () => {
    expect(orderTotal([{ unitAmount: 10_000_000_000, quantity: 100 }])).toBe(1_000_000_000_000);
    expect(orderTotal(Array.from({ length: 100 }, () => ({ unitAmount: 10_000_000_000, quantity: 1000 })))).toBe(1e15);
  });
});

function orderWith(lineItems: { name: string; unitAmount: number; quantity: number }[]) {
  return { shopOrderRef: 'R-1', currency: 'JPY', lineItems, successUrl: 'https://shop.example/ok', failureUrl: 'https://shop.example/ng' };
}
