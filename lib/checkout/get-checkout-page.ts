import { z } from 'zod';
import { caTrustMaterial } from '@/lib/certificates/ca-client';
import { checkoutMethods, findCheckoutOrder } from '@/lib/checkout/find-checkout-order';
import { isAppError } from '@/lib/errors';
import { log } from '@/lib/log';

const lineItemsSchema = z.array(z.object({ name: z.string(), unitAmount: z.number().int(), quantity: z.number().int().positive() }));

export interface CheckoutLineItem {
  name: string;
  unitAmount: bigint;
  quantity: number;
  amount: bigint;
}

interface CheckoutPageBase {
  storeName: string;
  order: { id: string; description: string; amount: bigint; currency: string; lineItems: CheckoutLineItem[]; expiresAt: Date };
}

/** Why an order cannot be paid on this page. */
export type CheckoutUnpayableReason = 'paid' | 'expired' | 'cancelled' | 'store_unavailable' | 'service_unavailable';

export type CheckoutPage =
  | (CheckoutPageBase & {
      state: 'payable';
      /** One entry per brand the order's POS can take now, in the order the acquirers are listed. */
      brands: string[];
      /** What the browser's wallet validates the merchant's and the gateway's certificates against. */
      trust: { root: string; crls: string[] };
    })
  | (CheckoutPageBase & {
      state: 'unpayable';
      reason: CheckoutUnpayableReason;
      /** Back to the shop, with the shop's order reference only (as after a payment). */
      returnUrl: string;
    });

/**
 * What the hosted checkout page shows for a checkout token: the order as the
 * shop registered it and, while it can be paid, the brands and the trust
 * material for the wallet; otherwise why not. A token that names no order is
 * AppError('not_found'). Nothing here is secret: the page is public to whoever
 * holds the link, so it carries no customer data and no internal ids but the
 * order's (which the wallet names in its PInitReq).
 */
export async function getCheckoutPage(input: { token: string; now?: Date }): Promise<CheckoutPage> {
  const now = input.now ?? new Date();
  const order = await findCheckoutOrder(input.token);
  const parsedItems = lineItemsSchema.safeParse(order.lineItems);
  const base: CheckoutPageBase = {
    storeName: order.store.name,
    order: {
      id: order.id,
      description: order.description,
      amount: order.amount,
      currency: order.currency,
      // Items the shop registered in another shape are left out; the description and the total still stand.
      lineItems: parsedItems.success
        ? parsedItems.data.map((item) => ({ name: item.name, unitAmount: BigInt(item.unitAmount), quantity: item.quantity, amount: BigInt(item.unitAmount) * BigInt(item.quantity) }))
        : [],
      expiresAt: order.expiresAt,
    },
  };
  const unpayable = (reason: CheckoutUnpayableReason): CheckoutPage => {
    const url = new URL(reason === 'paid' ? order.successUrl : order.failureUrl);
    url.searchParams.set('order', order.shopOrderRef);
    return { ...base, state: 'unpayable', reason, returnUrl: url.toString() };
  };

  if (order.status === 'PAID') return unpayable('paid');
  if (order.status === 'CANCELLED') return unpayable('cancelled');
  if (order.status === 'EXPIRED' || order.expiresAt <= now) return unpayable('expired');
  if (order.store.status !== 'ACTIVE') return unpayable('store_unavailable');
  const brands = [...new Set((await checkoutMethods(order)).map((method) => method.brand))];
  if (brands.length === 0) return unpayable('store_unavailable');
  try {
    return { ...base, state: 'payable', brands, trust: await caTrustMaterial() };
  } catch (error) {
    if (!isAppError(error) || error.code !== 'upstream_unavailable') throw error;
    log.warn('checkout page: the CA trust material could not be loaded', { orderId: order.id, message: error.message });
    return unpayable('service_unavailable');
  }
}
