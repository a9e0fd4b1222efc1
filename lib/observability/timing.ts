/**
 * Request timing spans: how much of a request's wall time went to waiting on
 * the database and on other services (gateways, the CA), so that what is left
 * is ServerPOS's own cost. A request opts in with `timeRequest`; code on its
 * path wraps each wait in `waitSpan`. Outside a timed request a span costs one
 * AsyncLocalStorage lookup. Overlapping waits of one kind (queries run
 * with Promise.all) count once, from the first start to the last end.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What a request waited on. */
export type WaitKind = 'db' | 'gateway' | 'ca';

export interface RequestTiming {
  /** Milliseconds from timeRequest's start to its end. */
  totalMs: number;
  /** Milliseconds spent in each kind of wait. */
  waits: Record<WaitKind, number>;
  /** How many waits of each kind (for the database: statements and waits for a pooled connection). */
  calls: Record<WaitKind, number>;
  /** totalMs less every wait: parsing, checks, crypto, serialisation. */
  ownMs: number;
}

interface Clock {
  waits: Record<WaitKind, number>;
  calls: Record<WaitKind, number>;
  /** Waits of each kind in flight, and since when the kind has been waited on. */
  inFlight: Record<WaitKind, { count: number; since: number }>;
}

const current = new AsyncLocalStorage<Clock>();

/** Runs `work` with its waits recorded; returns its result and the timing. */
export async function timeRequest<T>(work: () => Promise<T>): Promise<{ result: T; timing: RequestTiming }> {
  const waits: Record<WaitKind, number> = { db: 0, gateway: 0, ca: 0 };
  const calls: Record<WaitKind, number> = { db: 0, gateway: 0, ca: 0 };
  const inFlight = { db: { count: 0, since: 0 }, gateway: { count: 0, since: 0 }, ca: { count: 0, since: 0 } };
  const started = performance.now();
  const result = await current.run({ waits, calls, inFlight }, work);
  const totalMs = performance.now() - started;
  const waited = waits.db + waits.gateway + waits.ca;
  return { result, timing: { totalMs, waits, calls, ownMs: Math.max(0, totalMs - waited) } };
}

/** Counts the time until `pending` settles as a wait of the current timed request, if any. */
export function waitSpan<T>(kind: WaitKind, pending: () => Promise<T>): Promise<T> {
  const clock = current.getStore();
  if (!clock) return pending();
  const flight = clock.inFlight[kind];
  clock.calls[kind]++;
  if (flight.count++ === 0) flight.since = performance.now();
  const done = () => {
    if (--flight.count === 0) clock.waits[kind] += performance.now() - flight.since;
  };
  try {
    return pending().finally(done);
  } catch (error) {
    done();
    throw error;
  }
}

/** The timing as a Server-Timing header value (durations in milliseconds; each wait's count as its description). */
export function serverTimingHeader(timing: RequestTiming): string {
  const entry = (name: string, ms: number) => `${name};dur=${ms.toFixed(2)}`;
  const wait = (kind: WaitKind) => `${entry(kind, timing.waits[kind])};desc="${timing.calls[kind]} calls"`;
  return [entry('total', timing.totalMs), wait('db'), wait('gateway'), wait('ca'), entry('own', timing.ownMs)].join(', ');
}

/**
 * Reads a Server-Timing header written by serverTimingHeader: each entry's duration under its name, and a
 * wait's count under `<name>.calls` (unknown entries ignored).
 */
export function parseServerTiming(header: string | null): Record<string, number> {
  const values: Record<string, number> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /^\s*([A-Za-z0-9_-]+)\s*;\s*dur=([0-9.]+)\s*(?:;\s*desc="([0-9]+) calls"\s*)?$/.exec(part);
    if (!match) continue;
    values[match[1]!] = Number(match[2]);
    if (match[3] !== undefined) values[`${match[1]}.calls`] = Number(match[3]);
  }
  return values;
}
