import type { ContractStatus } from '@/lib/db/generated/prisma/enums';

/**
 * The numbers behind password recovery, in one place. A reset link alone is
 * not enough: it also takes the merchant number and PIN of one of the store's
 * contracts, so both guessing budgets below are small.
 */

/** How long an e-mailed reset link works. */
export const RESET_TOKEN_MINUTES = 30;
/** Wrong merchant number / PIN answers one link takes before it dies. */
export const MAX_RESET_ATTEMPTS = 5;
/** Wrong PINs in a row for one contract before its PIN is locked, and for how long. */
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MINUTES = 30;

/**
 * Contracts whose PIN proves who the store is. A withdrawn or withdrawing
 * contract still does ("another of its acquirers"); one never verified does not.
 */
export const RECOVERY_CONTRACT_STATUSES: ContractStatus[] = ['VERIFIED', 'WITHDRAWING', 'WITHDRAWN'];

/** Rate limits, per hour. */
export const FORGOT_PASSWORD_PER_EMAIL_PER_HOUR = 3;
export const FORGOT_PASSWORD_PER_IP_PER_HOUR = 20;
export const RESET_PASSWORD_PER_IP_PER_HOUR = 20;
