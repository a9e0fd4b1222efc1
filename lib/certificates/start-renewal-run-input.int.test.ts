import { describe, expect, it } from 'vitest';
import { deletePosCertificates } from '@/lib/certificates/delete-pos-certificates';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { retryFailedRenewals, startRenewalRun } from '@/lib/certificates/start-renewal-run';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

// Found by the bad-input fuzz of the console's actions: a POS id that is not a UUID failed the query (an unexpected error).
describe('certificate actions with ids from a form', () => {
  it('answers not_found for a POS id that is not a UUID', async () => {
    const owner = await createStoreWithOwner();
    for (const posId of ['%', 'not-a-uuid', '\u0000', '00000000-0000-0000-0000-00000000000g']) {
      await expect(startRenewalRun({ storeId: owner.storeId, actor: { type: 'STORE_USER', id: owner.userId }, posId })).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('answers not_found for a renewal run or a POS–acquirer link id that is not a UUID', async () => {
    const owner = await createStoreWithOwner();
    const actor = { type: 'STORE_USER' as const, id: owner.userId };
    for (const id of ['%', 'not-a-uuid', '']) {
      await expect(retryFailedRenewals({ storeId: owner.storeId, runId: id, actor })).rejects.toMatchObject({ code: 'not_found' });
      await expect(issuePosCertificates({ storeId: owner.storeId, posAcquirerId: id, actor })).rejects.toMatchObject({ code: 'not_found' });
      await expect(deletePosCertificates({ storeId: owner.storeId, posAcquirerId: id, actor })).rejects.toMatchObject({ code: 'not_found' });
    }
  });
});
