import { appendFileSync } from 'node:fs';
import path from 'node:path';

/** Where the recorded exchanges go, in the run folder; the global teardown scans it for secrets. */
export const RESPONSES_FILE = 'responses.jsonl';

export interface Exchange {
  method: string;
  url: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

/** Appends one HTTP exchange to the run's record (one JSON line). */
export function recordExchange(exchange: Exchange): void {
  const runDir = process.env.RELIABILITY_RUN_DIR;
  if (!runDir) throw new Error('RELIABILITY_RUN_DIR is not set: the recorder runs inside the reliability suite only');
  appendFileSync(path.join(runDir, RESPONSES_FILE), JSON.stringify(exchange) + '\n');
}

/**
 * A fetch that records every answer it gets (status, headers, body) before
 * handing it back unread, so the suite's secret scan sees everything any
 * caller of ServerPOS saw. Wrap the fetch of every request a test sends.
 */
export function recordingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const request = input instanceof Request ? input : undefined;
    recordExchange({
      method: init?.method ?? request?.method ?? 'GET',
      url: typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url,
      status: response.status,
      responseHeaders: Object.fromEntries(response.headers),
      responseBody: await response.clone().text(),
    });
    return response;
  };
}
