import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';

/**
 * The embedded database serves many connections from one PGlite session.
 * Without isolateExtendedQueries, concurrent parameterised queries from two
 * pools bind each other's statements or hang the queue (pglite#1046): this
 * run hung within seconds before the fix.
 */
describe('embedded PostgreSQL under concurrent connections', () => {
  let database: EmbeddedPostgres;
  let pools: pg.Pool[];

  beforeAll(async () => {
    database = await startEmbeddedPostgres({ dataDir: null });
    pools = [new pg.Pool({ connectionString: database.url, max: 6 }), new pg.Pool({ connectionString: database.url, max: 6 })];
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await database.stop();
  });

  it('answers every parameterised query with its own statement, in and out of transactions, and a failing query fails alone', async () => {
    const wrong: number[] = [];
    const failures: string[] = [];
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        Array.from({ length: 600 }, async (_, index) => {
          const pool = pools[index % 2]!;
          try {
            if (index % 11 === 0) {
              // A query that fails on the server, in the middle of everyone else's.
              await expect(pool.query('select $1::int / 0 as v', [index])).rejects.toThrow(/division by zero/);
              return;
            }
            if (index % 7 === 0) {
              const client = await pool.connect();
              try {
                await client.query('begin');
                const { rows } = await client.query<{ v: number }>('select $1::int as v', [index]);
                if (rows[0]?.v !== index) wrong.push(index);
                await client.query('commit');
              } finally {
                client.release();
              }
              return;
            }
            const parameters = Array.from({ length: (index % 19) + 1 }, (_, position) => (position === 0 ? index : position));
            const sql = `select ${parameters.map((_, position) => `$${position + 1}::int as c${position}`).join(', ')}`;
            const { rows } = await pool.query<{ c0: number }>(sql, parameters);
            if (rows[0]?.c0 !== index) wrong.push(index);
          } catch (error) {
            failures.push(error instanceof Error ? error.message : String(error));
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(wrong).toEqual([]);
  }, 60_000);
});
