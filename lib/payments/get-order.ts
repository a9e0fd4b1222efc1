import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { orderViewSelect, paymentViewSelect, toOrderWithPaymentsView } from '@/lib/payments/order-view';
import { ordersOfPos } from '@/lib/payments/pos-api-scope';
import { shopOrderRefSchema, type OrderWithPaymentsView } from '@/lib/payments/schemas';
import { isUuid } from '@/lib/validation';

const orderNotFound = () => new AppError('not_found', 'Order not found.');

/**
 * One of the calling POS's orders with every payment made for it, by ServerPOS's id or by the shop's
 * reference. Another POS's order — of the same store or another — is "not found", like one that does not exist.
 * The POS's orders include those its shop placed through another store's POS (see ordersOfPos).
 */
export async function getOrder(options: { storeId: string; posId: string; by: { orderId: string } | { shopOrderRef: string } }): Promise<OrderWithPaymentsView> {
  if (!isUuid(options.storeId) || !isUuid(options.posId)) throw orderNotFound();
  let where: { id: string } | { shopOrderRef: string };
  if ('orderId' in options.by) {
    if (!isUuid(options.by.orderId)) throw orderNotFound();
    where = { id: options.by.orderId };
  } else {
    if (!shopOrderRefSchema.safeParse(options.by.shopOrderRef).success) throw orderNotFound();
    where = { shopOrderRef: options.by.shopOrderRef };
  }
  const order = await db().order.findFirst({
    where: { AND: [where, ordersOfPos(options.storeId, options.posId)] },
    select: { ...orderViewSelect, payments: { select: paymentViewSelect, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] } },
  });
  if (!order) throw orderNotFound();
  return toOrderWithPaymentsView(order);
}
