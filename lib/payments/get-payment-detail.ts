import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

/**
 * One payment of the store with its order, its gateway transactions and its timeline. Another store's is not
 * found, except that an affiliate's sale through another store's POS is the affiliate's to read as well.
 */
export async function getPaymentDetail(storeId: string, paymentId: string) {
  if (!isUuid(paymentId)) throw new AppError('not_found', 'No such payment.');
  const payment = await db().payment.findFirst({
    where: { id: paymentId, OR: [{ storeId }, { affiliateStoreId: storeId }] },
    include: {
      order: { select: { shopOrderRef: true, description: true, customer: true, autoCapture: true } },
      pos: { select: { name: true } },
      acquirer: { select: { name: true, code: true } },
      transactions: { orderBy: { createdAt: 'asc' } },
      events: { orderBy: { createdAt: 'asc' } },
    },
  });
  if (!payment) throw new AppError('not_found', 'No such payment.');
  return payment;
}
