import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from '@/lib/payments/csv';

describe('csvField', () => {
  it('leaves plain values alone and writes nothing for a missing one', () => {
    expect(csvField('ORD-1')).toBe('ORD-1');
    expect(csvField(12_800)).toBe('12800');
    expect(csvField(10n ** 12n)).toBe('1000000000000');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes a comma, a quote or a line break, doubling quotes inside (RFC 4180)', () => {
    expect(csvField('Shop "A", Tokyo')).toBe('"Shop ""A"", Tokyo"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField('"')).toBe('""""');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvField('+81 3 1234')).toBe("'+81 3 1234");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('a=b')).toBe('a=b');
  });

  it('does not prefix numbers, which are never formulas', () => {
    expect(csvField(-5)).toBe('-5');
  });
});

describe('csvRow', () => {
  it('joins fields with commas and ends with CRLF', () => {
    expect(csvRow(['a', 'b,c', null, 3])).toBe('a,"b,c",,3\r\n');
  });
});
