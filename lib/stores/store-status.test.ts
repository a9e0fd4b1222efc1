import { describe, expect, it } from 'vitest';
import type { StoreStatus } from '@/lib/db/generated/prisma/enums';
import { assertStoreStatusChange, canChangeStoreStatus, suspendedByLabel } from '@/lib/stores/store-status';

const statuses: StoreStatus[] = ['PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN'];
const allowed = new Set(['PENDING>ACTIVE', 'PENDING>WITHDRAWN', 'ACTIVE>SUSPENDED', 'ACTIVE>WITHDRAWN', 'SUSPENDED>ACTIVE', 'SUSPENDED>WITHDRAWN']);

describe('store status transitions', () => {
  for (const from of statuses) {
    for (const to of statuses) {
      const key = `${from}>${to}`;
      it(`${allowed.has(key) ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canChangeStoreStatus(from, to)).toBe(allowed.has(key));
        if (allowed.has(key)) expect(() => assertStoreStatusChange(from, to)).not.toThrow();
        else expect(() => assertStoreStatusChange(from, to)).toThrow(expect.objectContaining({ code: 'invalid_state_transition', status: 409 }));
      });
    }
  }

  it('explains a refusal in words', () => {
    expect(() => assertStoreStatusChange('SUSPENDED', 'SUSPENDED')).toThrow('Processing for this store is already suspended.');
    expect(() => assertStoreStatusChange('WITHDRAWN', 'ACTIVE')).toThrow('The store has withdrawn; its status can no longer change.');
    expect(() => assertStoreStatusChange('ACTIVE', 'PENDING')).toThrow('A store that is active cannot become pending.');
  });

  it('names who suspended', () => {
    expect(suspendedByLabel('STORE', null)).toBe('your store');
    expect(suspendedByLabel('ACQUIRER', 'Card Acquirer')).toBe('Card Acquirer');
    expect(suspendedByLabel('OPERATOR', null)).toBe('the ServerPOS operator');
  });
});
