import { formatMinorUnits, type Currency } from '@/lib/payments/currencies';

/** One line of an order as the shop registers it: a name, a unit price in minor units and a quantity. */
export interface OrderLineItem {
  name: string;
  unitAmount: number;
  quantity: number;
}

/** The column Order.description holds at most this many characters. */
export const ORDER_DESCRIPTION_MAX_LENGTH = 4000;

/**
 * The order description the cardholder agrees to: one line per item, in the shop's order, as
 * "2 × Green tea @ 640 JPY" (unit price in major units, see formatMinorUnits), lines joined by "\n" with no
 * trailing newline. The wallet hashes exactly this text into the OI (its odHash), so it must come out the
 * same byte for byte wherever it is computed: no locale, no grouping, no rounding. Names arrive validated
 * (trimmed, NFC, no control characters), so a name cannot add or break a line.
 */
export function describeOrder(lineItems: readonly OrderLineItem[], currency: Currency): string {
  return lineItems.map((item) => `${item.quantity} × ${item.name} @ ${formatMinorUnits(item.unitAmount, currency)} ${currency}`).join('\n');
}
