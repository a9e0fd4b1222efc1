import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { assertStoreCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

describe('assertStoreCanAuthorize', () => {
  it('lets only an active store through, inside a transaction too', async () => {
    const active = await createStoreWithOwner({ status: 'ACTIVE' });
    await expect(assertStoreCanAuthorize(db(), active.storeId)).resolves.toBeUndefined();
    await expect(db().$transaction((tx) => assertStoreCanAuthorize(tx, active.storeId))).resolves.toBeUndefined();
  });

  it.each([
    ['PENDING', 'This store is not active yet: it cannot take payments.'],
    ['SUSPENDED', 'Processing for this store is suspended: it cannot take payments through any acquirer.'],
    ['WITHDRAWN', 'This store has withdrawn from ServerPOS: it cannot take payments.'],
  ] as const)('refuses a %s store with store_inactive', async (status, message) => {
    const store = await createStoreWithOwner({ status });
    await expect(assertStoreCanAuthorize(db(), store.storeId)).rejects.toMatchObject({ code: 'store_inactive', status: 409, message });
  });

  it('answers not_found for a store that does not exist or an id that is not one', async () => {
    await expect(assertStoreCanAuthorize(db(), randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    await expect(assertStoreCanAuthorize(db(), 'not-an-id')).rejects.toMatchObject({ code: 'not_found' });
  });
});
