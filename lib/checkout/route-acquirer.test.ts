import { describe, expect, it } from 'vitest';
import { binRangeHolds, binRangeWidth, describeRoutingRule, isWellFormedBinRange, routeAcquirer, type RouteBinRange, type RouteCandidate } from '@/lib/checkout/route-acquirer';

const candidate = (id: string, name: string, brands: string[]): RouteCandidate => ({ posAcquirerId: `link-${id}`, acquirer: { id, code: `ACQ-${id}`, name, brands } });
const aozora = candidate('a', 'Aozora Card Services', ['VISA', 'MASTER']);
const fuji = candidate('b', 'Fuji Card Acquiring', ['VISA', 'JCB']);
const minato = candidate('c', 'Minato Bank Transfers', ['BANK']);
const range = (id: string, acquirerId: string, brand: string, binFrom: string, binTo: string): RouteBinRange => ({ id, acquirerId, brand, binFrom, binTo });

describe('routeAcquirer', () => {
  it('routes a BIN inside a range to that range’s acquirer, even when another comes first by name', () => {
    const route = routeAcquirer({ brand: 'VISA', bin: '411111', candidates: [aozora, fuji], binRanges: [range('r1', 'b', 'VISA', '411100', '411199')] });
    expect(route).toMatchObject({ acquirer: { id: 'b' }, posAcquirerId: 'link-b', rule: { kind: 'bin_range', binRangeId: 'r1', binFrom: '411100', binTo: '411199' } });
  });

  it('falls back to the first acquirer by name (not by the order given) when no range holds the BIN, or there is no BIN', () => {
    const ranges = [range('r1', 'b', 'VISA', '411100', '411199')];
    expect(routeAcquirer({ brand: 'VISA', bin: '422222', candidates: [fuji, aozora], binRanges: ranges })).toMatchObject({ acquirer: { id: 'a' }, rule: { kind: 'fallback' } });
    expect(routeAcquirer({ brand: 'VISA', candidates: [fuji, aozora], binRanges: ranges })).toMatchObject({ acquirer: { id: 'a' }, rule: { kind: 'fallback' } });
    expect(routeAcquirer({ brand: 'VISA', bin: null, candidates: [fuji, aozora], binRanges: ranges })).toMatchObject({ acquirer: { id: 'a' }, rule: { kind: 'fallback' } });
  });

  it('lets the narrowest range win, whatever its length, and breaks equal widths by acquirer name', () => {
    const wide = range('wide', 'a', 'VISA', '400000', '499999');
    const narrow = range('narrow', 'b', 'VISA', '411111', '411111');
    expect(routeAcquirer({ brand: 'VISA', bin: '411111', candidates: [aozora, fuji], binRanges: [wide, narrow] })).toMatchObject({ acquirer: { id: 'b' }, rule: { binRangeId: 'narrow' } });
    // A 6-digit range of one BIN (100 eight-digit BINs) is wider than an 8-digit range of 50.
    const eight = range('eight', 'a', 'VISA', '41111100', '41111149');
    expect(routeAcquirer({ brand: 'VISA', bin: '41111120', candidates: [aozora, fuji], binRanges: [narrow, eight] })).toMatchObject({ acquirer: { id: 'a' }, rule: { binRangeId: 'eight' } });
    const tieA = range('tie-a', 'a', 'VISA', '411100', '411199');
    const tieB = range('tie-b', 'b', 'VISA', '411100', '411199');
    expect(routeAcquirer({ brand: 'VISA', bin: '411150', candidates: [fuji, aozora], binRanges: [tieB, tieA] })).toMatchObject({ acquirer: { id: 'a' }, rule: { binRangeId: 'tie-a' } });
  });

  it('ignores ranges of another brand, of an acquirer the POS cannot use, or of one that does not take the brand', () => {
    const ranges = [range('master', 'b', 'MASTER', '411100', '411199'), range('elsewhere', 'z', 'VISA', '411100', '411199'), range('jcb-only', 'c', 'VISA', '411100', '411199')];
    expect(routeAcquirer({ brand: 'VISA', bin: '411111', candidates: [aozora, fuji, minato], binRanges: ranges })).toMatchObject({ acquirer: { id: 'a' }, rule: { kind: 'fallback' } });
  });

  it('answers null when no candidate takes the brand', () => {
    expect(routeAcquirer({ brand: 'JCB', bin: '353011', candidates: [aozora, minato], binRanges: [] })).toBeNull();
    expect(routeAcquirer({ brand: 'VISA', bin: '411111', candidates: [], binRanges: [range('r', 'a', 'VISA', '411111', '411111')] })).toBeNull();
  });
});

describe('BIN ranges', () => {
  it('hold a BIN by its leading digits of the range’s length, bounds included', () => {
    expect(binRangeHolds({ binFrom: '411100', binTo: '411199' }, '411100')).toBe(true);
    expect(binRangeHolds({ binFrom: '411100', binTo: '411199' }, '411199')).toBe(true);
    expect(binRangeHolds({ binFrom: '411100', binTo: '411199' }, '411200')).toBe(false);
    expect(binRangeHolds({ binFrom: '411100', binTo: '411199' }, '41119999')).toBe(true);
    // Eight digits cannot be judged from six.
    expect(binRangeHolds({ binFrom: '41111100', binTo: '41111199' }, '411111')).toBe(false);
    expect(binRangeHolds({ binFrom: '411100', binTo: '411199' }, '4111')).toBe(false);
  });

  it('are well formed only as equal-length digit strings of 6 to 8, from ≤ to', () => {
    expect(isWellFormedBinRange({ binFrom: '400000', binTo: '499999' })).toBe(true);
    expect(isWellFormedBinRange({ binFrom: '40000000', binTo: '40000000' })).toBe(true);
    expect(isWellFormedBinRange({ binFrom: '40000', binTo: '49999' })).toBe(false);
    expect(isWellFormedBinRange({ binFrom: '400000', binTo: '4999999' })).toBe(false);
    expect(isWellFormedBinRange({ binFrom: '499999', binTo: '400000' })).toBe(false);
    expect(isWellFormedBinRange({ binFrom: '40000a', binTo: '499999' })).toBe(false);
  });

  it('measure their width in 8-digit BINs', () => {
    expect(binRangeWidth({ binFrom: '411111', binTo: '411111' })).toBe(100n);
    expect(binRangeWidth({ binFrom: '4111110', binTo: '4111119' })).toBe(100n);
    expect(binRangeWidth({ binFrom: '41111100', binTo: '41111100' })).toBe(1n);
  });

  it('describe the rule for the timeline', () => {
    expect(describeRoutingRule({ kind: 'bin_range', binRangeId: 'x', binFrom: '411100', binTo: '411199' })).toBe('BIN range 411100–411199');
    expect(describeRoutingRule({ kind: 'bin_range', binRangeId: 'x', binFrom: '411111', binTo: '411111' })).toBe('BIN range 411111');
    expect(describeRoutingRule({ kind: 'fallback' })).toBe('fallback: first acquirer by name');
    expect(describeRoutingRule(undefined)).toBeNull();
  });
});
