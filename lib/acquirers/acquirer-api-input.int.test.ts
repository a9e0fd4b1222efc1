import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getAcquirerStore } from '@/lib/acquirers/get-acquirer-store';
import { listAcquirerStores } from '@/lib/acquirers/list-acquirer-stores';
import { db } from '@/lib/db/client';

// Found by the bad-input fuzz: a NUL byte in a merchant number or a cursor reached PostgreSQL, which failed the query (a 500).
describe('the acquirer API refuses merchant numbers and cursors that cannot be one', () => {
  const acquirer = () => db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name: 'Input Test', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' }, select: { id: true } });

  it('answers not_found for a merchant number with a NUL byte, control characters or of another form', async () => {
    const { id } = await acquirer();
    for (const merchantNumber of ['\u0000', 'M-1\u0000', 'M 1', 'M-é', '../M-1', 'M'.repeat(41), '']) {
      await expect(getAcquirerStore({ acquirerId: id, merchantNumber })).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('refuses a cursor that no page ends with', async () => {
    const { id } = await acquirer();
    for (const cursor of ['\u0000', 'M-1\u0000', '%', 'M'.repeat(41)]) {
      await expect(listAcquirerStores({ acquirerId: id, query: { cursor } })).rejects.toMatchObject({ code: 'validation_failed' });
    }
    expect(await listAcquirerStores({ acquirerId: id, query: { cursor: 'M-0001' } })).toEqual({ stores: [], nextCursor: null });
  });
});
