/**
 * Which acquirer carries a payment: a pure decision over what the checkout loaded, so it can be tested
 * without a database. No Prisma, no Next.js.
 */

/** An acquirer the order's POS may authorise through now (registered, contract verified, acquirer active). */
export interface RouteCandidate {
  posAcquirerId: string;
  acquirer: { id: string; code: string; name: string; brands: readonly string[] };
}

/** A row of the operator's BIN-range table. */
export interface RouteBinRange {
  id: string;
  acquirerId: string;
  brand: string;
  /** Inclusive bounds, digit strings of one length (6 to 8). */
  binFrom: string;
  binTo: string;
}

/** Why this acquirer: a BIN range that holds the card's BIN, or the fallback. */
export type RoutingRule = { kind: 'bin_range'; binRangeId: string; binFrom: string; binTo: string } | { kind: 'fallback' };

export type Route<C extends RouteCandidate = RouteCandidate> = C & { rule: RoutingRule };

const BIN_DIGITS = 8;

/** True when the range's bounds are digit strings of one length, 6 to 8, from ≤ to. */
export function isWellFormedBinRange(range: { binFrom: string; binTo: string }): boolean {
  return /^[0-9]{6,8}$/.test(range.binFrom) && range.binFrom.length === range.binTo.length && /^[0-9]+$/.test(range.binTo) && range.binFrom <= range.binTo;
}

/**
 * The range holds the BIN when the BIN has at least as many digits as the bounds and its leading digits
 * of that length lie between them. A 7- or 8-digit range cannot be judged from a 6-digit BIN, so it does
 * not hold one: better the fallback than a guess.
 */
export function binRangeHolds(range: { binFrom: string; binTo: string }, bin: string): boolean {
  if (!isWellFormedBinRange(range) || !/^[0-9]{6,8}$/.test(bin) || bin.length < range.binFrom.length) return false;
  // Equal-length digit strings compare as their numbers do.
  const prefix = bin.slice(0, range.binFrom.length);
  return range.binFrom <= prefix && prefix <= range.binTo;
}

/** How many 8-digit BINs the range spans, so ranges of different lengths compare by how narrow they are. */
export function binRangeWidth(range: { binFrom: string; binTo: string }): bigint {
  const scale = 10n ** BigInt(BIN_DIGITS - range.binFrom.length);
  return (BigInt(range.binTo) - BigInt(range.binFrom) + 1n) * scale;
}

const byName = (a: RouteCandidate, b: RouteCandidate) => (a.acquirer.name < b.acquirer.name ? -1 : a.acquirer.name > b.acquirer.name ? 1 : a.acquirer.code < b.acquirer.code ? -1 : a.acquirer.code > b.acquirer.code ? 1 : 0);

/**
 * Chooses the acquirer for a brand (and the card's BIN, when the wallet sent one) among the candidates:
 *
 * 1. only candidates that take the brand count;
 * 2. among the BIN ranges of those candidates for that brand that hold the BIN, the narrowest wins
 *    (a more specific range is a more deliberate choice by the operator); equal widths go to the acquirer
 *    first by name;
 * 3. no range holds the BIN (or there is no BIN, e.g. a bank transfer): the fallback is the candidate
 *    first by name, as routing was before the table existed;
 * 4. no candidate takes the brand: null, and the checkout refuses the brand.
 */
export function routeAcquirer<C extends RouteCandidate>(input: { brand: string; bin?: string | null; candidates: readonly C[]; binRanges: readonly RouteBinRange[] }): Route<C> | null {
  const eligible = input.candidates.filter((candidate) => candidate.acquirer.brands.includes(input.brand)).sort(byName);
  const fallback = eligible[0];
  if (!fallback) return null;
  const bin = input.bin ?? null;
  if (bin !== null) {
    let best: { candidate: C; range: RouteBinRange; width: bigint } | null = null;
    for (const range of input.binRanges) {
      if (range.brand !== input.brand || !binRangeHolds(range, bin)) continue;
      const candidate = eligible.find((entry) => entry.acquirer.id === range.acquirerId);
      if (!candidate) continue;
      const width = binRangeWidth(range);
      const better =
        !best ||
        width < best.width ||
        (width === best.width && (byName(candidate, best.candidate) < 0 || (candidate === best.candidate && range.id < best.range.id)));
      if (better) best = { candidate, range, width };
    }
    if (best) return { ...best.candidate, rule: { kind: 'bin_range', binRangeId: best.range.id, binFrom: best.range.binFrom, binTo: best.range.binTo } };
  }
  return { ...fallback, rule: { kind: 'fallback' } };
}

/** The routing rule as the payment's timeline says it. */
export function describeRoutingRule(rule: unknown): string | null {
  if (!rule || typeof rule !== 'object') return null;
  const value = rule as Record<string, unknown>;
  if (value.kind === 'bin_range' && typeof value.binFrom === 'string' && typeof value.binTo === 'string') {
    return value.binFrom === value.binTo ? `BIN range ${value.binFrom}` : `BIN range ${value.binFrom}–${value.binTo}`;
  }
  if (value.kind === 'fallback') return 'fallback: first acquirer by name';
  return null;
}
