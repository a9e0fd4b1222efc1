/**
 * The card issuers and banks behind a simulated acquirer: a documented table of
 * test cards and accounts (sim/README.md) and the decision for each. Every
 * decline reason is a stable code with text in English and Japanese.
 */
import type { PaymentAccount } from '@/lib/set';

export const declineReasons = {
  expired_card: { en: 'The card has expired.', ja: 'カードの有効期限が切れています。' },
  insufficient_funds: { en: 'The card has insufficient funds.', ja: 'カードの利用可能額が不足しています。' },
  insufficient_balance: { en: 'The account balance is insufficient.', ja: '口座残高が不足しています。' },
  lost_or_stolen_card: { en: 'The card has been reported lost or stolen.', ja: 'このカードは紛失・盗難の届出がされています。' },
  do_not_honor: { en: 'The issuer declined the payment.', ja: 'カード発行会社により取引が承認されませんでした。' },
  invalid_card_number: { en: 'The card number is not valid.', ja: 'カード番号が正しくありません。' },
  invalid_security_code: { en: 'The security code is not correct.', ja: 'セキュリティコードが正しくありません。' },
  over_limit: { en: 'The amount is over the card’s limit.', ja: 'ご利用限度額を超えています。' },
  closed_account: { en: 'The account is closed.', ja: 'この口座は解約されています。' },
  wrong_pin: { en: 'The PIN is not correct.', ja: '暗証番号が正しくありません。' },
  unknown_account: { en: 'The account does not exist.', ja: '口座が存在しません。' },
  brand_not_accepted: { en: 'This acquirer does not accept this brand.', ja: 'この加盟店契約ではこのブランドは利用できません。' },
} as const;

export type DeclineCode = keyof typeof declineReasons;

export type IssuerDecision =
  | { kind: 'approve' }
  | { kind: 'decline'; code: DeclineCode }
  /** Answers, but only after the configured delay (for timeout handling). */
  | { kind: 'slow' }
  /** The issuer never answers: the gateway holds the request open (for timeout tests). */
  | { kind: 'never' };

interface TestCard {
  pan: string;
  brand: 'VISA' | 'MASTER' | 'JCB';
  behaviour: 'approve' | 'slow' | 'never' | DeclineCode;
  /** For the over-limit card: the most it will authorise, in minor units. */
  limit?: number;
  note: string;
}

/** The test cards; any other Luhn-valid number of a known brand is approved. */
export const testCards: readonly TestCard[] = [
  { pan: '4111111111111111', brand: 'VISA', behaviour: 'approve', note: 'approved' },
  { pan: '5555555555554444', brand: 'MASTER', behaviour: 'approve', note: 'approved' },
  { pan: '3530111333300000', brand: 'JCB', behaviour: 'approve', note: 'approved' },
  { pan: '4000000000000069', brand: 'VISA', behaviour: 'expired_card', note: 'declined: expired card' },
  { pan: '4000000000009995', brand: 'VISA', behaviour: 'insufficient_funds', note: 'declined: insufficient funds' },
  { pan: '4000000000009987', brand: 'VISA', behaviour: 'lost_or_stolen_card', note: 'declined: lost card' },
  { pan: '4000000000009979', brand: 'VISA', behaviour: 'lost_or_stolen_card', note: 'declined: stolen card' },
  { pan: '4000000000000002', brand: 'VISA', behaviour: 'do_not_honor', note: 'declined: do not honor' },
  { pan: '4000000000000127', brand: 'VISA', behaviour: 'invalid_security_code', note: 'declined: wrong security code' },
  { pan: '4000000000000101', brand: 'VISA', behaviour: 'approve', limit: 50_000, note: 'approved up to 50,000 (minor units), over_limit above' },
  { pan: '5555555555550103', brand: 'MASTER', behaviour: 'do_not_honor', note: 'declined: do not honor' },
  { pan: '3530111333300109', brand: 'JCB', behaviour: 'insufficient_funds', note: 'declined: insufficient funds' },
  { pan: '4000000000000309', brand: 'VISA', behaviour: 'slow', note: 'approved after the acquirer’s slowCardSeconds' },
  { pan: '4000000000000408', brand: 'VISA', behaviour: 'never', note: 'the issuer never answers' },
];

interface TestAccount {
  bankCode: string;
  accountNumber: string;
  pin: string;
  balance: number;
  closed?: boolean;
  note: string;
}

/** The test bank accounts (account transfers through a BANK acquirer). */
export const testAccounts: readonly TestAccount[] = [
  { bankCode: '0001', accountNumber: '1234567', pin: '1234', balance: 10_000_000, note: 'approved' },
  { bankCode: '0001', accountNumber: '2345678', pin: '1234', balance: 1_000, note: 'balance 1,000: insufficient_balance above it' },
  { bankCode: '0001', accountNumber: '3456789', pin: '1234', balance: 0, closed: true, note: 'declined: closed account' },
];

/** Luhn checksum, as every card number carries. */
export function luhnValid(pan: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = pan.length - 1; index >= 0; index--) {
    let digit = pan.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** The card brand by its number's prefix (IIN ranges). */
export function brandOfPan(pan: string): 'VISA' | 'MASTER' | 'JCB' | undefined {
  if (pan.startsWith('4')) return 'VISA';
  const two = Number(pan.slice(0, 2));
  const four = Number(pan.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTER';
  if (four >= 3528 && four <= 3589) return 'JCB';
  return undefined;
}

/**
 * What the issuer says about this account, amount and brand, for an acquirer
 * that takes `acceptedBrands`, at `now` (for card expiry).
 */
export function decide(input: { account: PaymentAccount; brand: string; amount: number; acceptedBrands: readonly string[]; now: Date }): IssuerDecision {
  const { account } = input;
  if (!input.acceptedBrands.includes(input.brand)) return { kind: 'decline', code: 'brand_not_accepted' };
  if (account.kind === 'bank') {
    if (input.brand !== 'BANK') return { kind: 'decline', code: 'brand_not_accepted' };
    const found = testAccounts.find((entry) => entry.bankCode === account.bankCode && entry.accountNumber === account.accountNumber);
    if (!found) return { kind: 'decline', code: 'unknown_account' };
    if (found.closed) return { kind: 'decline', code: 'closed_account' };
    if (found.pin !== account.pin) return { kind: 'decline', code: 'wrong_pin' };
    if (input.amount > found.balance) return { kind: 'decline', code: 'insufficient_balance' };
    return { kind: 'approve' };
  }
  if (!luhnValid(account.pan)) return { kind: 'decline', code: 'invalid_card_number' };
  const brand = brandOfPan(account.pan);
  if (!brand) return { kind: 'decline', code: 'invalid_card_number' };
  if (brand !== input.brand) return { kind: 'decline', code: 'brand_not_accepted' };
  const [year, month] = account.expiry.split('-').map(Number) as [number, number];
  const monthNow = input.now.getUTCFullYear() * 12 + input.now.getUTCMonth() + 1;
  if (year * 12 + month < monthNow) return { kind: 'decline', code: 'expired_card' };
  const card = testCards.find((entry) => entry.pan === account.pan);
  if (!card) return { kind: 'approve' };
  if (card.limit !== undefined && input.amount > card.limit) return { kind: 'decline', code: 'over_limit' };
  if (card.behaviour === 'approve') return { kind: 'approve' };
  if (card.behaviour === 'slow') return { kind: 'slow' };
  if (card.behaviour === 'never') return { kind: 'never' };
  return { kind: 'decline', code: card.behaviour };
}
