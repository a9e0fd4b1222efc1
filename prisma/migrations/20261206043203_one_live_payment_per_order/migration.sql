-- At most one payment of an order is being authorised, of unknown outcome, or authorised (whatever
-- happened to it since): a second checkout of the same order, from another tab or a retry after a lost
-- answer, can never authorise the order twice. Declined, failed, voided and not-yet-claimed payments do
-- not count. Written by hand: the Prisma schema cannot express a partial index.
CREATE UNIQUE INDEX "Payment_one_live_per_order" ON "Payment" ("orderId")
  WHERE "status" IN ('AUTHORIZING', 'UNKNOWN', 'AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED');
