/**
 * ServerPOS SDK for TypeScript: the POS API's calls for a shop's server, and webhook verification.
 * No dependencies beyond Node 20 (fetch, WebCrypto); nothing here reaches into ServerPOS's own code.
 */
export { ServerPosClient, type PostOptions, type RequestOptions, type ServerPosClientOptions } from './client';
export { ServerPosError, WebhookVerificationError, type FieldIssue, type WebhookVerificationReason } from './errors';
export { DEFAULT_TOLERANCE_SECONDS, EVENT_ID_HEADER, SIGNATURE_HEADER, verifyWebhook, type VerifyWebhookOptions, type WebhookHeaders } from './webhooks';
export type {
  CreateOrderInput,
  Currency,
  LineItem,
  ListPaymentsFilters,
  Order,
  OrderStatus,
  OrderWithPayments,
  Payment,
  PaymentPage,
  PaymentStatus,
  PosProfile,
  SettlementResult,
  WebhookEvent,
  WebhookEventType,
  WebhookJwk,
} from './types';
