import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WebAssembly) served over
 * the PostgreSQL wire protocol on loopback, so the app, the worker and every
 * pg-based library reach it through an ordinary postgres:// URL, exactly as they
 * reach a real server. PGlite is one session underneath: a transaction on one
 * connection makes the others wait.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  /** A folder for the data, or null for a throwaway in-memory database. */
  dataDir: string | null;
  port?: number;
  maxConnections?: number;
}): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ?? 'memory://');
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 16,
  });
  await server.start();
  // The socket server does not expose its bound port; read it off the net.Server.
  const netServer = (server as unknown as { server: { address(): AddressInfo | string | null } | null }).server;
  const address = netServer?.address();
  if (!address || typeof address === 'string') throw new Error('embedded database: could not read its port');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${address.port}/postgres`,
    port: address.port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
