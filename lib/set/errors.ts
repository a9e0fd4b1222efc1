import { isPkiError, type PkiErrorCode } from '@/lib/pki';

/**
 * Stable codes of every refusal in lib/set. Certificate problems keep the
 * code lib/pki gave them (`certificate_revoked`, `untrusted_root`, …).
 */
export type SetErrorCode =
  | PkiErrorCode
  | 'message_too_large'
  | 'malformed_message'
  | 'unsupported_algorithm'
  | 'not_for_this_recipient'
  | 'decryption_failed'
  | 'signature_invalid'
  | 'invalid_message'
  | 'unexpected_message_type'
  | 'stale_message'
  | 'message_from_future'
  | 'replayed_message'
  | 'rrpid_mismatch'
  | 'xid_mismatch'
  | 'challenge_mismatch'
  | 'oi_hash_mismatch'
  | 'dual_signature_invalid'
  | 'amount_mismatch'
  | 'merchant_mismatch'
  | 'wrong_gateway'
  | 'identity_mismatch'
  // Signed HTTP requests of the acquirer admin API (lib/acquirers/request-signature.ts).
  | 'missing_signature'
  | 'missing_credential'
  | 'request_mismatch';

/** The one error type of lib/set: a stable code for programs and a message for people. */
export class SetError extends Error {
  constructor(
    readonly code: SetErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SetError';
  }
}

/** True when `error` is a SetError, optionally with the given code. */
export function isSetError(error: unknown, code?: SetErrorCode): error is SetError {
  return error instanceof SetError && (code === undefined || error.code === code);
}

/** Runs `work`, turning a PkiError into the SetError with the same code. */
export async function asSetError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPkiError(error)) throw new SetError(error.code, error.message);
    throw error;
  }
}
