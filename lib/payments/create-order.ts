import { randomBytes } from 'node:crypto';
import { findGrantForOrder } from '@/lib/affiliates/find-grant-for-order';
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
 *
 * With `viaPosId` the shop sells through another store's POS under an affiliate grant: the order is that
 * POS's (its store's contracts and certificates carry the payment), tagged with the calling store, POS and
 * grant, and refused (affiliate_limit) outside the grant's period, currency or maximum per payment. The
 * shop's references stay one namespace per calling POS, through whichever POS it sells, so a reference
 * names one order when the shop reads it back.
 */
export async function createOrder(options: { storeId: string; posId: string; actor: Actor; input: unknown; origin?: RequestOrigin | null; now?: Date }): Promise<OrderView> {
  const input = parseInput(createOrderSchema, options.input);
  const amount = orderTotal(input.lineItems);
  const description = describeOrder(input.lineItems, input.currency);
  const now = options.now ?? new Date();
  try {
    return await db().$transaction(async (tx) => {
      await assertStoreCanAuthorize(tx, options.storeId);
      const grant = input.viaPosId
        ? await findGrantForOrder(tx, { affiliateStoreId: options.storeId, viaPosId: input.viaPosId, amount: BigInt(amount), currency: input.currency, now })
        : null;
      const storeId = grant?.grantorStoreId ?? options.storeId;
      const posId = grant?.posId ?? options.posId;
      await assertPosCanTakeOrders(tx, storeId, posId);
      await assertShopOrderRefFree(tx, options.posId, input.shopOrderRef);
      const order = await tx.order.create({
        data: {
          storeId,
          posId,
          ...(grant ? { affiliateStoreId: options.storeId, affiliatePosId: options.posId, affiliateGrantId: grant.grantId } : {}),
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
        data: { posId: options.posId, shopOrderRef: input.shopOrderRef, amount, currency: input.currency, ...(grant ? { viaPosId: grant.posId } : {}) },
        origin: options.origin ?? null,
      });
      if (grant) {
        // The owner of the POS sees in its own log that an affiliate placed an order on it.
        await recordAuditEvent(tx, {
          actor: options.actor,
          action: 'affiliate.order_created',
          storeId: grant.grantorStoreId,
          targetType: 'Order',
          targetId: order.id,
          data: { posId: grant.posId, affiliateStoreId: options.storeId, grantId: grant.grantId, shopOrderRef: input.shopOrderRef, amount, currency: input.currency },
          origin: options.origin ?? null,
        });
      }
      return toOrderView(order);
    });
  } catch (error) {
    // The only unique key a new order can hit is (posId, shopOrderRef): the checkout token is 256 random bits.
    if (isUniqueViolation(error)) {
      const message = input.viaPosId
        ? `The POS you sell through already has an order with shopOrderRef “${input.shopOrderRef}”. Use a new reference.`
        : `This POS already has an order with shopOrderRef “${input.shopOrderRef}”. Use a new reference, or fetch that order.`;
      throw new AppError('conflict', message, [{ path: 'shopOrderRef', message }]);
    }
    throw error;
  }
}

/**
 * A reference names one order for the calling POS, whether the order is on the POS itself or placed through
 * another store's POS (which the unique index of the order's own POS cannot see). A lock per calling POS and
 * reference makes the check and the insert one step for concurrent requests with that reference, while orders
 * with different references of one busy shop go in side by side; on the embedded database, one session, it
 * never waits.
 */
async function assertShopOrderRefFree(tx: Tx, callerPosId: string, shopOrderRef: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`order-ref:${callerPosId}:${shopOrderRef}`}, 0))`;
  const taken = await tx.order.findFirst({
    where: { shopOrderRef, OR: [{ posId: callerPosId, affiliatePosId: null }, { affiliatePosId: callerPosId }] },
    select: { id: true },
  });
  if (taken) {
    const message = `This POS already has an order with shopOrderRef “${shopOrderRef}”. Use a new reference, or fetch that order.`;
    throw new AppError('conflict', message, [{ path: 'shopOrderRef', message }]);
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
