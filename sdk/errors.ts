/** A problem with one field of the request, as ServerPOS reports it for `validation_failed`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/**
 * ServerPOS answered with an error (`{ error: { code, message } }`), or could not be reached.
 *
 * `status` is the HTTP status, or 0 when no answer arrived at all (`code` is then `network_error` or
 * `timeout`). For a POST, `idempotencyKey` is the key every attempt carried: sending the same request again
 * later with that key cannot do it twice.
 */
export class ServerPosError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldIssue[] | undefined;
  readonly idempotencyKey: string | undefined;

  constructor(options: { status: number; code: string; message: string; fields?: FieldIssue[]; idempotencyKey?: string; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerPosError';
    this.status = options.status;
    this.code = options.code;
    this.fields = options.fields;
    this.idempotencyKey = options.idempotencyKey;
  }
}

/** Why a webhook delivery was not accepted. */
export type WebhookVerificationReason =
  /** No ServerPOS-Signature header. */
  | 'missing_signature'
  /** The header is not `t=<seconds>,kid=<id>,v1=<signature>`. */
  | 'malformed_signature'
  /** `t` is further than the tolerance from now: a replay, or a clock far off. */
  | 'timestamp_out_of_tolerance'
  /** No published key has this kid, even after fetching the keys again. */
  | 'unknown_key'
  /** The signature does not match the body and timestamp. */
  | 'invalid_signature'
  /** The public keys could not be fetched. */
  | 'jwks_unavailable'
  /** Signed, but not an event (not UTF-8 JSON of the expected shape). */
  | 'malformed_body'
  /** The ServerPOS-Event-Id header names another event than the signed body. */
  | 'event_id_mismatch';

/** A webhook delivery that must not be trusted; answer it with a 4xx and record nothing. */
export class WebhookVerificationError extends Error {
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}
