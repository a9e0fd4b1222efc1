import { describe, expect, it } from 'vitest';
import { readConnectionTestDetail, soonestCertificateEnd, type ConnectionTestDetail } from '@/lib/operator/connection-test-detail';

const chain = (usage: 'signature' | 'keyExchange', ...notAfter: string[]) => ({
  usage,
  ok: true,
  certificates: notAfter.map((end, index) => ({ subject: `CN=${usage}-${index}`, serialNumber: `0${index}`, notAfter: end })),
});

const detail = (chains: ConnectionTestDetail['certificates']['chains']): ConnectionTestDetail => ({ certificates: { url: 'http://gateway.test/set/certificates', chains }, exchange: { ran: false } });

describe('connection test detail', () => {
  it('finds the soonest end among the leaf certificates, not their issuers', () => {
    const read = detail([chain('signature', '2031-05-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z'), chain('keyExchange', '2031-03-01T00:00:00.000Z', '2040-01-01T00:00:00.000Z')]);
    expect(soonestCertificateEnd(read)).toEqual({ usage: 'keyExchange', notAfter: new Date('2031-03-01T00:00:00.000Z') });
  });

  it('has no end when no certificate was seen or the dates do not parse', () => {
    expect(soonestCertificateEnd(null)).toBeNull();
    expect(soonestCertificateEnd(detail([]))).toBeNull();
    expect(soonestCertificateEnd(detail([chain('signature', 'not a date')]))).toBeNull();
  });

  it('reads a stored detail back, and another shape as null rather than failing', () => {
    const stored = detail([chain('signature', '2031-05-01T00:00:00.000Z')]);
    expect(readConnectionTestDetail(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    expect(readConnectionTestDetail({})).toBeNull();
    expect(readConnectionTestDetail({ certificates: { chains: 'none' }, exchange: {} })).toBeNull();
  });
});
