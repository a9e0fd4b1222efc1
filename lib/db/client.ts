import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma as PrismaRuntime, PrismaClient } from '@/lib/db/generated/prisma/client';
import { env } from '@/lib/env';
import { waitSpan } from '@/lib/observability/timing';

export type { Prisma } from '@/lib/db/generated/prisma/client';
export type Db = PrismaClient;
/** A transaction client, as handed to `db().$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const globalForPrisma = globalThis as unknown as { serverposPrisma?: PrismaClient; serverposPool?: pg.Pool };

export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return createPrismaClientOn(createPool(databaseUrl, poolSize));
}

/** A pool whose statements, and waits for a connection, count as database waits of a timed request. */
function createPool(databaseUrl: string, poolSize: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // Each statement, and each wait for a free connection, counts as a database wait of a timed request. Only the
  // promise forms are timed: the pool's own query() goes through the callback forms, so nothing counts twice.
  const timed = <F extends (...args: never[]) => unknown>(call: F): F =>
    ((...args: Parameters<F>) => (typeof args.at(-1) === 'function' ? call(...args) : waitSpan('db', () => call(...args) as Promise<unknown>))) as F;
  pool.connect = timed(pool.connect.bind(pool));
  pool.query = timed(pool.query.bind(pool));
  pool.on('connect', (client) => {
    client.query = timed(client.query.bind(client));
  });
  return pool;
}

function createPrismaClientOn(pool: pg.Pool): PrismaClient {
  // Under load a transaction may queue for a connection: it waits its turn rather than fail (Prisma's default is 2 s).
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions: { maxWait: 10_000, timeout: 15_000 } });
}

/** The process-wide Prisma client (kept across hot reloads in development). */
export function db(): PrismaClient {
  globalForPrisma.serverposPrisma ??= createPrismaClientOn(dbPool());
  return globalForPrisma.serverposPrisma;
}

/** The process-wide connection pool, which db()'s Prisma client shares: for plain SQL (lib/db/sql.ts). */
export function dbPool(): pg.Pool {
  globalForPrisma.serverposPool ??= createPool(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForPrisma.serverposPool;
}

/** True when a statement failed on a unique constraint (Prisma's P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof PrismaRuntime.PrismaClientKnownRequestError && error.code === 'P2002';
}
