/**
 * Starts the whole ServerPOS system on this machine, each part a real process
 * speaking over real sockets: the embedded database (in this process), the
 * local mail server, the simulated CA and acquirers (when asked), the worker
 * and the app. Used by `npm run demo` and by the browser tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { createPrismaClient } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/schema-engine';
import { seedDemo, type DemoLogins } from '@/lib/seed/seed-demo';
import { provisionAcquirerCliCredentials } from '@/lib/seed/provision-acquirer-cli-credentials';
import { seedDemoShop, type DemoShop } from '@/lib/seed/seed-demo-shop';
import { printPrefixed, startChild, stopChild, waitForHttp, type Output } from '@/lib/utils/child-processes';
import { loadSimConfig } from '@/sim/config';
import { startSimulators, type RunningSimulators } from '@/sim/start-simulators';
import { DEFAULT_SHOP } from '@/sim/shop/config';

export interface StackOptions {
  dataDir: string;
  appPort: number;
  smtpPort: number;
  mailHttpPort: number;
  /** Port of the embedded database; ignored when databaseUrl is given. */
  embeddedDbPort: number;
  /** A PostgreSQL server to use instead of the embedded database. */
  databaseUrl?: string;
  /** Start the simulated CA and acquirers from this config file (sim/sim.config.json for the demo). */
  simulators?: { configFile: string; dataDir: string };
  /**
   * Start the sample shop (sim/shop) too, selling for the demo store Sakura Books: a fresh POS API key on
   * every start, the POS's webhook URL at the shop, and the POS registered with its acquirers. Port: the
   * simulators' config ("shop") unless given.
   */
  shop?: { port?: number };
  /** Ports of further app instances beside the first (all on the same database); none by default. */
  moreAppPorts?: number[];
  /** How many worker processes to run; 1 by default. */
  workers?: number;
  /** Extra node options for the app's process (e.g. --cpu-prof to profile it). */
  appNodeArgs?: string[];
  /** Extra environment for the app and the worker. */
  env?: Record<string, string>;
  /** Where each child's output lines go; by default to this process's stdout/stderr, prefixed with the child's name. */
  output?: (name: string, line: string, stream: 'stdout' | 'stderr') => void;
}

export interface LocalSecrets {
  authSecret: string;
  /** MASTER_KEYS: the master key that wraps the stores' private keys, version 1. */
  masterKeys: string;
  operatorPassword: string;
  storePasswords: [string, string];
}

export interface RunningStack {
  appUrl: string;
  mailUrl: string;
  smtpUrl: string;
  databaseUrl: string;
  logins: DemoLogins;
  simulators?: RunningSimulators;
  /** The sample shop, when asked for. */
  shopUrl?: string;
  /** Every app instance's URL, the first one's (appUrl) first. */
  appUrls: string[];
  /** Process ids of the children by name (app, worker, mail, shop; further instances app-2…, worker-2…), for measuring them. */
  pids: Record<string, number>;
  /** Kills one child (app, app-2, worker, worker-2, …) with `signal`, SIGKILL unless told, and waits until it is gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed app instance or worker again, as it was started; resolves once an app answers its health check. */
  restart(name: string): Promise<void>;
  stop(): Promise<void>;
}

