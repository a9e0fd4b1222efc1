/**
 * Starts the simulated outside world as real processes: the CA first, then
 * every acquirer in the config, each on its own ports, and waits until each
 * answers. Used by `npm run demo` and the integration tests.
 */
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { startChild, stopChild, waitForHttp, type Output } from '@/lib/utils/child-processes';
import { caUrl, loadSimConfig, type SimConfig } from './config';

export interface RunningSimulators {
  config: SimConfig;
  caUrl: string;
  acquirers: Record<string, { gatewayUrl: string; registryUrl: string; adminUrl: string }>;
  /** Stops (SIGTERM) and starts again one acquirer, keeping its state. */
  restartAcquirer(id: string): Promise<void>;
  /** Process ids of the running simulators by name (ca and the acquirers' ids), for measuring them. */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');

export async function startSimulators(options: { configFile: string; output: Output; env?: Record<string, string> }): Promise<RunningSimulators> {
  const env = { ...process.env, ...options.env, SIM_CONFIG: options.configFile };
  const config = loadSimConfig(options.configFile);
  const children = new Map<string, ChildProcess>();
  const stop = async () => {
    await Promise.all([...children.entries()].filter(([name]) => name !== 'ca').map(([, child]) => stopChild(child)));
    const ca = children.get('ca');
    if (ca) await stopChild(ca);
  };
  try {
    const ca = startChild('ca', process.execPath, [tsxCli, 'sim/ca/main.ts'], env, options.output);
    children.set('ca', ca);
    await waitForHttp(`${caUrl(config)}/health`, 60_000, ca, 'ca');
    const startAcquirer = async (id: string) => {
      const acquirer = config.acquirers.find((entry) => entry.id === id)!;
      const child = startChild(id, process.execPath, [tsxCli, 'sim/acquirer/main.ts', id], env, options.output);
      children.set(id, child);
      await waitForHttp(`http://127.0.0.1:${acquirer.port}/health`, 60_000, child, id);
    };
    await Promise.all(config.acquirers.map((acquirer) => startAcquirer(acquirer.id)));
    return {
      config,
      caUrl: caUrl(config),
      acquirers: Object.fromEntries(
        config.acquirers.map((acquirer) => [
          acquirer.id,
          { gatewayUrl: `http://127.0.0.1:${acquirer.port}/set`, registryUrl: `http://127.0.0.1:${acquirer.port}/registry`, adminUrl: `http://127.0.0.1:${acquirer.adminPort}/admin` },
        ]),
      ),
      async restartAcquirer(id) {
        const child = children.get(id);
        if (child) await stopChild(child);
        await startAcquirer(id);
      },
      pids: () => Object.fromEntries([...children].flatMap(([name, child]) => (child.pid ? [[name, child.pid]] : []))),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
