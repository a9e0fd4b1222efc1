import type pg from 'pg';

/** A hash of every row of every table, by table ("schema"."table"). */
export type DatabaseFingerprint = Map<string, string>;

/** What a fingerprint leaves out, by table (`"schema"."table"`). */
export interface FingerprintExclusions {
  /** Tables skipped altogether. */
  ignoredTables?: ReadonlySet<string>;
  /** Columns left out of every row of a table (e.g. `"public"."AuthSession"` → `lastSeenAt`). */
  ignoredColumns?: Readonly<Record<string, readonly string[]>>;
  /** Rows left out of a table: a SQL condition on its columns (e.g. `action = 'acquirer.api_request'`). */
  ignoredRows?: Readonly<Record<string, string>>;
}

/**
 * Fingerprints a database through a plain connection, nothing of the application involved: for each table
 * of every schema but PostgreSQL's own, an md5 of all its rows as JSON, sorted, less the exclusions.
 * Compare two with `changedTables`.
 */
export async function fingerprintDatabase(
  client: pg.Client,
  options: FingerprintExclusions = {},
): Promise<DatabaseFingerprint> {
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  // One statement for all tables: a fingerprint is taken around every refused request, so round trips count.
  const hashes = tables
    .map((table) => `"${table.schema.replaceAll('"', '""')}"."${table.name.replaceAll('"', '""')}"`)
    .filter((quoted) => !options.ignoredTables?.has(quoted))
    .map((quoted) => {
      const ignored = (options.ignoredColumns?.[quoted] ?? []).map((column) => `'${column.replaceAll("'", "''")}'`).join(', ');
      const rows = options.ignoredRows?.[quoted];
      return `SELECT '${quoted.replaceAll("'", "''")}' AS name, (SELECT md5(string_agg(line, E'\\n' ORDER BY line)) FROM (SELECT (to_jsonb(t) - ARRAY[${ignored}]::text[])::text AS line FROM ${quoted} t${rows ? ` WHERE NOT (${rows})` : ''}) rows) AS hash`;
    });
  const { rows } = await client.query<{ name: string; hash: string | null }>(hashes.join('\nUNION ALL\n'));
  return new Map(rows.map((row) => [row.name, row.hash ?? 'empty']));
}

/** The tables whose rows differ between two fingerprints (or that exist in one only). */
export function changedTables(before: DatabaseFingerprint, after: DatabaseFingerprint): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}
