import type { Prisma, Tx } from '@/lib/db/client';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

const tokenPattern = /^[A-Za-z0-9_-]{20,64}$/;

const checkoutOrderSelect = {
  id: true,
  storeId: true,
  posId: true,
  shopOrderRef: true,
  amount: true,
  currency: true,
  lineItems: true,
  description: true,
  status: true,
  autoCapture: true,
  successUrl: true,
  failureUrl: true,
  expiresAt: true,
  affiliateStoreId: true,
  affiliateGrantId: true,
  store: { select: { name: true, status: true } },
  pos: { select: { captureMode: true } },
} as const satisfies Prisma.OrderSelect;

const notFound = () => new AppError('not_found', 'This checkout link is not valid.');

/** The order behind a checkout link; a token that names nothing is "not found", whatever it looks like. */
export async function findCheckoutOrder(token: string, client: Tx | ReturnType<typeof db> = db()) {
  if (!tokenPattern.test(token)) throw notFound();
  const order = await client.order.findUnique({ where: { checkoutToken: token }, select: checkoutOrderSelect });
  if (!order) throw notFound();
  return order;
}

/**
 * The order behind a checkout link and, read with it, its payment with this XID (with the payment's acquirer),
 * if it has one: the pay step's lookup in one statement.
 */
export async function findCheckoutOrderPayment(token: string, xid: string | undefined) {
  if (!tokenPattern.test(token)) throw notFound();
  const found = await db().order.findUnique({
    where: { checkoutToken: token },
    // No XID matches no payment (XIDs are never empty).
    select: { ...checkoutOrderSelect, payments: { where: { xid: xid ?? '' }, take: 1, include: { acquirer: true } } },
  });
  if (!found) throw notFound();
  const { payments, ...order } = found;
  return { order, payment: payments[0] ?? null };
}

export type CheckoutOrder = Awaited<ReturnType<typeof findCheckoutOrder>>;

/**
 * The acquirers the order's POS can authorise through now (registered, contract verified, acquirer active), by
 * name, each with the store's merchant number at that acquirer.
 */
export async function checkoutAcquirers(order: { storeId: string; posId: string }) {
  const links = await db().posAcquirer.findMany({
    where: { storeId: order.storeId, posId: order.posId, status: 'REGISTERED', contract: { status: 'VERIFIED' }, acquirer: { status: 'ACTIVE' } },
    orderBy: { acquirer: { name: 'asc' } },
    select: { id: true, acquirer: { select: { id: true, code: true, name: true, brands: true, gatewayUrl: true } }, contract: { select: { merchantNumber: true } } },
  });
  return links.map((link) => ({ posAcquirerId: link.id, acquirer: link.acquirer, merchantNumber: link.contract.merchantNumber }));
}

/**
 * The payment methods the order's POS can take now: each brand of each acquirer it is registered with; for
 * an affiliated store's order, only the brands its grant allows.
 */
export async function checkoutMethods(order: { storeId: string; posId: string; affiliateGrantId?: string | null }) {
  const [links, grant] = await Promise.all([
    checkoutAcquirers(order),
    order.affiliateGrantId ? db().affiliateGrant.findFirst({ where: { id: order.affiliateGrantId, grantorStoreId: order.storeId, posId: order.posId }, select: { brands: true } }) : null,
  ]);
  if (order.affiliateGrantId && !grant) return [];
  return links.flatMap((link) => link.acquirer.brands.filter((brand) => !grant || grant.brands.includes(brand)).map((brand) => ({ brand, posAcquirerId: link.posAcquirerId, acquirer: link.acquirer })));
}
