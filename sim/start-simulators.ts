/**
 * Starts the simulated outside world as real processes: the CA first, then
 * every acquirer in the config, each on its own ports, and waits until each
 * answers. Used by `npm run demo`, the browser tests and the integration tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { caUrl, loadSimConfig, type SimConfig } from './config';

export interface RunningSimulators {
  config: SimConfig;
  caUrl: string;
  acquirers: Record<string, { gatewayUrl: string; registryUrl: string; adminUrl: string }>;
  /** Stops (SIGTERM) and starts again one acquirer, keeping its state. */
  restartAcquirer(id: string): Promise<void>;
  stop(): Promise<void>;
}

type Output = (name: string, line: string, stream: 'stdout' | 'stderr') => void;

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');

function start(name: string, args: string[], env: NodeJS.ProcessEnv, output: Output): ChildProcess {
  const child = spawn(process.execPath, [tsxCli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const [stream, kind] of [[child.stdout, 'stdout'], [child.stderr, 'stderr']] as const) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) output(name, line, kind);
    });
  }
  return child;
}

async function waitFor(url: string, child: ChildProcess, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

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
    const ca = start('ca', ['sim/ca/main.ts'], env, options.output);
    children.set('ca', ca);
    await waitFor(`${caUrl(config)}/health`, ca, 'ca');
    const startAcquirer = async (id: string) => {
      const acquirer = config.acquirers.find((entry) => entry.id === id)!;
      const child = start(id, ['sim/acquirer/main.ts', id], env, options.output);
      children.set(id, child);
      await waitFor(`http://127.0.0.1:${acquirer.port}/health`, child, id);
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
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
