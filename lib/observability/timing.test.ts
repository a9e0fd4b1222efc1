import { describe, expect, it } from 'vitest';
import { parseServerTiming, serverTimingHeader, timeRequest, waitSpan } from './timing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('request timing spans', () => {
  it('separates the waits of a request from its own work', async () => {
    const { result, timing } = await timeRequest(async () => {
      busy(15);
      await waitSpan('db', () => sleep(30));
      await waitSpan('gateway', () => sleep(40));
      await waitSpan('db', () => sleep(20));
      return 'done';
    });
    expect(result).toBe('done');
    expect(timing.waits.db).toBeGreaterThanOrEqual(48);
    expect(timing.waits.gateway).toBeGreaterThanOrEqual(38);
    expect(timing.waits.ca).toBe(0);
    expect(timing.calls).toEqual({ db: 2, gateway: 1, ca: 0 });
    expect(timing.ownMs).toBeGreaterThanOrEqual(14);
    expect(timing.ownMs).toBeLessThan(timing.totalMs - 80);
  });

  it('keeps concurrent requests apart and records nothing outside a timed request', async () => {
    const [slow, fast] = await Promise.all([
      timeRequest(() => waitSpan('db', () => sleep(60))),
      timeRequest(() => waitSpan('gateway', () => sleep(10))),
      waitSpan('db', () => sleep(5)),
    ]);
    expect(slow.timing.waits.db).toBeGreaterThanOrEqual(58);
    expect(slow.timing.waits.gateway).toBe(0);
    expect(fast.timing.waits.db).toBe(0);
    expect(fast.timing.waits.gateway).toBeGreaterThanOrEqual(8);
  });

  it('counts overlapping waits of one kind once', async () => {
    const { timing } = await timeRequest(async () => {
      await Promise.all([waitSpan('db', () => sleep(40)), waitSpan('db', () => sleep(30)), waitSpan('db', () => sleep(20))]);
    });
    expect(timing.waits.db).toBeGreaterThanOrEqual(38);
    expect(timing.waits.db).toBeLessThan(70);
    expect(timing.calls.db).toBe(3);
  });

  it('counts a failed wait and passes its error on', async () => {
    const { result, timing } = await timeRequest(() => waitSpan('ca', () => sleep(10).then(() => Promise.reject(new Error('refused')))).catch((error: Error) => error.message));
    expect(result).toBe('refused');
    expect(timing.waits.ca).toBeGreaterThanOrEqual(8);
  });

  it('round-trips through a Server-Timing header', () => {
    const header = serverTimingHeader({ totalMs: 12.345, waits: { db: 4, gateway: 5.5, ca: 0 }, calls: { db: 7, gateway: 1, ca: 0 }, ownMs: 2.845 });
    expect(header).toBe('total;dur=12.35, db;dur=4.00;desc="7 calls", gateway;dur=5.50;desc="1 calls", ca;dur=0.00;desc="0 calls", own;dur=2.85');
    expect(parseServerTiming(header)).toEqual({ total: 12.35, db: 4, 'db.calls': 7, gateway: 5.5, 'gateway.calls': 1, ca: 0, 'ca.calls': 0, own: 2.85 });
    expect(parseServerTiming(null)).toEqual({});
    expect(parseServerTiming('x;desc="y", own;dur=1')).toEqual({ own: 1 });
  });
});
