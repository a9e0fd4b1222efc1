import { ServerPosError, type FieldIssue } from './errors';
import type {
  CreateOrderInput,
  ListPaymentsFilters,
  Order,
  OrderWithPayments,
  Payment,
  PaymentPage,
  PosProfile,
  SettlementResult,
  WebhookEvent,
} from './types';
import { verifyWebhook, type WebhookHeaders } from './webhooks';

export interface ServerPosClientOptions {
  /** Where ServerPOS runs, e.g. `https://pay.example` (without `/api/v1/pos`). */
  baseUrl: string;
  /** The POS API key (`spk_…`) from the store console's POS page. Keep it on the shop's server. */
  apiKey: string;
  /** The fetch to use (default: the global one). Tests and proxies plug in here. */
  fetch?: typeof fetch;
  /** How many times to retry after a network error, a timeout or a 502/503/504 (default 3). */
  retries?: number;
  /** How long one attempt may take, answer included (default 30 s: an authorisation may wait 20 s for its gateway). */
  timeoutMs?: number;
  /** The first pause between attempts; it doubles with every retry, with jitter (default 250 ms). */
  retryDelayMs?: number;
}

export interface RequestOptions {
  /** Cancels the call, retries included. */
  signal?: AbortSignal;
}

export interface PostOptions extends RequestOptions {
  /**
   * The request's Idempotency-Key (1–255 printable ASCII characters); a fresh UUID when omitted. Every retry
   * carries the same key, so a request whose answer was lost is answered again instead of run twice. Pass
   * your own (e.g. derived from your order reference) to make retries across restarts safe too.
   */
  idempotencyKey?: string;
}

const API = '/api/v1/pos';
const DEFAULT_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 30_000;

/** Gateway errors from whatever stands in front of ServerPOS: the request may not have arrived, or its answer was lost. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

type Attempt =
  | { kind: 'answer'; status: number; text: string; retryAfter: string | null }
  | { kind: 'no_answer'; timedOut: boolean; error: unknown }
  | { kind: 'cancelled'; reason: unknown };

/**
 * The POS API for a shop's server: one typed method per operation. Every POST carries an Idempotency-Key,
 * and a request that got no answer (network error, timeout) or a 502/503/504 is sent again with the same
 * key and the same bytes, with exponential backoff; ServerPOS then runs it at most once. Any other error
 * answer is thrown at once as a {@link ServerPosError}.
 */
