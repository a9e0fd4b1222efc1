import { randomUUID } from 'node:crypto';
import { checkAffiliateSale } from '@/lib/affiliates/check-affiliate-sale';
import { dbPool } from '@/lib/db/client';
import { empty, joinSql, raw, sql, sqlOnPool, sqlTransaction, type Sql, type SqlClient } from '@/lib/db/sql';
import { AppError, isAppError } from '@/lib/errors';

const alreadyProcessed = () => new AppError('payment_already_processed', 'This payment was already processed.');

/**
 * Claims a PENDING payment for authorisation (PENDING → AUTHORIZING, a guarded update), the last step before
 * the AuthReq is signed: the claim is what makes a replayed or doubled PReq harmless. The claim holds a
 * share lock on the store's row and needs the store ACTIVE (see lockActiveStore), so a suspension and the
 * claims of that store's payments are ordered one way or the other.
 *
 * A payment an affiliated store takes through another store's POS is checked against its grant in the same
 * transaction, after locking the grant's row: period, brand, maximum per payment and the daily total (what
 * the affiliate already has authorising or authorised under the grant on the payment's UTC day, plus this
 * one). Concurrent checkouts under one grant therefore take turns, and each sees the others' claims, so
 * together they cannot exceed the daily total. A refusal (affiliate_limit) leaves the payment PENDING, the
 * gateway uncalled, and a "refused" entry with the reason on the payment's timeline.
 */
export interface ClaimablePayment {
  id: string;
  storeId: string;
  amount: bigint;
  currency: string;
  brand: string | null;
  createdAt: Date;
  affiliateStoreId: string | null;
  affiliateGrantId: string | null;
}

/**
 * `alongside` is what must be durable before the request leaves for the gateway (the request's record): data-
 * modifying statements that run in the claim's own statement, so they commit with it, in one commit. Each runs
 * only when the claim succeeded, so each takes its rows from `claimed` (the claimed payment's id, no row when
 * the claim failed), e.g. `INSERT INTO … SELECT … FROM claimed`.
 *
 * A sale without an affiliate grant is one statement, with no transaction around it: the store's share lock,
 * the guarded update and the records (one round trip instead of five; the checkout's hot path).
 */
export async function claimPayment(input: { payment: ClaimablePayment; now: Date; alongside?: Sql[] }): Promise<void> {
  const { payment } = input;
  const { affiliateGrantId, affiliateStoreId } = payment;
  const statements = input.alongside ?? [];
  const alongside = statements.length ? joinSql(statements.map((statement, index) => sql`, ${raw(`alongside_${index}`)} AS (${statement})`), '') : empty;
  const claim = async (tx: SqlClient) => {
    const [result] = await tx.rows<{ storeStatus: string | null; claimed: number }>(sql`
      WITH store AS MATERIALIZED (
        SELECT "status"::text AS "status" FROM "Store" WHERE "id" = ${payment.storeId}::uuid FOR SHARE
      ), claimed AS (
        UPDATE "Payment" SET "status" = 'AUTHORIZING', "updatedAt" = ${new Date()}::timestamp
         WHERE "id" = ${payment.id}::uuid AND "status" = 'PENDING' AND (SELECT "status" FROM store) = 'ACTIVE'
        RETURNING "id"
      )${alongside}
      SELECT (SELECT "status" FROM store) AS "storeStatus", (SELECT count(*) FROM claimed)::int AS "claimed"`);
    assertActive(result?.storeStatus);
    if (result?.claimed !== 1) throw alreadyProcessed();
  };
  try {
    if (!affiliateGrantId || !affiliateStoreId) {
      await claim(sqlOnPool(dbPool()));
      return;
    }
    await sqlTransaction(dbPool(), async (tx) => {
      await lockActiveStore(tx, payment.storeId);
      await tx.rows(sql`SELECT 1 FROM "AffiliateGrant" WHERE "id" = ${affiliateGrantId}::uuid FOR UPDATE`);
      const [current] = await tx.rows<{ status: string }>(sql`SELECT "status"::text AS "status" FROM "Payment" WHERE "id" = ${payment.id}::uuid`);
      if (current?.status !== 'PENDING') throw alreadyProcessed();
      await checkAffiliateSale(tx, {
        grantId: affiliateGrantId,
        affiliateStoreId,
        amount: payment.amount,
        currency: payment.currency,
        ...(payment.brand ? { brand: payment.brand } : {}),
        now: input.now,
        // A payment counts on the UTC day it was started, whenever it is paid: one rule for this sum and the next.
        dailyTotal: { day: payment.createdAt, excludePaymentId: payment.id },
      });
      await claim(tx);
    });
  } catch (error) {
    if (isSecondLivePayment(error)) {
      const refusal = new AppError('payment_already_processed', 'Another payment of this order is being processed or was already made. Nothing more was charged; return to the shop to see its result.');
      await recordRefusal(payment, refusal);
      throw refusal;
    }
    if (isAppError(error) && (error.code === 'affiliate_limit' || error.code === 'store_inactive')) await recordRefusal(payment, error);
    throw error;
  }
}

/**
 * The claim broke the partial unique index "Payment_one_live_per_order": another payment of the same order
 * is being authorised, of unknown outcome, or authorised (a second tab, or a retry after a lost answer).
 * The database decides, so two claims at the same moment cannot both pass.
 */
function isSecondLivePayment(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'Payment_one_live_per_order';
}

/** A "refused" entry with the reason on the timeline of a payment that stays PENDING: the gateway was not called. */
export async function recordRefusal(payment: { id: string; storeId: string }, error: AppError): Promise<void> {
  await sqlOnPool(dbPool()).execute(sql`
    INSERT INTO "PaymentEvent" ("id", "storeId", "paymentId", "kind", "code", "detail", "createdAt")
    VALUES (${randomUUID()}::uuid, ${payment.storeId}::uuid, ${payment.id}::uuid, 'refused', ${error.code}, ${JSON.stringify({ reason: error.message })}::jsonb, ${new Date()}::timestamp)`);
}

/**
 * The claim's hold on the store: a share lock on its row, then the status check. A suspension updates that
 * row, so it waits for claims already holding the lock and every later claim waits for it and then reads
 * SUSPENDED. Each claim therefore commits either before the suspension or not at all: once the suspension
 * has answered, no payment of the store can still be claimed for authorisation.
 */
async function lockActiveStore(tx: SqlClient, storeId: string): Promise<void> {
  const rows = await tx.rows<{ status: string }>(sql`SELECT "status"::text AS "status" FROM "Store" WHERE "id" = ${storeId}::uuid FOR SHARE`);
  assertActive(rows[0]?.status);
}

function assertActive(status: string | null | undefined): void {
  if (status !== 'ACTIVE') throw new AppError('store_inactive', 'Processing for this store is suspended or stopped: it cannot take payments through any acquirer.');
}
