import { db, dbPool } from '@/lib/db/client';
import type { CaptureMode, OrderStatus, PaymentStatus, StoreStatus } from '@/lib/db/generated/prisma/enums';
import { sql, sqlOnPool } from '@/lib/db/sql';
import { AppError } from '@/lib/errors';

const tokenPattern = /^[A-Za-z0-9_-]{20,64}$/;

const notFound = () => new AppError('not_found', 'This checkout link is not valid.');

interface CheckoutRow {
  id: string;
  storeId: string;
  posId: string;
  shopOrderRef: string;
  amount: bigint;
  currency: string;
  lineItems: unknown;
  description: string;
  status: OrderStatus;
  autoCapture: boolean;
  successUrl: string;
  failureUrl: string;
  expiresAt: Date;
  affiliateStoreId: string | null;
  affiliateGrantId: string | null;
  storeName: string;
  storeStatus: StoreStatus;
  captureMode: CaptureMode;
  paymentId: string | null;
  paymentStatus: PaymentStatus | null;
  paymentAmount: bigint | null;
  paymentCurrency: string | null;
  paymentBrand: string | null;
  paymentPosId: string | null;
  posAcquirerId: string | null;
  initMessage: unknown;
  paymentCreatedAt: Date | null;
  paymentAffiliateStoreId: string | null;
  paymentAffiliateGrantId: string | null;
  acquirerId: string | null;
  acquirerCode: string | null;
  acquirerName: string | null;
  gatewayUrl: string | null;
}

/**
 * The order behind a checkout link with its store's name and status and its POS's capture mode and, read with
 * them, its payment with this XID (with the payment's acquirer) if it has one: one statement, on the pool
 * directly (the checkout's hot path; lib/db/sql.ts). No XID matches no payment (XIDs are never empty).
 */
async function readCheckout(token: string, xid: string | undefined) {
  if (!tokenPattern.test(token)) throw notFound();
  const [row] = await sqlOnPool(dbPool()).rows<CheckoutRow>(sql`
    SELECT o."id", o."storeId", o."posId", o."shopOrderRef", o."amount", o."currency", o."lineItems", o."description",
           o."status"::text AS "status", o."autoCapture", o."successUrl", o."failureUrl", o."expiresAt",
           o."affiliateStoreId", o."affiliateGrantId",
           s."name" AS "storeName", s."status"::text AS "storeStatus", pos."captureMode"::text AS "captureMode",
           p."id" AS "paymentId", p."status"::text AS "paymentStatus", p."amount" AS "paymentAmount", p."currency" AS "paymentCurrency",
           p."brand" AS "paymentBrand", p."posId" AS "paymentPosId", p."posAcquirerId", p."initMessage", p."createdAt" AS "paymentCreatedAt",
           p."affiliateStoreId" AS "paymentAffiliateStoreId", p."affiliateGrantId" AS "paymentAffiliateGrantId",
           a."id" AS "acquirerId", a."code" AS "acquirerCode", a."name" AS "acquirerName", a."gatewayUrl"
      FROM "Order" o
      JOIN "Store" s ON s."id" = o."storeId"
      JOIN "Pos" pos ON pos."id" = o."posId"
      LEFT JOIN "Payment" p ON p."orderId" = o."id" AND p."xid" = ${xid ?? ''}
      LEFT JOIN "Acquirer" a ON a."id" = p."acquirerId"
     WHERE o."checkoutToken" = ${token}
     LIMIT 1`);
  if (!row) throw notFound();
  const order = {
    id: row.id,
    storeId: row.storeId,
    posId: row.posId,
    shopOrderRef: row.shopOrderRef,
    amount: row.amount,
    currency: row.currency,
    lineItems: row.lineItems,
    description: row.description,
    status: row.status,
    autoCapture: row.autoCapture,
    successUrl: row.successUrl,
    failureUrl: row.failureUrl,
    expiresAt: row.expiresAt,
    affiliateStoreId: row.affiliateStoreId,
    affiliateGrantId: row.affiliateGrantId,
    store: { name: row.storeName, status: row.storeStatus },
    pos: { captureMode: row.captureMode },
  };
  const payment =
    row.paymentId === null
      ? null
      : {
          id: row.paymentId,
          storeId: row.storeId,
          posId: row.paymentPosId!,
          status: row.paymentStatus!,
          amount: row.paymentAmount!,
          currency: row.paymentCurrency!,
          brand: row.paymentBrand,
          posAcquirerId: row.posAcquirerId,
          initMessage: row.initMessage,
          createdAt: row.paymentCreatedAt!,
          affiliateStoreId: row.paymentAffiliateStoreId,
          affiliateGrantId: row.paymentAffiliateGrantId,
          acquirer: row.acquirerId === null ? null : { id: row.acquirerId, code: row.acquirerCode!, name: row.acquirerName!, gatewayUrl: row.gatewayUrl! },
        };
  return { order, payment };
}

/** The order behind a checkout link; a token that names nothing is "not found", whatever it looks like. */
export async function findCheckoutOrder(token: string) {
  return (await readCheckout(token, undefined)).order;
}

/** The order behind a checkout link and its payment with this XID (with the payment's acquirer), if it has one. */
export async function findCheckoutOrderPayment(token: string, xid: string | undefined) {
  return readCheckout(token, xid);
}

export type CheckoutOrder = Awaited<ReturnType<typeof findCheckoutOrder>>;

/**
 * The acquirers the order's POS can authorise through now (registered, contract verified, acquirer active), by
 * name, each with the store's merchant number at that acquirer.
 */
export async function checkoutAcquirers(order: { storeId: string; posId: string }) {
  const links = await sqlOnPool(dbPool()).rows<{ posAcquirerId: string; id: string; code: string; name: string; brands: string[]; gatewayUrl: string; merchantNumber: string }>(sql`
    SELECT l."id" AS "posAcquirerId", a."id", a."code", a."name", a."brands", a."gatewayUrl", c."merchantNumber"
      FROM "PosAcquirer" l
      JOIN "AcquirerContract" c ON c."id" = l."contractId"
      JOIN "Acquirer" a ON a."id" = l."acquirerId"
     WHERE l."storeId" = ${order.storeId}::uuid AND l."posId" = ${order.posId}::uuid AND l."status" = 'REGISTERED'
       AND c."status" = 'VERIFIED' AND a."status" = 'ACTIVE'
     ORDER BY a."name" ASC`);
  return links.map(({ posAcquirerId, merchantNumber, ...acquirer }) => ({ posAcquirerId, acquirer, merchantNumber }));
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
