/**
 * Every refusal of lib/pki is a PkiError with a stable code, so that callers
 * (lib/set, the simulators, the app) can map it without parsing messages.
 */
export const pkiErrorCodes = [
  'malformed_certificate',
  'malformed_csr',
  'malformed_crl',
  'csr_signature_invalid',
  'certificate_signature_invalid',
  'certificate_expired',
  'certificate_not_yet_valid',
  'certificate_revoked',
  'untrusted_root',
  'chain_incomplete',
  'chain_too_long',
  'issuer_not_ca',
  'issuer_not_allowed',
  'brand_mismatch',
  'wrong_key_usage',
  'unexpected_role',
  'crl_unavailable',
  'crl_stale',
  'crl_signature_invalid',
  'unsupported_algorithm',
  'invalid_request',
] as const;

export type PkiErrorCode = (typeof pkiErrorCodes)[number];

export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PkiError';
  }
}

/** True when `error` is a PkiError, optionally with the given code. */
export function isPkiError(error: unknown, code?: PkiErrorCode): error is PkiError {
  return error instanceof PkiError && (code === undefined || error.code === code);
}
