import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { paymentViewSelect, toPaymentView } from '@/lib/payments/order-view';
import { paymentsOfPos } from '@/lib/payments/pos-api-scope';
import type { PaymentView } from '@/lib/payments/schemas';
import { isUuid } from '@/lib/validation';

const paymentNotFound = () => new AppError('not_found', 'Payment not found.');

/** One of the calling POS's payments (see paymentsOfPos); any other payment is "not found". */
export async function getPayment(options: { storeId: string; posId: string; paymentId: string }): Promise<PaymentView> {
  if (!isUuid(options.storeId) || !isUuid(options.posId) || !isUuid(options.paymentId)) throw paymentNotFound();
  const payment = await db().payment.findFirst({
    where: { AND: [{ id: options.paymentId }, paymentsOfPos(options.storeId, options.posId)] },
    select: paymentViewSelect,
  });
  if (!payment) throw paymentNotFound();
  return toPaymentView(payment);
}
