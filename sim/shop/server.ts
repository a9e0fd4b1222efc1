/**
 * The sample web shop over HTTP (node:http via the simulators' router): products, a cart in a cookie-backed
 * session, checkout through ServerPOS with the SDK, the return pages, the webhook receiver and the orders
 * page. It trusts nothing the customer's browser brings back: the return pages ask ServerPOS, and only
 * webhook deliveries whose signature verifies are recorded.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ServerPosError, WebhookVerificationError, type OrderWithPayments, type ServerPosClient } from '../../sdk';
import { listen, Router, SimHttpError, simLog, type SimReply, type SimRequest } from '../shared/http';
import { findProduct, yen } from './catalog';
import type { ShopConfig } from './config';
import { cartPage, homePage, messagePage, ordersPage, returnPage, type CartLine, type PageFrame } from './pages';
import { knownPayment, ShopState } from './state';

const SESSION_COOKIE = 'shop_session';
const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600;
const sessionPattern = /^[A-Za-z0-9_-]{43}$/;
const refPattern = /^[\x21-\x7e](?:[\x20-\x7e]{0,62}[\x21-\x7e])?$/;
const LOG_NAME = 'shop';

type SettlementAction = 'capture' | 'void' | 'refund';
const doneNotices: Record<string, (ref: string) => string> = {
  capture: (ref) => `Captured the payment for ${ref}.`,
  void: (ref) => `Voided the payment for ${ref}.`,
  refund: (ref) => `Refunded the payment for ${ref}.`,
  refresh: () => 'Statuses refreshed from ServerPOS.',
};

export interface RunningShop {
  port: number;
  close(): Promise<void>;
}

export async function startShopServer(options: { config: ShopConfig; client: ServerPosClient; port?: number }): Promise<RunningShop> {
  const { config, client } = options;
  const state = new ShopState(config.dataDir);
  const router = new Router();
  const secureCookie = config.publicUrl.startsWith('https://');

  const frame = (request: SimRequest, title: string): PageFrame => ({
    shopName: config.name,
    title,
    cartCount: Object.values(state.cart(sessionOf(request))).reduce((sum, quantity) => sum + quantity, 0),
  });
  const cartLines = (sessionId: string | undefined): CartLine[] =>
    Object.entries(state.cart(sessionId)).flatMap(([productId, quantity]) => {
      const product = findProduct(productId);
      return product ? [{ product, quantity }] : [];
    });

  router.on('GET', '/health', async () => ({ json: { status: 'ok' } }));

  router.on('GET', '/', async (request) => html(200, homePage(frame(request, 'Products'))));

  router.on('GET', '/cart', async (request) => {
    const added = findProduct(request.url.searchParams.get('added') ?? '');
    return html(200, cartPage(frame(request, 'Your cart'), cartLines(sessionOf(request)), added ? { notice: `Added ${added.name} to your cart.` } : {}));
  });

  router.on('POST', '/cart/add', async (request, response) => {
    const product = findProduct((await form(request)).get('productId') ?? '');
    if (!product) return html(400, messagePage(frame(request, 'Unknown product'), 'Unknown product', 'That product is not in the catalogue.'));
    const existing = sessionOf(request);
    const sessionId = existing ?? randomBytes(32).toString('base64url');
    state.changeCart(sessionId, product.id, { add: 1 });
    const cookie = `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_SECONDS}${secureCookie ? '; Secure' : ''}`;
    return redirect(response, `/cart?added=${encodeURIComponent(product.id)}`, existing ? {} : { 'set-cookie': cookie });
  });

  router.on('POST', '/cart/remove', async (request, response) => {
    const sessionId = sessionOf(request);
    const productId = (await form(request)).get('productId') ?? '';
    if (sessionId && findProduct(productId)) state.changeCart(sessionId, productId, { set: 0 });
    return redirect(response, '/cart');
  });

  router.on('POST', '/checkout', async (request, response) => {
    const sessionId = sessionOf(request);
    const lines = cartLines(sessionId);
    if (!sessionId || lines.length === 0) return redirect(response, '/cart');
    const ref = newOrderRef();
    const amount = lines.reduce((sum, line) => sum + line.product.unitAmount * line.quantity, 0);
    // Recorded before ServerPOS is asked, so the reference is never lost whatever the call's outcome.
    state.addOrder({
      ref,
      sessionId,
      lines: lines.map(({ product, quantity }) => ({ productId: product.id, name: product.name, unitAmount: product.unitAmount, quantity })),
      amount,
      currency: 'JPY',
      createdAt: new Date().toISOString(),
      orderId: null,
      checkoutUrl: null,
      registrationError: null,
      orderStatus: null,
      payment: null,
    });
    const returnUrl = (outcome: 'success' | 'failure') => `${config.publicUrl}/return/${outcome}?ref=${encodeURIComponent(ref)}`;
    try {
      const order = await client.createOrder(
        {
          shopOrderRef: ref,
          currency: 'JPY',
          lineItems: lines.map(({ product, quantity }) => ({ name: product.name, unitAmount: product.unitAmount, quantity })),
          successUrl: returnUrl('success'),
          failureUrl: returnUrl('failure'),
        },
        // Derived from the reference: however often this request is retried, ServerPOS makes one order.
        { idempotencyKey: `order-${ref}` },
      );
      if (order.amount !== amount) {
        state.updateOrder(ref, { orderId: order.id, registrationError: `ServerPOS computed ${yen(order.amount)}, the cart ${yen(amount)}.` });
        simLog(LOG_NAME, 'order amount differs from the cart', { ref, serverpos: order.amount, cart: amount });
        return html(502, cartPage(frame(request, 'Your cart'), lines, { error: 'The payment could not be started: the amounts did not match. Nothing was charged.' }));
      }
      state.updateOrder(ref, { orderId: order.id, checkoutUrl: order.checkoutUrl, orderStatus: order.status });
      simLog(LOG_NAME, 'order registered', { ref, orderId: order.id, amount });
      return redirect(response, order.checkoutUrl);
    } catch (error) {
      const reason = error instanceof ServerPosError ? error.message : 'ServerPOS could not be reached.';
      state.updateOrder(ref, { registrationError: reason });
      simLog(LOG_NAME, 'order not registered', { ref, ...(error instanceof ServerPosError ? { status: error.status, code: error.code } : { error: String(error) }) });
      if (!(error instanceof ServerPosError)) throw error;
      return html(502, cartPage(frame(request, 'Your cart'), lines, { error: `The payment could not be started: ${reason} Nothing was charged; please try again.` }));
    }
  });

  const returnHandler = async (request: SimRequest): Promise<SimReply> => {
    // ServerPOS appends ?order=<ref>; our own return URLs carry ?ref=<ref>. Either way the reference is all the URL says.
    const ref = request.url.searchParams.get('ref') ?? request.url.searchParams.get('order') ?? '';
    if (!refPattern.test(ref)) return html(400, messagePage(frame(request, 'Unknown order'), 'Unknown order', 'This link does not name an order.'));
    let order: OrderWithPayments;
    try {
      order = await client.getOrderByRef(ref);
    } catch (error) {
      if (error instanceof ServerPosError && error.status === 404) return html(404, messagePage(frame(request, 'Order not found'), 'Order not found', `ServerPOS has no order ${ref} from this shop.`));
      if (error instanceof ServerPosError) return html(502, messagePage(frame(request, 'Payment status unavailable'), 'Payment status unavailable', 'ServerPOS could not be asked for this order’s status just now. Reload this page in a moment.'));
      throw error;
    }
    state.recordPull(order);
    const known = state.order(ref);
    if (order.status === 'PAID' && known && known.sessionId === sessionOf(request)) state.clearCart(known.sessionId);
    return html(200, returnPage(frame(request, 'Your order'), order));
  };
  router.on('GET', '/return/success', returnHandler);
  router.on('GET', '/return/failure', returnHandler);

  router.on('POST', '/webhooks', async (request) => {
    const rawBody = await request.text();
    try {
      const event = await client.verifyWebhook({ rawBody, headers: request.headers });
      const outcome = state.recordEvent(event);
      simLog(LOG_NAME, outcome === 'recorded' ? 'webhook event received' : 'webhook event repeated', { eventId: event.id, type: event.type, ref: event.data.order.shopOrderRef });
      return { json: { received: true, duplicate: outcome === 'duplicate' } };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      simLog(LOG_NAME, 'webhook refused', { reason: error.reason });
      // Keys that cannot be fetched are our problem, not the sender's: a 503 asks ServerPOS to deliver again later.
      const status = error.reason === 'jwks_unavailable' ? 503 : 400;
      return { status, json: { error: { code: error.reason, message: error.message } } };
    }
  });

  router.on('GET', '/orders', async (request) => {
    const done = request.url.searchParams.get('done') ?? '';
    const ref = request.url.searchParams.get('ref') ?? '';
    const notice = doneNotices[done] && (done === 'refresh' || state.order(ref)) ? doneNotices[done](ref) : undefined;
    return html(200, ordersPage(frame(request, 'Orders'), state.orders(), state.events(), notice ? { notice } : {}));
  });

  router.on('POST', '/orders/refresh', async (request, response) => {
    const recent = state.orders().filter((order) => order.orderId !== null && order.registrationError === null).slice(0, 20);
    try {
      for (const order of recent) state.recordPull(await client.getOrder(order.orderId!));
    } catch (error) {
      if (!(error instanceof ServerPosError)) throw error;
      return html(502, ordersPage(frame(request, 'Orders'), state.orders(), state.events(), { error: `Could not refresh from ServerPOS: ${error.message}` }));
    }
    return redirect(response, '/orders?done=refresh');
  });

  router.on('POST', '/orders/:ref/:action', async (request, response) => {
    const { ref = '', action = '' } = request.params;
    if (action !== 'capture' && action !== 'void' && action !== 'refund') throw new SimHttpError(404, 'not_found', 'No such action.');
    const order = state.order(ref);
    if (!order?.payment) return html(404, messagePage(frame(request, 'Order not found'), 'Order not found', 'This shop has no payment for that order.'));
    const paymentId = order.payment.id;
    try {
      // One key per payment and action: a double click is answered once.
      const key = { idempotencyKey: `${action}-${paymentId}` };
      const result = await settle(client, action, paymentId, key);
      state.updateOrder(ref, { payment: knownPayment(result.payment) });
      simLog(LOG_NAME, `${action} answered`, { ref, result: result.transaction.result, status: result.payment.status });
    } catch (error) {
      if (!(error instanceof ServerPosError)) throw error;
      const status = error.status >= 400 && error.status < 500 ? error.status : 502;
      return html(status, ordersPage(frame(request, 'Orders'), state.orders(), state.events(), { error: `ServerPOS refused to ${action} ${ref}: ${error.message}` }));
    }
    return redirect(response, `/orders?done=${action}&ref=${encodeURIComponent(ref)}`);
  });

  const running = await listen(router, options.port ?? config.port, {
    onError: (error) => simLog(LOG_NAME, 'handler failed', { error: error instanceof Error ? error.message : String(error) }),
  });
  return { port: running.port, close: running.close };
}

function settle(client: ServerPosClient, action: SettlementAction, paymentId: string, options: { idempotencyKey: string }) {
  if (action === 'capture') return client.capturePayment(paymentId, {}, options);
  if (action === 'void') return client.voidPayment(paymentId, options);
  return client.refundPayment(paymentId, {}, options);
}

function sessionOf(request: SimRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === SESSION_COOKIE && value && sessionPattern.test(value)) return value;
  }
  return undefined;
}

/** The shop's order reference: the day and 8 random characters, e.g. SB-20261125-K3M9Q2XA. */
function newOrderRef(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const random = [...randomBytes(8)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `SB-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${random}`;
}

async function form(request: SimRequest): Promise<URLSearchParams> {
  return new URLSearchParams(await request.text());
}

function html(status: number, body: string): SimReply {
  return { status, text: body, contentType: 'text/html; charset=utf-8' };
}

function redirect(response: ServerResponse, location: string, headers: Record<string, string> = {}): 'handled' {
  response.writeHead(303, { location, 'cache-control': 'no-store', 'content-length': 0, ...headers });
  response.end();
  return 'handled';
}