function readablePassword(): string {
  // 16 characters from an unambiguous alphabet, in groups a person can type.
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8, 12).join('')}-${chars.slice(12).join('')}`;
}

/** Secrets are generated on the first run and kept in the data folder. */
export async function loadOrCreateSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  try {
    const secrets = JSON.parse(await readFile(file, 'utf8')) as LocalSecrets;
    // A data folder from before master keys existed gets one now (no key was wrapped without it).
    if (!secrets.masterKeys) {
      secrets.masterKeys = `1:${randomBytes(32).toString('base64url')}`;
      await writeFile(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    }
    return secrets;
  } catch {
    const secrets: LocalSecrets = {
      authSecret: randomBytes(32).toString('base64url'),
      masterKeys: `1:${randomBytes(32).toString('base64url')}`,
      operatorPassword: readablePassword(),
      storePasswords: [readablePassword(), readablePassword()],
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    return secrets;
  }
}

export async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () => reject(new Error(`port ${port} (${what}) is already in use; stop whatever uses it and try again`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

// Children run under node directly, not through npx, so that a stop signal reaches the process itself.
const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
/**
 * The app's V8 old space, as `npm run start` sets it too. Left to itself, V8 sizes it from the machine's memory
 * and lets it grow lazily: under 128 concurrent checkouts the app reached 861 MiB resident. Its live data is far
 * smaller. (32 MiB semi-spaces as well took it to 413 MiB in a full run: the young generation stays default.)
 */
const APP_HEAP_MIB = 256;

const nextCli = path.join(path.dirname(require.resolve('next/package.json')), 'dist', 'bin', 'next');

const sourceDirs = ['app', 'components', 'lib', 'public'];
const sourceFiles = ['next.config.mjs', 'package.json', 'postcss.config.mjs', 'tsconfig.json'];

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

/** True when there is no production build, or a source file changed after it. */
export function buildIsStale(): boolean {
  const buildId = path.join(process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  return [...sourceDirs, ...sourceFiles].some((entry) => newestMtime(entry) > builtAt);
}

export async function buildApp(): Promise<void> {
  const child = spawn(process.execPath, [nextCli, 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`next build failed with code ${code}`);
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const output: Output = options.output ?? printPrefixed;
  await mkdir(options.dataDir, { recursive: true });
  const secrets = await loadOrCreateSecrets(options.dataDir);
  await assertPortFree(options.appPort, 'app');
  await assertPortFree(options.smtpPort, 'mail SMTP');
  await assertPortFree(options.mailHttpPort, 'mail inbox');

  const children: ChildProcess[] = [];
  let embedded: EmbeddedPostgres | null = null;
  let simulators: RunningSimulators | undefined;
  const stop = async () => {
    await Promise.all(children.reverse().map(stopChild));
    await simulators?.stop();
    await embedded?.stop();
  };
  const simConfig = options.simulators ? loadSimConfig(options.simulators.configFile) : undefined;
  // ServerPOS calls the simulated institutions with the sandbox's partner credential; with no simulators
  // there is nobody to call, and a random one keeps the setting honest.
  const partnerSecret = simConfig?.partnerSecret ?? randomBytes(24).toString('base64url');
  const caUrl = `http://127.0.0.1:${simConfig?.ca.port ?? 7100}`;
  const shopPort = options.shop ? (options.shop.port ?? simConfig?.shop?.port ?? DEFAULT_SHOP.port) : undefined;
  if (shopPort !== undefined) await assertPortFree(shopPort, 'sample shop');
  if (simConfig) {
    await assertPortFree(simConfig.ca.port, 'simulated CA');
    for (const acquirer of simConfig.acquirers) {
      await assertPortFree(acquirer.port, `acquirer ${acquirer.id} gateway`);
      await assertPortFree(acquirer.adminPort, `acquirer ${acquirer.id} admin`);
    }
  }

  try {
    let databaseUrl = options.databaseUrl;
    if (!databaseUrl) {
      if (options.embeddedDbPort !== 0) await assertPortFree(options.embeddedDbPort, 'embedded database');
      embedded = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, 'pglite'), port: options.embeddedDbPort });
      databaseUrl = embedded.url;
    }
    await applyMigrations(databaseUrl);
    const prisma = createPrismaClient(databaseUrl, 2);
    const acquirerUrls = Object.fromEntries(
      (simConfig?.acquirers ?? []).map((acquirer) => [acquirer.id, { gatewayUrl: `http://127.0.0.1:${acquirer.port}/set`, registryUrl: `http://127.0.0.1:${acquirer.port}/registry` }]),
    );
    let demoShop: DemoShop | undefined;
    const logins = await seedDemo(prisma, { operator: secrets.operatorPassword, stores: secrets.storePasswords }, acquirerUrls)
      .then(async (seeded) => {
        if (shopPort !== undefined) demoShop = await seedDemoShop(prisma, { webhookUrl: `http://127.0.0.1:${shopPort}/webhooks` });
        // The acquirer CLI's credential for ServerPOS's acquirer API, one per simulated acquirer (kept while valid).
        if (simConfig && options.simulators) await provisionAcquirerCliCredentials(prisma, { simDataDir: options.simulators.dataDir, acquirerCodes: simConfig.acquirers.map((acquirer) => acquirer.id) });
        return seeded;
      })
      .finally(() => prisma.$disconnect());

    const appUrl = `http://localhost:${options.appPort}`;
    const smtpUrl = `smtp://127.0.0.1:${options.smtpPort}`;
    const mailUrl = `http://127.0.0.1:${options.mailHttpPort}/`;
    // What `npm run worker` and the app fall back to when started by hand beside the demo.
    await writeFile(
      path.join(options.dataDir, 'local.json'),
      JSON.stringify({ databaseUrl, authSecret: secrets.authSecret, smtpUrl, masterKeys: secrets.masterKeys, partnerSecret, ...(demoShop ? { shopApiKey: demoShop.apiKey } : {}) }, null, 2) + '\n',
      { mode: 0o600 },
    );

    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      SERVERPOS_DATA_DIR: options.dataDir,
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: secrets.authSecret,
      SMTP_URL: smtpUrl,
      APP_URL: appUrl,
      MASTER_KEYS: secrets.masterKeys,
      PARTNER_SECRET: partnerSecret,
      CA_URL: caUrl,
      ...options.env,
    };

    if (options.simulators) {
      simulators = await startSimulators({ configFile: options.simulators.configFile, output, env: { SIM_DATA_DIR: options.simulators.dataDir } });
    }

    const mail = startChild('mail', process.execPath, [tsxCli, 'sim/mail/main.ts'], { ...childEnv, MAIL_SMTP_PORT: String(options.smtpPort), MAIL_HTTP_PORT: String(options.mailHttpPort) }, output);
    children.push(mail);
    await waitForHttp(`${mailUrl}api/messages`, 30_000, mail, 'mail');

    // Each restartable child by name (app, app-2…, worker, worker-2…), with how to start it again.
    const restartable = new Map<string, { child: ChildProcess; launch: () => ChildProcess; healthUrl?: string }>();
    const launchInto = (name: string, launch: () => ChildProcess, healthUrl?: string) => {
      const child = launch();
      children.push(child);
      restartable.set(name, { child, launch, ...(healthUrl ? { healthUrl } : {}) });
      return child;
    };
    const workerCount = options.workers ?? 1;
    for (let index = 1; index <= workerCount; index++) {
      const name = index === 1 ? 'worker' : `worker-${index}`;
      // tsx as a loader in the worker's own process, not its CLI: the CLI runs the script in a child process of
      // its own, so kill('worker', 'SIGKILL') killed the CLI and left the worker running, orphaned.
      launchInto(name, () => startChild(name, process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], childEnv, output));
    }
    const appPorts = [options.appPort, ...(options.moreAppPorts ?? [])];
    for (const [index, port] of appPorts.entries()) {
      const name = index === 0 ? 'app' : `app-${index + 1}`;
      const healthUrl = `http://127.0.0.1:${port}/api/health`;
      const child = launchInto(
        name,
        () => startChild(name, process.execPath, [`--max-old-space-size=${APP_HEAP_MIB}`, ...(options.appNodeArgs ?? []), nextCli, 'start', '-p', String(port), '-H', '127.0.0.1'], childEnv, output),
        healthUrl,
      );
      await waitForHttp(healthUrl, 60_000, child, name);
    }
    const kill = async (name: string, signal: NodeJS.Signals = 'SIGKILL') => {
      const entry = restartable.get(name);
      if (!entry) throw new Error(`no restartable child named ${name}`);
      const { child } = entry;
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    };
    const restart = async (name: string) => {
      const entry = restartable.get(name);
      if (!entry) throw new Error(`no restartable child named ${name}`);
      if (entry.child.exitCode === null && entry.child.signalCode === null) throw new Error(`${name} is still running`);
      entry.child = entry.launch();
      children.push(entry.child);
      if (entry.healthUrl) await waitForHttp(entry.healthUrl, 60_000, entry.child, name);
    };

    let shopUrl: string | undefined;
    let shop: ChildProcess | undefined;
    if (demoShop && shopPort !== undefined) {
      const setupEnv = { ...childEnv, DEMO_SHOP_STORE_ID: demoShop.storeId, DEMO_SHOP_POS_ID: demoShop.posId, DEMO_MAIL_URL: mailUrl };
      const setup = startChild('shop-setup', process.execPath, [tsxCli, 'scripts/register-demo-shop.ts'], setupEnv, output);
      const code = await new Promise<number | null>((resolve) => setup.once('exit', resolve));
      if (code !== 0) output('shop-setup', 'the sample shop cannot take payments until "Web shop" of Sakura Books is registered with an acquirer (console → Certificates, with the number from the acquirer’s e-mail)', 'stderr');
      shopUrl = `http://127.0.0.1:${shopPort}`;
      const shopEnv: NodeJS.ProcessEnv = {
        ...process.env,
        ...(options.simulators ? { SIM_CONFIG: options.simulators.configFile } : {}),
        SHOP_PORT: String(shopPort),
        SHOP_PUBLIC_URL: shopUrl,
        SHOP_DATA_DIR: path.join(options.dataDir, 'shop'),
        // Server to server: the address the app listens on, not the name browsers use.
        SERVERPOS_URL: `http://127.0.0.1:${options.appPort}`,
        SHOP_API_KEY: demoShop.apiKey,
      };
      shop = startChild('shop', process.execPath, [tsxCli, 'sim/shop/main.ts'], shopEnv, output);
      children.push(shop);
      await waitForHttp(`${shopUrl}/health`, 30_000, shop, 'shop');
    }

    const pids: Record<string, number> = {};
    for (const [name, child] of [['mail', mail], ['shop', shop]] as const) if (child?.pid) pids[name] = child.pid;
    for (const [name, entry] of restartable) if (entry.child.pid) pids[name] = entry.child.pid;
    const appUrls = appPorts.map((port) => `http://localhost:${port}`);
    return {
      appUrl,
      appUrls,
      mailUrl,
      smtpUrl,
      databaseUrl,
      logins,
      ...(simulators ? { simulators } : {}),
      ...(shopUrl ? { shopUrl } : {}),
      pids,
      kill: async (name, signal) => {
        await kill(name, signal);
        delete pids[name];
      },
      restart: async (name) => {
        await restart(name);
        pids[name] = restartable.get(name)!.child.pid!;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
