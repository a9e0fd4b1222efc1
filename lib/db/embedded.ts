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
    // Every process's pools together (app, worker with its queue, scripts): PGlite runs one session and
    // queues the rest, so a generous limit costs nothing, and a refused connection fails a request.
    maxConnections: options.maxConnections ?? 64,
  });
  isolateExtendedQueries(server);
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

/** The internals of pglite-socket's query queue that isolateExtendedQueries replaces. */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

// Frontend message types (PostgreSQL protocol, "Message Formats"): those that
// leave backend state (the unnamed statement and portal, a COPY in progress)
// waiting for the same client's next message, and those that end it.
const CONTINUES = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd'].map((letter) => letter.charCodeAt(0)));
const ENDS = new Set(['S', 'c', 'f'].map((letter) => letter.charCodeAt(0)));

/**
 * pglite-socket 0.2 schedules the frontend messages of all connections one by
 * one on the single PGlite session, keeping a connection's turn only inside a
 * SQL transaction. An extended-query batch (Parse, Bind, Execute … Sync) is not
 * a transaction, so two connections' batches interleave and one binds the
 * other's statement ("bind message supplies 19 parameters, but prepared
 * statement requires 2"); and a message that throws leaves the queue marked
 * busy forever, hanging every connection (electric-sql/pglite#1046). This
 * replaces the scheduler: a connection keeps its turn from the first message
 * of a batch until its Sync (and through an open transaction, as before), and
 * a failed message fails only itself.
 */
function isolateExtendedQueries(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let batchOwner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = batchOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((entry) => entry.handlerId === owner);
        // The owner's next message has not arrived yet: others wait for it.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1) as [QueuedMessage];
        const type = item.message[0] ?? 0;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          if (batchOwner === item.handlerId) batchOwner = null;
          item.reject(error);
          continue;
        }
        this.lastHandlerId = item.handlerId;
        if (CONTINUES.has(type)) batchOwner = item.handlerId;
        else if (ENDS.has(type) && batchOwner === item.handlerId) batchOwner = null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearQueueForHandler = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearQueueForHandler(handlerId);
    // A client that leaves mid-batch must not keep the others waiting.
    if (batchOwner === handlerId) {
      batchOwner = null;
      void queue.processQueue();
    }
  };
}
