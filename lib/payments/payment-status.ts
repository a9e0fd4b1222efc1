import type { PaymentStatus } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';

/** What may follow what, as data. Checked before every change; each change is guarded on the status it came from. */
export const paymentStatusTransitions = {
  // FAILED: the order expired before the customer paid (lib/payments/expire-orders.ts).
  PENDING: ['AUTHORIZING', 'FAILED'],
  AUTHORIZING: ['AUTHORIZED', 'CAPTURED', 'DECLINED', 'FAILED', 'UNKNOWN'],
  UNKNOWN: ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'DECLINED', 'VOIDED', 'FAILED'],
  AUTHORIZED: ['PARTIALLY_CAPTURED', 'CAPTURED', 'VOIDED'],
  PARTIALLY_CAPTURED: ['PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  CAPTURED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  REFUNDED: [],
  DECLINED: [],
  VOIDED: [],
  FAILED: [],
} as const satisfies Record<PaymentStatus, readonly PaymentStatus[]>;

/** Throws invalid_state_transition (409) with a reason unless `from → to` is allowed. */
export function assertPaymentTransition(from: PaymentStatus, to: PaymentStatus, what: string): void {
  if ((paymentStatusTransitions[from] as readonly PaymentStatus[]).includes(to)) return;
  throw new AppError('invalid_state_transition', `A payment that is ${from.toLowerCase().replaceAll('_', ' ')} cannot be ${what}.`);
}
