/**
 * One error type for the whole domain. A domain function throws
 * `new AppError(code, message)`; the web layer turns it into
 * `{ error: { code, message } }` with the status from `httpStatusOf`.
 * Messages are for people and never carry secrets.
 */

const httpStatusByCode = {
  // 400 — the request itself is wrong
  invalid_json: 400,
  validation_failed: 400,
  /** A POS API POST without an Idempotency-Key header. */
  idempotency_key_required: 400,
  /** The Idempotency-Key was already used for a different request (another path or body). */
  idempotency_key_reused: 422,
  /** The first request with this Idempotency-Key is still running. */
  idempotency_request_in_progress: 409,
  // 401/403 — who is asking
  unauthenticated: 401,
  invalid_credentials: 401,
  session_expired: 401,
  email_not_verified: 403,
  account_locked: 423,
  /** A user of the store whose role may not make this change (only the owner may lend a POS to another store). Never for another tenant's record: that is not_found. */
  owner_only: 403,
  /** A state-changing request to a page (a console form's server action) sent from another site's page. */
  cross_origin_refused: 403,
  // 404 — absent, or belongs to another tenant (never 403 for that)
  not_found: 404,
  method_not_allowed: 405,
  // 409/410 — state
  conflict: 409,
  token_invalid: 400,
  token_expired: 410,
  invalid_state_transition: 409,
  /** The store is suspended or withdrawn: nothing new may be processed for it. */
  store_inactive: 409,
  /** An acquirer or the CA answered no (its reason is in the message). */
  upstream_refused: 422,
  /** The POS has no valid certificate for the acquirer that would carry the payment. */
  certificate_unavailable: 409,
  /** The customer's purchase request does not match the pre-registered order, or is not for this payment. */
  purchase_mismatch: 422,
  /** This payment was already processed; its result stands. */
  payment_already_processed: 409,
  /** An affiliated store's sale is outside what its grant allows (period, currency, brand, amount, daily total). */
  affiliate_limit: 422,
  /**
   * The acquirer's circuit breaker is open (its gateway failed repeatedly): the authorisation was refused before
   * anything was sent, the payment is untouched, and the customer may try again shortly.
   */
  acquirer_unavailable: 409,
  // 413/415 — the envelope
  body_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  // 5xx — ours
  internal_error: 500,
  service_unavailable: 503,
  /** An acquirer or the CA could not be reached or did not answer in time. */
  upstream_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof httpStatusByCode;

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field problems for validation errors; safe to show to the caller. */
    readonly fields?: FieldIssue[],
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return httpStatusByCode[this.code];
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return httpStatusByCode[code];
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldIssue[] };
}

export function errorBody(error: AppError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
}