export class ServerPosClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly fetchImpl: typeof fetch;
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;

  constructor(options: ServerPosClientOptions) {
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new TypeError('ServerPosClient: baseUrl must be an absolute URL, e.g. https://pay.example');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('ServerPosClient: baseUrl must be an http or https URL');
    if (!options.apiKey) throw new TypeError('ServerPosClient: apiKey is required');
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retries = Math.max(0, Math.floor(options.retries ?? DEFAULT_RETRIES));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  }

  /** The POS this key belongs to, its store and acquirers, and whether it can take payments now. */
  async me(options: RequestOptions = {}): Promise<PosProfile> {
    return this.get<PosProfile>(`${API}/me`, options);
  }

  /**
   * Pre-registers an order; send the customer's browser to its `checkoutUrl`. ServerPOS computes the amount
   * from the line items. A reference the POS already used is a 409 `conflict`.
   */
  async createOrder(input: CreateOrderInput, options: PostOptions = {}): Promise<Order> {
    return (await this.post<{ order: Order }>(`${API}/orders`, input, options)).order;
  }

  /** One of this POS's orders, with every payment attempt (newest first). */
  async getOrder(orderId: string, options: RequestOptions = {}): Promise<OrderWithPayments> {
    return (await this.get<{ order: OrderWithPayments }>(`${API}/orders/${segment(orderId, 'orderId')}`, options)).order;
  }

  /** The same, found by the shop's own reference. */
  async getOrderByRef(shopOrderRef: string, options: RequestOptions = {}): Promise<OrderWithPayments> {
    return (await this.get<{ order: OrderWithPayments }>(`${API}/orders/by-ref/${segment(shopOrderRef, 'shopOrderRef')}`, options)).order;
  }

  /** One page of this POS's payments, newest first. Pass `nextCursor` back as `cursor` for the next. */
  async listPayments(filters: ListPaymentsFilters = {}, options: RequestOptions = {}): Promise<PaymentPage> {
    const query = new URLSearchParams();
    if (filters.status !== undefined) query.set('status', filters.status);
    if (filters.from !== undefined) query.set('from', timeParameter(filters.from));
    if (filters.to !== undefined) query.set('to', timeParameter(filters.to));
    if (filters.shopOrderRef !== undefined) query.set('shopOrderRef', filters.shopOrderRef);
    if (filters.limit !== undefined) query.set('limit', String(filters.limit));
    if (filters.cursor !== undefined) query.set('cursor', filters.cursor);
    const search = query.toString();
    return this.get<PaymentPage>(`${API}/payments${search ? `?${search}` : ''}`, options);
  }

  /**
   * Every payment that matches the filters, page after page (`limit` sets the page size):
   * `for await (const payment of client.allPayments({ status: 'AUTHORIZED' })) …`.
   */
  async *allPayments(filters: ListPaymentsFilters = {}, options: RequestOptions = {}): AsyncGenerator<Payment, void, undefined> {
    let cursor = filters.cursor;
    do {
      const page: PaymentPage = await this.listPayments({ ...filters, ...(cursor === undefined ? {} : { cursor }) }, options);
      yield* page.payments;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** One of this POS's payments. */
  async getPayment(paymentId: string, options: RequestOptions = {}): Promise<Payment> {
    return (await this.get<{ payment: Payment }>(`${API}/payments/${segment(paymentId, 'paymentId')}`, options)).payment;
  }

  /** Captures `amount` (default: all that remains authorised). A refusal by the acquirer throws `upstream_refused`. */
  async capturePayment(paymentId: string, input: { amount?: number } = {}, options: PostOptions = {}): Promise<SettlementResult> {
    return this.post<SettlementResult>(`${API}/payments/${segment(paymentId, 'paymentId')}/capture`, input, options);
  }

  /** Cancels the whole authorisation; only before anything was captured. */
  async voidPayment(paymentId: string, options: PostOptions = {}): Promise<SettlementResult> {
    return this.post<SettlementResult>(`${API}/payments/${segment(paymentId, 'paymentId')}/void`, {}, options);
  }

  /** Refunds `amount` (default: all that remains captured); may be called several times. */
  async refundPayment(paymentId: string, input: { amount?: number } = {}, options: PostOptions = {}): Promise<SettlementResult> {
    return this.post<SettlementResult>(`${API}/payments/${segment(paymentId, 'paymentId')}/refunds`, input, options);
  }

  /**
   * Verifies a webhook delivery against this ServerPOS's published keys (`/api/v1/pos/webhook-keys`); see
   * {@link verifyWebhook}. Pass the body exactly as received, before any JSON parsing.
   */
  verifyWebhook(input: { rawBody: string | Uint8Array; headers: WebhookHeaders; toleranceSeconds?: number; now?: Date | number }): Promise<WebhookEvent> {
    return verifyWebhook({ ...input, jwksUrl: `${this.baseUrl}${API}/webhook-keys`, fetch: this.fetchImpl });
  }

  private async get<T>(path: string, options: RequestOptions): Promise<T> {
    return this.send<T>('GET', path, undefined, undefined, options.signal);
  }

  private async post<T>(path: string, body: unknown, options: PostOptions): Promise<T> {
    return this.send<T>('POST', path, JSON.stringify(body), options.idempotencyKey ?? globalThis.crypto.randomUUID(), options.signal);
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body: string | undefined, idempotencyKey: string | undefined, signal: AbortSignal | undefined): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;

    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.retries;
      const outcome = await this.attempt(url, { method, headers, ...(body === undefined ? {} : { body }) }, signal);
      if (outcome.kind === 'cancelled') throw outcome.reason;
      if (outcome.kind === 'answer') {
        if (outcome.status >= 200 && outcome.status < 300) return parseAnswer<T>(outcome.status, outcome.text, idempotencyKey);
        const error = errorFromAnswer(outcome.status, outcome.text, idempotencyKey);
        if (last || !isRetryable(error)) throw error;
        await pause(this.backoff(attempt, outcome.retryAfter), signal);
        continue;
      }
      if (last) {
        const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
        throw new ServerPosError({
          status: 0,
          code: outcome.timedOut ? 'timeout' : 'network_error',
          message: outcome.timedOut
            ? `ServerPOS did not answer ${method} ${path} within ${this.timeoutMs} ms (${attempt + 1} attempts).`
            : `Could not reach ServerPOS for ${method} ${path} (${attempt + 1} attempts): ${reason}`,
          ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
          cause: outcome.error,
        });
      }
      await pause(this.backoff(attempt, null), signal);
    }
  }

  /** One request; the timeout covers reading the answer too, since a body can stall as well as a connection. */
  private async attempt(url: string, init: { method: string; headers: Record<string, string>; body?: string }, signal: AbortSignal | undefined): Promise<Attempt> {
    if (signal?.aborted) return { kind: 'cancelled', reason: signal.reason };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${this.timeoutMs} ms`));
    }, this.timeoutMs);
    const cancel = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const response = await this.fetchImpl(url, { ...init, signal: controller.signal });
      const text = await response.text();
      return { kind: 'answer', status: response.status, text, retryAfter: response.headers.get('retry-after') };
    } catch (error) {
      if (signal?.aborted) return { kind: 'cancelled', reason: signal.reason };
      return { kind: 'no_answer', timedOut, error };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  private backoff(attempt: number, retryAfter: string | null): number {
    const exponential = this.retryDelayMs * 2 ** attempt;
    // Jitter spreads the retries of many shop servers hit by the same outage.
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    const asked = retryAfter !== null && /^\d{1,4}$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
    return Math.min(Math.max(jittered, asked), MAX_RETRY_DELAY_MS);
  }
}

/**
 * Retry what may not have been processed, or is still being processed: gateway errors, and the 409 ServerPOS
 * answers while the first request with the same key still runs (it asks for exactly this, with Retry-After).
 * Every other error is the request's own and would fail again.
 */
function isRetryable(error: ServerPosError): boolean {
  return RETRYABLE_STATUSES.has(error.status) || (error.status === 409 && error.code === 'idempotency_request_in_progress');
}

function parseAnswer<T>(status: number, text: string, idempotencyKey: string | undefined): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ServerPosError({ status, code: 'invalid_response', message: `ServerPOS answered HTTP ${status} with a body that is not JSON.`, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
  }
}

function errorFromAnswer(status: number, text: string, idempotencyKey: string | undefined): ServerPosError {
  let code = `http_${status}`;
  let message = `ServerPOS answered HTTP ${status}.`;
  let fields: FieldIssue[] | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; fields?: unknown } };
    if (typeof parsed.error?.code === 'string') code = parsed.error.code;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
    if (Array.isArray(parsed.error?.fields)) {
      fields = parsed.error.fields.filter((issue): issue is FieldIssue => typeof issue?.path === 'string' && typeof issue?.message === 'string');
    }
  } catch {
    // Not ServerPOS's error shape (e.g. a proxy's page): the status says enough.
  }
  return new ServerPosError({ status, code, message, ...(fields ? { fields } : {}), ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
}

function segment(value: string, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`ServerPosClient: ${name} is required`);
  return encodeURIComponent(value);
}

function timeParameter(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    const cancel = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', cancel, { once: true });
  });
}
