import { describe, expect, it } from 'vitest';
import { nestFormFields } from '@/lib/http/nest-form-fields';

describe('nestFormFields', () => {
  it('turns list.<index>.<field> names into a list of rows and keeps other fields', () => {
    expect(
      nestFormFields({
        storeName: 'Tea House',
        'contracts.1.merchantNumber': 'M-2',
        'contracts.0.acquirerCode': 'ACQ-CARD',
        'contracts.0.merchantNumber': 'M-1',
        'contracts.1.acquirerCode': 'ACQ-JCB',
      }),
    ).toEqual({
      storeName: 'Tea House',
      contracts: [
        { acquirerCode: 'ACQ-CARD', merchantNumber: 'M-1' },
        { acquirerCode: 'ACQ-JCB', merchantNumber: 'M-2' },
      ],
    });
  });

  it('keeps a gap in the indices as a gap, so errors never move to another row', () => {
    const nested = nestFormFields({ 'contracts.2.pin': '1234' });
    expect(nested.contracts).toEqual([undefined, undefined, { pin: '1234' }]);
  });

  it('leaves names it does not recognise, and huge indices, as plain fields', () => {
    expect(nestFormFields({ 'contracts.100.pin': '1', 'a.b.c': 'x', '__proto__.0.x': 'y', 'contracts.0': 'z' })).toEqual({
      'contracts.100.pin': '1',
      'a.b.c': 'x',
      '__proto__.0.x': 'y',
      'contracts.0': 'z',
    });
    expect(Object.prototype).not.toHaveProperty('x');
  });
});
