import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { getPayment } from '@/lib/payments/get-payment';
import { settlePayment, type SettlementKind } from '@/lib/payments/settle-payment';
import type { PosPrincipal } from '@/lib/pos/authenticate-pos-api-key';
import { parseInput } from '@/lib/validation';

export const settlementBodySchema = z.strictObject({
  /** Minor units; omitted means all that remains (capture, refund). */
  amount: z.number({ error: 'The amount is a whole number of minor units.' }).int('The amount is a whole number of minor units.').positive('The amount must be more than zero.').max(1e12, 'The amount is too large.').optional(),
});

/**
 * The POS API's capture, void and refund: the calling POS's payment only, the result as the payment now
 * stands. A refusal by the acquirer is a 422 with its code; an unanswered request leaves the transaction
 * UNKNOWN (the payment shows it) and answers 202.
 */
export async function settleThroughApi(kind: SettlementKind, pos: PosPrincipal, paymentId: string, body: unknown) {
  const { amount } = parseInput(settlementBodySchema, body ?? {});
  if (kind === 'void' && amount !== undefined) throw new AppError('validation_failed', 'A void takes no amount: it cancels the whole authorisation.');
  const result = await settlePayment(kind, { storeId: pos.storeId, posId: pos.posId, paymentId, actor: pos.actor, ...(amount !== undefined ? { amount: BigInt(amount) } : {}) });
  if (result.result === 'refused') throw new AppError('upstream_refused', `The acquirer refused the ${kind}: ${result.code}.`);
  const payment = await getPayment({ storeId: pos.storeId, posId: pos.posId, paymentId });
  // Queued for the POS's daily capture batch, like unanswered, is accepted but not yet done: 202.
  return { status: result.result === 'unknown' || result.result === 'queued' ? 202 : 200, body: { payment, transaction: { id: result.transactionId, result: result.result, code: result.code } } };
}
