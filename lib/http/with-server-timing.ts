import { env } from '@/lib/env';
import { serverTimingHeader, timeRequest } from '@/lib/observability/timing';

/**
 * With SERVER_TIMING=on, the route's answer carries a Server-Timing header:
 * its total time, the database, gateway and CA waits, and what is left (own).
 * Off (the default), the handler runs as it is.
 */
export function withServerTiming<A extends unknown[]>(handler: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args) => {
    if (env().SERVER_TIMING !== 'on') return handler(...args);
    const { result, timing } = await timeRequest(() => handler(...args));
    result.headers.set('Server-Timing', serverTimingHeader(timing));
    return result;
  };
}
