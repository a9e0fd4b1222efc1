/**
 * What the checkout page's wallet reads from its form: the payment account
 * (card or bank account), which goes only into the PI sealed for the gateway,
 * and the customer's contact details, which go to the shop. No Node, no
 * Prisma: this runs in the browser.
 */
import { z } from 'zod';
import type { PaymentAccount } from '@/lib/set';

/** A brand's account kind: BANK is an account transfer, every other brand a card. */
export function accountKindOf(brand: string): PaymentAccount['kind'] {
  return brand === 'BANK' ? 'bank' : 'card';
}

const brandLabels: Record<string, string> = { VISA: 'Visa', MASTER: 'Mastercard', JCB: 'JCB', BANK: 'Bank account transfer' };

/** The name a customer knows a brand by. */
export function brandLabel(brand: string): string {
  return brandLabels[brand] ?? brand;
}

export interface WalletFields {
  cardNumber: string;
  expiryMonth: string;
  expiryYear: string;
  securityCode: string;
  bankCode: string;
  accountNumber: string;
  pin: string;
  name: string;
  email: string;
  phone: string;
  address: string;
}

export type WalletFieldErrors = Partial<Record<keyof WalletFields, string>>;

/** The customer as POST /api/checkout/:token/pay takes it (optional fields left out when empty). */
export interface WalletCustomer {
  name: string;
  email: string;
  phone?: string;
  address?: string;
}

export type WalletInput = { ok: true; account: PaymentAccount; customer: WalletCustomer } | { ok: false; errors: WalletFieldErrors };

const digits = (text: string) => text.replace(/[\s-]/g, '');

// The same limits as the pay endpoint's customer schema, so that a mistake is shown beside its field before anything is sent.
const customerSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Enter your name.')
    .max(120, 'Use at most 120 characters.')
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Remove control characters.'),
  email: z.string().trim().min(1, 'Enter your e-mail address.').max(254, 'Use at most 254 characters.').pipe(z.email('Enter a valid e-mail address.')),
  phone: z.string().trim().max(40, 'Use at most 40 characters.').regex(/^[0-9 +()-]*$/, 'Enter a phone number of digits, spaces and + ( ) -.'),
  address: z.string().trim().max(500, 'Use at most 500 characters.'),
});

function readAccount(kind: PaymentAccount['kind'], fields: WalletFields, errors: WalletFieldErrors): PaymentAccount | undefined {
  if (kind === 'bank') {
    const bankCode = fields.bankCode.trim();
    const accountNumber = digits(fields.accountNumber);
    const pin = fields.pin.trim();
    if (!/^[0-9]{4}$/.test(bankCode)) errors.bankCode = 'Enter the 4-digit bank code.';
    if (!/^[0-9]{7,14}$/.test(accountNumber)) errors.accountNumber = 'Enter the account number: 7 to 14 digits.';
    if (!/^[0-9]{4,6}$/.test(pin)) errors.pin = 'Enter your PIN: 4 to 6 digits.';
    return errors.bankCode || errors.accountNumber || errors.pin ? undefined : { kind: 'bank', bankCode, accountNumber, pin };
  }
  // Spaces and hyphens as printed on the card are fine; the check digit is the issuer's to judge.
  const pan = digits(fields.cardNumber);
  if (!/^[0-9]{12,19}$/.test(pan)) errors.cardNumber = pan === '' ? 'Enter the card number.' : 'Enter the card number: 12 to 19 digits.';
  if (!/^(0[1-9]|1[0-2])$/.test(fields.expiryMonth)) errors.expiryMonth = 'Choose the expiry month.';
  if (!/^[0-9]{4}$/.test(fields.expiryYear)) errors.expiryYear = 'Choose the expiry year.';
  const cvc = fields.securityCode.trim();
  if (!/^[0-9]{3,4}$/.test(cvc)) errors.securityCode = 'Enter the 3- or 4-digit security code.';
  return errors.cardNumber || errors.expiryMonth || errors.expiryYear || errors.securityCode
    ? undefined
    : { kind: 'card', pan, expiry: `${fields.expiryYear}-${fields.expiryMonth}`, cvc };
}

/** Reads and checks the form; every problem is reported against its field. */
export function readWalletInput(kind: PaymentAccount['kind'], fields: WalletFields): WalletInput {
  const errors: WalletFieldErrors = {};
  const account = readAccount(kind, fields, errors);
  const parsed = customerSchema.safeParse({ name: fields.name, email: fields.email, phone: fields.phone, address: fields.address });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof WalletFields;
      errors[field] ??= issue.message;
    }
  }
  if (!account || !parsed.success) return { ok: false, errors };
  const { name, email, phone, address } = parsed.data;
  return { ok: true, account, customer: { name, email, ...(phone ? { phone } : {}), ...(address ? { address } : {}) } };
}

/** The years a card's expiry can be chosen from: this year and the next fifteen. */
export function expiryYears(now = new Date()): string[] {
  const first = now.getUTCFullYear();
  return Array.from({ length: 16 }, (_, index) => String(first + index));
}
