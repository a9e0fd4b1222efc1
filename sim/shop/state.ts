/**
 * The sample shop's records, in one JSON file under its data folder, written atomically (temp file +
 * rename) after every change so that a restart keeps carts, orders and received webhook events.
 */
import path from 'node:path';
import type { OrderStatus, OrderWithPayments, Payment, PaymentStatus, WebhookEvent } from '../../sdk';
import { readJson, writeJsonAtomic } from '../shared/persistence';

/** Product id → quantity. */
export type Cart = Record<string, number>;

export interface ShopOrderLine {
  productId: string;
  name: string;
  unitAmount: number;
  quantity: number;
}

/** What the shop knows of a payment: the last state ServerPOS told it, by pull or by webhook. */
export interface KnownPayment {
  id: string;
  status: PaymentStatus;
  brand: string | null;
  declineCode: string | null;
  declineMessage: { en: string; ja: string } | null;
  updatedAt: string;
}

export interface ShopOrder {
  ref: string;
  /** The browser session that placed it (its cart is emptied once the order is paid). */
  sessionId: string;
  lines: ShopOrderLine[];
  amount: number;
  currency: 'JPY';
  createdAt: string;
  /** ServerPOS's order id and checkout URL, once it took the order. */
  orderId: string | null;
  checkoutUrl: string | null;
  /** Why ServerPOS did not take it, if it did not. */
  registrationError: string | null;
  orderStatus: OrderStatus | null;
  payment: KnownPayment | null;
}

export interface ReceivedEvent {
  id: string;
  type: string;
  createdAt: string;
  receivedAt: string;
  shopOrderRef: string;
  paymentId: string;
  paymentStatus: string;
}

interface ShopStateFile {
  sessions: Record<string, { cart: Cart; updatedAt: string }>;
  orders: ShopOrder[];
  events: ReceivedEvent[];
}

const MAX_ORDERS = 1000;
const MAX_EVENTS = 2000;
const SESSION_LIFETIME_MS = 7 * 24 * 3_600_000;
export const MAX_QUANTITY = 10;

export class ShopState {
  private readonly file: string;
  private readonly data: ShopStateFile;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'state.json');
    const stored = readJson<Partial<ShopStateFile>>(this.file);
    this.data = { sessions: stored?.sessions ?? {}, orders: stored?.orders ?? [], events: stored?.events ?? [] };
  }

  cart(sessionId: string | undefined): Cart {
    return (sessionId && this.data.sessions[sessionId]?.cart) || {};
  }

  /** Adds `quantity` of a product (capped at MAX_QUANTITY); a quantity of 0 or less removes it. */
  changeCart(sessionId: string, productId: string, change: { add: number } | { set: number }): void {
    const cart = { ...this.cart(sessionId) };
    const quantity = 'add' in change ? (cart[productId] ?? 0) + change.add : change.set;
    if (quantity <= 0) delete cart[productId];
    else cart[productId] = Math.min(quantity, MAX_QUANTITY);
    this.data.sessions[sessionId] = { cart, updatedAt: new Date().toISOString() };
    this.save();
  }

  clearCart(sessionId: string): void {
    if (!this.data.sessions[sessionId]) return;
    this.data.sessions[sessionId] = { cart: {}, updatedAt: new Date().toISOString() };
    this.save();
  }

  addOrder(order: ShopOrder): void {
    this.data.orders.unshift(order);
    this.data.orders.length = Math.min(this.data.orders.length, MAX_ORDERS);
    this.save();
  }

  updateOrder(ref: string, change: Partial<Omit<ShopOrder, 'ref'>>): void {
    const order = this.order(ref);
    if (!order) return;
    Object.assign(order, change);
    this.save();
  }

  order(ref: string): ShopOrder | undefined {
    return this.data.orders.find((order) => order.ref === ref);
  }

  /** Newest first. */
  orders(): readonly ShopOrder[] {
    return this.data.orders;
  }

  /** Newest first. */
  events(): readonly ReceivedEvent[] {
    return this.data.events;
  }

  eventsFor(ref: string): ReceivedEvent[] {
    return this.data.events.filter((event) => event.shopOrderRef === ref);
  }

  /** Takes what ServerPOS answered for an order (a pull): its status and its newest payment. */
  recordPull(order: OrderWithPayments): void {
    const known = this.order(order.shopOrderRef);
    if (!known) return;
    known.orderStatus = order.status;
    const newest = order.payments[0];
    if (newest) known.payment = newerPayment(known.payment, newest);
    this.save();
  }

  /**
   * Records a verified event once: deliveries are at least once, so an id already recorded changes nothing.
   * The order's payment moves only forward in time, since deliveries can arrive out of order.
   */
  recordEvent(event: WebhookEvent): 'recorded' | 'duplicate' {
    if (this.data.events.some((received) => received.id === event.id)) return 'duplicate';
    const { payment, order } = event.data;
    this.data.events.unshift({
      id: event.id,
      type: event.type,
      createdAt: event.createdAt,
      receivedAt: new Date().toISOString(),
      shopOrderRef: order.shopOrderRef,
      paymentId: payment.id,
      paymentStatus: payment.status,
    });
    this.data.events.length = Math.min(this.data.events.length, MAX_EVENTS);
    const known = this.order(order.shopOrderRef);
    if (known && known.orderId === order.id) {
      known.payment = newerPayment(known.payment, payment);
      if (event.type === 'payment.authorized') known.orderStatus = 'PAID';
    }
    this.save();
    return 'recorded';
  }

  private save(): void {
    const cutoff = Date.now() - SESSION_LIFETIME_MS;
    for (const [id, session] of Object.entries(this.data.sessions)) {
      if (Date.parse(session.updatedAt) < cutoff) delete this.data.sessions[id];
    }
    writeJsonAtomic(this.file, this.data);
  }
}

function newerPayment(known: KnownPayment | null, payment: Payment): KnownPayment {
  if (known && Date.parse(known.updatedAt) > Date.parse(payment.updatedAt)) return known;
  return knownPayment(payment);
}

/** The part of ServerPOS's payment the shop keeps. */
export function knownPayment(payment: Payment): KnownPayment {
  return { id: payment.id, status: payment.status, brand: payment.brand, declineCode: payment.declineCode, declineMessage: payment.declineMessage, updatedAt: payment.updatedAt };
}
