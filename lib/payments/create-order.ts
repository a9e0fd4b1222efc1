import { randomBytes } from 'node:crypto';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { describeOrder } from '@/lib/payments/order-description';
import { orderViewSelect, toOrderView } from '@/lib/payments/order-view';
import { createOrderSchema, orderTotal } from '@/lib/payments/schemas';
import { assertStoreCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { isUuid, parseInput } from '@/lib/validation';
import type { OrderView } from '@/lib/payments/schemas';

/**
 * Pre-registers an order for a POS, server to server (POST /api/v1/pos/orders). The amount is the total of
 * the line items, computed here and never taken from the customer's browser; the description the customer
 * agrees to is rendered from the same items (describeOrder). The customer gets only the checkout URL, which
 * names the order by a random token. Only an ACTIVE store whose POS is registered with at least one acquirer
 * takes orders: an order it could not be paid through is refused now rather than at the checkout.
 */
export async function createOrder(options: { storeId: string; posId: string; actor: Actor; input: unknown; origin?: RequestOrigin | null; now?: Date }): Promise<OrderView> {
  const input = parseInput(createOrderSchema, options.input);
  const amount = orderTotal(input.lineItems);
  const description = describeOrder(input.lineItems, input.currency);
  const now = options.now ?? new Date();
  try {
    return await db().$transaction(async (tx) => {
      await assertStoreCanAuthorize(tx, options.storeId);
      await assertPosCanTakeOrders(tx, options.storeId, options.posId);
      const order = await tx.order.create({
        data: {
          storeId: options.storeId,
          posId: options.posId,
          shopOrderRef: input.shopOrderRef,
          amount: BigInt(amount),
          currency: input.currency,
          lineItems: input.lineItems.map((item) => ({ name: item.name, unitAmount: item.unitAmount, quantity: item.quantity })),
          description,
          successUrl: input.successUrl,
          failureUrl: input.failureUrl,
          checkoutToken: randomBytes(32).toString('base64url'),
          autoCapture: input.autoCapture,
          ...(input.customerEmail ? { customer: { email: input.customerEmail } } : {}),
          expiresAt: new Date(now.getTime() + input.expiresInMinutes * 60_000),
          createdAt: now,
        },
        select: orderViewSelect,
      });
      await recordAuditEvent(tx, {
        actor: options.actor,
        action: 'order.created',
        storeId: options.storeId,
        targetType: 'Order',
        targetId: order.id,
        data: { posId: options.posId, shopOrderRef: input.shopOrderRef, amount, currency: input.currency },
        origin: options.origin ?? null,
      });
      return toOrderView(order);
    });
  } catch (error) {
    // The only unique key a new order can hit is (posId, shopOrderRef): the checkout token is 256 random bits.
    if (isUniqueViolation(error)) {
      const message = `This POS already has an order with shopOrderRef “${input.shopOrderRef}”. Use a new reference, or fetch that order.`;
      throw new AppError('conflict', message, [{ path: 'shopOrderRef', message }]);
    }
    throw error;
  }
}

/**
 * The POS must be the store's, enabled, and registered (certificates issued) with at least one acquirer
 * whose contract is verified and which is in service: the same rule as `canAuthorize` of GET /me.
 */
async function assertPosCanTakeOrders(tx: Tx, storeId: string, posId: string): Promise<void> {
  if (!isUuid(posId)) throw new AppError('not_found', 'POS not found.');
  const pos = await tx.pos.findFirst({ where: { id: posId, storeId }, select: { status: true } });
  if (!pos) throw new AppError('not_found', 'POS not found.');
  if (pos.status !== 'ACTIVE') throw new AppError('store_inactive', 'This POS is disabled: it takes no orders until it is enabled in the console.');
  const registered = await tx.posAcquirer.count({
    where: { storeId, posId, status: 'REGISTERED', contract: { status: 'VERIFIED' }, acquirer: { status: 'ACTIVE' } },
  });
  if (registered === 0) {
    throw new AppError('store_inactive', 'This POS is not registered with any acquirer yet, so no order could be paid through it. Register its certificates in the console first.');
  }
}
