/**
 * The steps the bench's bulk loaders share: a big table loads faster without its secondary indexes, which
 * are then built from their own definitions (two at a time), and the planner needs fresh statistics after.
 */
import type pg from 'pg';

export interface IndexDefinition {
  name: string;
  /** `CREATE INDEX …` as pg_indexes has it. */
  definition: string;
}

/** Drops the indexes of `tables` other than their primary keys; returns them, to be built again after the load. */
export async function dropSecondaryIndexes(client: pg.Client, tables: readonly string[]): Promise<IndexDefinition[]> {
  const { rows: indexes } = await client.query<IndexDefinition>(
    `SELECT i.indexname AS "name", i.indexdef AS "definition" FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')`,
    [tables],
  );
  for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
  return indexes;
}

/** Builds the indexes on two connections at once; the seconds it took. */
export async function buildIndexes(connect: () => Promise<pg.Client>, indexes: readonly IndexDefinition[]): Promise<number> {
  const started = performance.now();
  const queue = [...indexes].sort((a, b) => a.name.localeCompare(b.name));
  const builder = async () => {
    const client = await connect();
    try {
      for (let index = queue.shift(); index; index = queue.shift()) await client.query(index.definition);
    } finally {
      await client.end();
    }
  };
  await Promise.all([builder(), builder()]);
  return (performance.now() - started) / 1000;
}

/** VACUUM (ANALYZE) of each table, for the visibility map and the planner's statistics; the seconds it took. */
export async function vacuumAnalyze(client: pg.Client, tables: readonly string[]): Promise<number> {
  const started = performance.now();
  for (const table of tables) await client.query(`VACUUM (ANALYZE) "${table}"`);
  return (performance.now() - started) / 1000;
}
