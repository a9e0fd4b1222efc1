import { Prisma } from '@/lib/db/generated/prisma/client';

/** What a settlement event is: the `kind` column of settlementEvents. */
export type SettlementEventKind = 'authorization' | 'decline' | 'capture' | 'refund' | 'void';

/**
 * The one definition of settlement events, read by the store's settlement history and by the statistics
 * rollup. For the transactions in `scope` (a condition on `t`, a PaymentTransaction joined to its Payment
 * `p`): one row per approved authorisation, decline, confirmed capture, refund and void, on the UTC day of
 * the transaction's completion (its creation while it has none), plus the capture an auto-captured
 * authorisation made (the part of the captured amount no capture transaction holds). Rows whose `kind` is
 * null (failed, pending, inquiries) or whose amount is not positive are for the caller to leave out.
 */
export function settlementEvents(scope: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT COALESCE(t."completedAt", t."createdAt")::date AS "day", t."storeId", p."posId", p."acquirerId",
           COALESCE(p."brand", 'UNKNOWN') AS "brand", p."currency", COALESCE(p."declineCode", 'unknown') AS "declineCode",
           CASE
             WHEN t."type" = 'AUTHORIZE' AND t."status" = 'SUCCEEDED' THEN 'authorization'
             WHEN t."type" = 'AUTHORIZE' AND p."status" = 'DECLINED' THEN 'decline'
             WHEN t."type" = 'CAPTURE' AND t."status" = 'SUCCEEDED' THEN 'capture'
             WHEN t."type" = 'REFUND' AND t."status" = 'SUCCEEDED' THEN 'refund'
             WHEN t."type" = 'VOID' AND t."status" = 'SUCCEEDED' THEN 'void'
           END AS "kind",
           t."amount"
      FROM "PaymentTransaction" t
      JOIN "Payment" p ON p."id" = t."paymentId" AND p."storeId" = t."storeId"
     WHERE p."acquirerId" IS NOT NULL AND ${scope}
    UNION ALL
    SELECT COALESCE(t."completedAt", t."createdAt")::date, t."storeId", p."posId", p."acquirerId",
           COALESCE(p."brand", 'UNKNOWN'), p."currency", NULL, 'capture',
           p."capturedAmount" - COALESCE((SELECT SUM(c."amount") FROM "PaymentTransaction" c
                                           WHERE c."paymentId" = p."id" AND c."type" = 'CAPTURE' AND c."status" = 'SUCCEEDED'), 0)
      FROM "PaymentTransaction" t
      JOIN "Payment" p ON p."id" = t."paymentId" AND p."storeId" = t."storeId"
     WHERE t."type" = 'AUTHORIZE' AND t."status" = 'SUCCEEDED' AND p."acquirerId" IS NOT NULL AND p."capturedAmount" > 0 AND ${scope}`;
}
