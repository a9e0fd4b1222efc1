/**
 * What every simulated party needs from the CA: its root (pinned on first
 * contact and kept under the party's own state folder, so a later CA with
 * another root is refused rather than trusted) and its CRLs, fetched on a
 * schedule into the store that chain validation reads.
 */
import path from 'node:path';
import type { InMemoryCrlStore} from '@/lib/pki';
import { ChainValidator, parseCertificate, parseCrl, type x509 } from '@/lib/pki';
import { InMemoryReplayCache, type Party } from '@/lib/set';
import { caUrl, type SimConfig } from '../config';
import { readJson, writeJsonAtomic } from './persistence';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GETs a CA endpoint, waiting for the CA to come up (it may start alongside). */
export async function fetchFromCa<T>(config: SimConfig, endpoint: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${caUrl(config)}${endpoint}`, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return (await response.json()) as T;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`the CA at ${caUrl(config)} did not answer ${endpoint} (${lastError})`);
}

/** The CA root, pinned in `<stateDir>/trust.json` the first time it is seen. */
export async function pinnedRoot(config: SimConfig, stateDir: string): Promise<x509.X509Certificate> {
  const file = path.join(stateDir, 'trust.json');
  const pinned = readJson<{ root: string }>(file);
  const { root } = await fetchFromCa<{ root: string }>(config, '/ca/certificates');
  if (pinned && pinned.root !== root) throw new Error(`the CA's root changed since it was pinned in ${file}; delete that file (or ${config.dataDir}) to trust the new one`);
  if (!pinned) writeJsonAtomic(file, { root });
  return parseCertificate(root);
}

/** Fetches the CA's current CRLs into `store`. */
export async function refreshCrls(config: SimConfig, store: InMemoryCrlStore): Promise<void> {
  const { crls } = await fetchFromCa<{ crls: string[] }>(config, '/ca/crls', 10_000);
  for (const crl of crls) store.put(parseCrl(new Uint8Array(Buffer.from(crl, 'base64'))));
}

/** Fetches the CA's CRLs into `store` now and then every `crlPollSeconds`. */
export async function startCrlPolling(config: SimConfig, store: InMemoryCrlStore, onError: (message: string) => void): Promise<() => void> {
  const refresh = () => refreshCrls(config, store);
  await refresh();
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await sleep(config.crlPollSeconds * 1000);
      if (stopped) break;
      await refresh().catch((error: unknown) => onError(error instanceof Error ? error.message : String(error)));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

/** A Party that trusts the pinned root and the polled CRLs. */
export function partyFor(root: x509.X509Certificate, crls: InMemoryCrlStore, options: { replayCache?: boolean } = {}): Party {
  return {
    validator: new ChainValidator({ trustAnchors: [root], crls }),
    ...(options.replayCache === false ? {} : { replayCache: new InMemoryReplayCache() }),
  };
}
