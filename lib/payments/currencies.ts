/**
 * The currencies ServerPOS takes, with their ISO 4217 minor-unit exponents. Amounts everywhere are integer
 * minor units of one of these (JPY has none: 640 is ¥640; USD has two: 640 is $6.40). No Prisma, no Next.js:
 * the checkout page's wallet renders amounts with the same table.
 */
export const currencyExponents = { JPY: 0, USD: 2, EUR: 2, GBP: 2 } as const;

export type Currency = keyof typeof currencyExponents;

export const supportedCurrencies = Object.keys(currencyExponents) as [Currency, ...Currency[]];

export function isSupportedCurrency(value: string): value is Currency {
  return Object.hasOwn(currencyExponents, value);
}

/**
 * An amount in minor units as a plain decimal in major units, with exactly the currency's number of
 * decimals and no grouping or locale: `formatMinorUnits(640, 'JPY')` is "640", `formatMinorUnits(640, 'USD')`
 * is "6.40". Deterministic on purpose: it is part of the order description that the cardholder's wallet hashes.
 */
export function formatMinorUnits(amount: number | bigint, currency: Currency): string {
  const value = BigInt(amount);
  const exponent = currencyExponents[currency];
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString();
  if (exponent === 0) return `${sign}${digits}`;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}
