/**
 * A real PostgreSQL server for the benchmarks and the reliability suite: the
 * one an `externalUrl` names (each user then creates its own databases in
 * it), or else one started from the machine's PostgreSQL binaries with its
 * data in `dataDir`. The benchmarks keep theirs in `.data/bench/postgres`, so
 * the big datasets are loaded once; the reliability suite starts a fresh one
 * in a temporary folder. Run as root, the server runs as the `postgres` user
 * (PostgreSQL refuses root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://… of the server's maintenance database. */
  adminUrl: string;
  /** The server's version line. */
  version: string;
  /** The postmaster's process id when the server is ours (its backends are its children). */
  pid?: number;
  /** A URL for `database`, created if it does not exist. */
  database(name: string): Promise<string>;
  /**
   * The same database through the server's Unix socket when the server is ours (TCP otherwise): how an app
   * on the database's machine connects; each round trip costs about half of loopback TCP's on this kind of VM.
   */
  localUrl(name: string): Promise<string>;
  /** Drops `database` if it exists. */
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

function postgresBin(): string {
  const candidates = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  const found = candidates.map((version) => `/usr/lib/postgresql/${version}/bin`).filter((dir) => existsSync(path.join(dir, 'pg_ctl')));
  const dir = found.at(-1);
  if (!dir) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql: install postgresql, or name a server to use');
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;
/** Runs a PostgreSQL binary as the postgres user when we are root. */
function runPg(bin: string, args: string[]): void {
  const result = asRoot ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', [bin, ...args].map((arg) => `'${arg.replaceAll("'", `'\\''`)}'`).join(' ')], { stdio: 'pipe' }) : spawnSync(bin, args, { stdio: 'pipe' });
  if (result.status !== 0) throw new Error(`${path.basename(bin)} failed: ${result.stderr?.toString().trim() || result.stdout?.toString().trim()}`);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

function handle(adminUrl: string, version: string, stop: () => Promise<void>, socketDir?: string, pid?: number): PostgresServer {
  return {
    adminUrl,
    version,
    ...(pid ? { pid } : {}),
    async localUrl(name) {
      const url = await this.database(name);
      if (!socketDir) return url;
      const parsed = new URL(url);
      return `postgres://${parsed.username}@localhost:${parsed.port}${parsed.pathname}?host=${encodeURIComponent(socketDir)}`;
    },
    async database(name) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
      const exists = await adminQuery(adminUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
      if (exists.rowCount === 0) await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
      return withDatabase(adminUrl, name);
    },
    async dropDatabase(name) {
      if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    stop,
  };
}

/** A server someone else runs, by its maintenance database's URL; stop() leaves it running. */
export async function connectPostgresServer(adminUrl: string): Promise<PostgresServer> {
  const version = (await adminQuery(adminUrl, 'SHOW server_version')).rows[0].server_version as string;
  return handle(adminUrl, `PostgreSQL ${version}`, async () => {});
}

export async function startPostgresServer(options: { dataDir: string; externalUrl?: string | undefined; sharedBuffers?: string }): Promise<PostgresServer> {
  if (options.externalUrl) return connectPostgresServer(options.externalUrl);
  const bin = postgresBin();
  const dataDir = path.resolve(options.dataDir);
  const socketDir = path.join(path.dirname(dataDir), 'socket');
  mkdirSync(socketDir, { recursive: true });
  if (asRoot) execFileSync('chown', ['postgres', path.dirname(dataDir), socketDir]);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    if (asRoot) execFileSync('chown', ['postgres', dataDir]);
    runPg(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-instructions']);
  }
  const port = await freePort();
  // Durable like production (fsync and synchronous commit stay on); room for the app's pool, the worker's and the simulators';
  // pg_stat_statements for seeing which statements the time goes to.
  const settings = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=${options.sharedBuffers ?? '512MB'} -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all`;
  runPg(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(path.dirname(dataDir), 'server.log'), '-w', '-o', settings, 'start']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const version = execFileSync(path.join(bin, 'postgres'), ['--version']).toString().trim();
  return handle(
    adminUrl,
    version,
    async () => {
      runPg(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', 'stop']);
    },
    socketDir,
    Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]),
  );
}
