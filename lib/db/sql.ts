/**
 * Plain SQL on the process's connection pool, for the few statements whose cost Prisma's client dominates: the
 * checkout's reads and its two transactions (docs/performance.md: Prisma's client spends 0.5–1 ms of CPU per
 * statement on this kind of machine, the `pg` driver about a quarter of that). Everything else stays on Prisma.
 *
 * One implementation serves both kinds of caller: a function written against `SqlClient` runs inside a Prisma
 * interactive transaction (`sqlOf(tx)`) as well as inside `sqlTransaction` on the pool, so the records a change
 * writes are written by one piece of code whichever transaction holds them.
 *
 * Values are sent as text and typed by casts in the statement (`::uuid`, `::jsonb`, `::"PaymentStatus"`), so both
 * paths send the same thing: a Date as its UTC ISO string (the schema's timestamps have no time zone and hold
 * UTC), a bigint as its digits, JSON as the caller's string. Rows come back alike too: int8 as bigint, a
 * timestamp as a UTC Date, json as parsed, uuid and enums as strings.
 */
import pg from 'pg';
import { Prisma } from '@/lib/db/generated/prisma/client';
import type { Db, Tx } from '@/lib/db/client';

export type Sql = Prisma.Sql;
/** `sql\`SELECT … WHERE "id" = ${id}::uuid\``: a statement with its values as parameters, never spliced in. */
export const sql = Prisma.sql;
/** Values or fragments joined with a separator (`sql\`… IN (${join(ids)})\``). */
export const joinSql = Prisma.join;
/** Text put into a statement as it is: only for names the code itself makes, never for a value. */
export const raw = Prisma.raw;
/** The fragment that adds nothing, for an optional part of a statement. */
export const empty = Prisma.empty;

/** A value a statement may carry; JSON goes as a string the statement casts (`${JSON.stringify(x)}::jsonb`). */
type SqlValue = string | number | boolean | bigint | Date | null | undefined;

/** Where statements run: a connection of the pool (in or out of a transaction), or a Prisma transaction. */
export interface SqlClient {
  /** The rows a statement returns. */
  rows<T>(query: Sql): Promise<T[]>;
  /** Runs a statement; how many rows it wrote. */
  execute(query: Sql): Promise<number>;
}

function toParameter(value: unknown): string | number | boolean | null {
  const given = value as SqlValue;
  if (given === null || given === undefined) return null;
  if (given instanceof Date) return given.toISOString();
  if (typeof given === 'bigint') return given.toString();
  if (typeof given === 'string' || typeof given === 'number' || typeof given === 'boolean') return given;
  throw new TypeError('A SQL value must be a string, number, boolean, bigint, Date or null (JSON goes as a string).');
}

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
/** The schema's DateTime columns are `timestamp(3)` holding UTC; the driver would read them as local time. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === TIMESTAMP_OID && format !== 'binary') return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    if (oid === INT8_OID && format !== 'binary') return (text: string) => BigInt(text);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

/** Statements on one pooled connection (or on the pool itself, a connection per statement). */
export function sqlOnPool(client: pg.Pool | pg.PoolClient): SqlClient {
  const run = (query: Sql) => client.query({ text: query.text, values: query.values.map(toParameter), types });
  return {
    rows: async <T>(query: Sql) => (await run(query)).rows as T[],
    execute: async (query: Sql) => (await run(query)).rowCount ?? 0,
  };
}

/** Statements inside a Prisma transaction (or on Prisma's client), for a caller that already holds one. */
export function sqlOf(client: Tx | Db): SqlClient {
  return {
    rows: <T>(query: Sql) => client.$queryRawUnsafe<T[]>(query.text, ...query.values.map(toParameter)),
    execute: (query: Sql) => client.$executeRawUnsafe(query.text, ...query.values.map(toParameter)),
  };
}

/** Either kind of client, as a function that accepts both takes it. */
export function asSqlClient(client: SqlClient | Tx | Db): SqlClient {
  return 'rows' in client && 'execute' in client ? client : sqlOf(client);
}

/**
 * Runs `work` in one transaction on one connection of `pool`: committed when it returns, rolled back when it
 * throws (and the error passed on). A connection whose rollback failed is discarded, not returned to the pool.
 */
export async function sqlTransaction<T>(pool: pg.Pool, work: (client: SqlClient) => Promise<T>): Promise<T> {
  const connection = await pool.connect();
  let broken: Error | undefined;
  try {
    await connection.query('BEGIN');
    const result = await work(sqlOnPool(connection));
    await connection.query('COMMIT');
    return result;
  } catch (error) {
    await connection.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    connection.release(broken);
  }
}
