/** Formatting shared by the consoles. Dates are shown in UTC with the zone named. */
export function formatDateTime(value: Date): string {
  return `${value.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** An integer amount in minor units, in its currency's own number of decimals (JPY has none). */
export function formatMoney(amountMinor: bigint, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const value = Number(amountMinor) / 10 ** digits;
  return format.format(value);
}

export function daysUntil(value: Date, now = new Date()): number {
  return Math.ceil((value.getTime() - now.getTime()) / 86_400_000);
}
