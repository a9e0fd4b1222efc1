import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { connectPostgresServer } from '@/lib/testing/postgres-server';
import { startStack, type RunningStack } from '@/scripts/stack';
import type { SimConfig } from '@/sim/config';
import { freePorts, writeDemoSimConfig } from '@/sim/testing/test-merchant';

export interface Cluster extends RunningStack {
  /** The sample shop's POS API key (Sakura Books' "Web shop"), for registering orders with the SDK. */
  shopApiKey: string;
  /** The shop's state file: its orders and every webhook event it accepted, by id. */
  shopStateFile: string;
  /** Every child's output, one file per cluster, in the run's logs (scanned for secrets after the suite). */
  logFile: string;
}

/**
 * Starts the demo's whole world as real processes on a database of its own
 * (`reliability_<name>`) on the suite's PostgreSQL server: the simulated CA and
 * acquirers, the mail server, `apps` app instances (production build) and
 * `workers` workers, and the sample shop selling for Sakura Books with its
 * POS registered at the acquirers and its webhooks pointed at the shop.
 * Children can be killed and restarted by name (app, app-2, worker, worker-2…).
 */
export async function startCluster(options: {
  name: string;
  apps?: number;
  workers?: number;
  env?: Record<string, string>;
  /** Changes to the simulators' config (e.g. shorter CRL polls). */
  simulators?: (config: SimConfig) => SimConfig;
}): Promise<Cluster> {
  if (!/^[a-z0-9_]+$/.test(options.name)) throw new Error(`bad cluster name ${options.name}`);
  const runDir = process.env.RELIABILITY_RUN_DIR;
  const adminUrl = process.env.RELIABILITY_ADMIN_URL;
  if (!runDir || !adminUrl) throw new Error('startCluster runs inside the reliability suite only');
  const server = await connectPostgresServer(adminUrl);
  const databaseName = `reliability_${options.name}`;
  await server.dropDatabase(databaseName);
  const databaseUrl = await server.database(databaseName);

  const dataDir = path.join(runDir, 'clusters', options.name);
  await mkdir(dataDir, { recursive: true });
  const apps = options.apps ?? 1;
  const [appPort, smtpPort, mailHttpPort, shopPort, ...moreAppPorts] = await freePorts(4 + apps - 1);
  const simulators = await writeDemoSimConfig(dataDir, (config) => (options.simulators ?? ((same) => same))({ ...config, serverposUrl: `http://localhost:${appPort}` }));
  const logFile = path.join(runDir, 'logs', `${options.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const stack = await startStack({
    dataDir,
    simulators,
    appPort: appPort!,
    moreAppPorts,
    workers: options.workers ?? 1,
    smtpPort: smtpPort!,
    mailHttpPort: mailHttpPort!,
    embeddedDbPort: 0,
    databaseUrl,
    shop: { port: shopPort! },
    env: { OUTBOX_POLL_MS: '200', ...options.env },
    output: (name, line) => log.write(`[${name}] ${line}\n`),
  });
  const { shopApiKey } = JSON.parse(await readFile(path.join(dataDir, 'local.json'), 'utf8')) as { shopApiKey?: string };
  if (!shopApiKey) {
    await stack.stop();
    throw new Error('the sample shop got no POS API key');
  }
  return {
    ...stack,
    shopApiKey,
    shopStateFile: path.join(dataDir, 'shop', 'state.json'),
    logFile,
    stop: async () => {
      await stack.stop();
      await new Promise((resolve) => log.end(resolve));
    },
  };
}
