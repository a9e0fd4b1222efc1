import { z } from 'zod';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { getPayment } from '@/lib/payments/get-payment';
import { paymentsOfPos } from '@/lib/payments/pos-api-scope';
import { settlePayment, type SettlementKind } from '@/lib/payments/settle-payment';
import type { PosPrincipal } from '@/lib/pos/authenticate-pos-api-key';
import { isUuid, parseInput } from '@/lib/validation';

export const settlementBodySchema = z.strictObject({
  /** Minor units; omitted means all that remains (capture, refund). */
  amount: z.number({ error: 'The amount is a whole number of minor units.' }).int('The amount is a whole number of minor units.').positive('The amount must be more than zero.').max(1e12, 'The amount is too large.').optional(),
});

/**
 * The POS API's capture, void and refund: the calling POS's payment only (see paymentsOfPos: a sale its
 * shop made through another store's POS is its to settle, one another store's shop made through it is not),
 * the result as the payment now stands. A refusal by the acquirer is a 422 with its code; an unanswered
 * request leaves the transaction UNKNOWN (the payment shows it) and answers 202, as does a capture queued for
 * the POS's daily batch (result `queued`).
 */
export async function settleThroughApi(kind: SettlementKind, pos: PosPrincipal, paymentId: string, body: unknown) {
  const { amount } = parseInput(settlementBodySchema, body ?? {});
  if (kind === 'void' && amount !== undefined) throw new AppError('validation_failed', 'A void takes no amount: it cancels the whole authorisation.');
  // The payment is settled where it lives: an affiliate's sale on the granting store's POS, with that store's contract and keys.
  const scope = isUuid(paymentId) ? await db().payment.findFirst({ where: { AND: [{ id: paymentId }, paymentsOfPos(pos.storeId, pos.posId)] }, select: { storeId: true, posId: true } }) : null;
  if (!scope) throw new AppError('not_found', 'Payment not found.');
  const result = await settlePayment(kind, { storeId: scope.storeId, posId: scope.posId, paymentId, actor: pos.actor, ...(amount !== undefined ? { amount: BigInt(amount) } : {}) });
  if (result.result === 'refused') throw new AppError('upstream_refused', `The acquirer refused the ${kind}: ${result.code}.`);
  const payment = await getPayment({ storeId: pos.storeId, posId: pos.posId, paymentId });
  // Queued for the POS's daily capture batch, like unanswered, is accepted but not yet done: 202.
  return { status: result.result === 'unknown' || result.result === 'queued' ? 202 : 200, body: { payment, transaction: { id: result.transactionId, result: result.result, code: result.code } } };
}
