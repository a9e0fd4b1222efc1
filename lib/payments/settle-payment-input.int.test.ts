import { describe, expect, it } from 'vitest';
import { settlePayment } from '@/lib/payments/settle-payment';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

// Found by the bad-input fuzz of the console's actions: a payment id that is not a UUID failed the ::uuid cast (an unexpected error).
describe('settlePayment with a payment id from a form', () => {
  it('answers not_found for a payment id that is not a UUID, whatever the settlement', async () => {
    const owner = await createStoreWithOwner();
    for (const kind of ['capture', 'void', 'refund'] as const) {
      for (const paymentId of ['%', 'not-a-uuid', '', '\u0000']) {
        await expect(settlePayment(kind, { storeId: owner.storeId, paymentId, actor: { type: 'STORE_USER', id: owner.userId } })).rejects.toMatchObject({ code: 'not_found' });
      }
    }
  });
});
