/**
 * What the POS API takes and answers, written for the SDK so that a shop needs nothing else. They mirror
 * ServerPOS's own schemas field for field; the SDK's tests fail when the two drift apart.
 *
 * Amounts are integers in minor units of the currency (JPY has none, USD/EUR/GBP two). Times are ISO 8601
 * strings, exactly as they arrive.
 */

export type Currency = 'JPY' | 'USD' | 'EUR' | 'GBP';

/** OPEN until paid; EXPIRED from `expiresAt` on if unpaid. */
export type OrderStatus = 'OPEN' | 'PAID' | 'EXPIRED' | 'CANCELLED';

export type PaymentStatus =
  | 'PENDING'
  | 'AUTHORIZING'
  | 'AUTHORIZED'
  | 'DECLINED'
  | 'PARTIALLY_CAPTURED'
  | 'CAPTURED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED'
  | 'VOIDED'
  | 'FAILED'
  | 'UNKNOWN';

export interface LineItem {
  /** What the customer buys, 1–120 characters, no line breaks. */
  name: string;
  /** Unit price in minor units (0–10^10). */
  unitAmount: number;
  /** 1–1000. */
  quantity: number;
}

/** `POST /api/v1/pos/orders`. ServerPOS computes the amount from the line items; there is no amount field. */
export interface CreateOrderInput {
  /** The shop's own reference: 1–64 printable ASCII characters, unique per POS. */
  shopOrderRef: string;
  currency: Currency;
  /** 1–100 lines. */
  lineItems: LineItem[];
  /** Where the customer's browser goes after a successful payment; ServerPOS adds `?order=<shopOrderRef>`. */
  successUrl: string;
  /** Where it goes when the payment fails or is abandoned. */
  failureUrl: string;
  /** How long the order can be paid, 5–1440 minutes (default 60). */
  expiresInMinutes?: number;
  /** Capture at once when authorised (default false: the shop captures later). */
  autoCapture?: boolean;
  customerEmail?: string;
  /**
   * Sell through another store's POS that store has granted yours (an affiliate grant): the order is placed
   * on that POS and paid under its store's contracts. Omit to use the calling POS.
   */
  viaPosId?: string;
}

export interface Order {
  id: string;
  shopOrderRef: string;
  status: OrderStatus;
  /** The total, computed by ServerPOS from the line items. */
  amount: number;
  currency: Currency;
  lineItems: LineItem[];
  /** One line per item ("2 × Green tea @ 640 JPY"), joined by "\n": what the customer agrees to. */
  description: string;
  autoCapture: boolean;
  expiresAt: string;
  /** Send the customer's browser here to pay. */
  checkoutUrl: string;
  createdAt: string;
  /** The other store's POS the order was placed through under an affiliate grant; null for the calling POS. */
  viaPosId: string | null;
}

export interface Payment {
  id: string;
  orderId: string;
  shopOrderRef: string;
  status: PaymentStatus;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  currency: Currency;
  brand: string | null;
  /** At most the first six and last four digits. */
  maskedPan: string | null;
  declineCode: string | null;
  /** The acquirer's reason for a decline, in English and Japanese. */
  declineMessage: { en: string; ja: string } | null;
  authCode: string | null;
  handlingNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderWithPayments extends Order {
  /** Every payment attempt for the order, newest first. */
  payments: Payment[];
}

export interface ListPaymentsFilters {
  status?: PaymentStatus;
  /** Created at or after (a Date or an ISO 8601 string with offset). */
  from?: Date | string;
  /** Created before. */
  to?: Date | string;
  shopOrderRef?: string;
  /** Page size, 1–100 (default 20). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

export interface PaymentPage {
  payments: Payment[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** What capture, void and refund answer: the payment as it now stands and the transaction just made. */
export interface SettlementResult {
  payment: Payment;
  transaction: {
    id: string;
    /**
     * `unknown` when the acquirer did not answer (the payment shows how it ends); `queued` when the capture
     * waits for the POS's daily capture batch (both HTTP 202). A refusal throws instead.
     */
    result: 'succeeded' | 'unknown' | 'queued';
    /** The acquirer's result code, `no_answer`, or `queued`. */
    code: string;
  };
}

/** `GET /api/v1/pos/me`: who this API key is. */
export interface PosProfile {
  pos: { id: string; name: string; status: 'ACTIVE' | 'DISABLED' };
  store: { id: string; name: string; status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'WITHDRAWN' };
  acquirers: { code: string; name: string; brands: string[]; registered: boolean }[];
  /** True only for an active store and POS with at least one acquirer it is registered with. */
  canAuthorize: boolean;
}

export type WebhookEventType =
  | 'payment.authorized'
  | 'payment.declined'
  /** Refused, or an unknown outcome that was reversed. */
  | 'payment.failed'
  | 'payment.captured'
  | 'payment.voided'
  | 'payment.refunded';

/** A verified webhook delivery's body. Deliveries are at least once: de-duplicate by `id`. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: {
    payment: Payment;
    order: { id: string; shopOrderRef: string };
  };
}

/** One public key of the webhook JWKS (`GET /api/v1/pos/webhook-keys`). */
export interface WebhookJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** The public key, base64url. */
  x: string;
  kid: string;
  alg?: 'EdDSA';
  use?: 'sig';
}
