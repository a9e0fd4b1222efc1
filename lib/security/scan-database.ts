import pg from 'pg';
import { scanText, type SecretFinding, type SecretPatterns } from '@/lib/security/scan-for-secrets';

/**
 * Dumps every table of the database (every schema but PostgreSQL's own), row
 * by row as PostgreSQL's text form — bytea as hex, JSON as text — and scans it
 * for secrets in clear. Reads through a plain connection so that nothing of
 * the application (and none of its own decryption) is involved.
 */
export async function scanDatabase(databaseUrl: string, patterns: SecretPatterns): Promise<{ tables: number; rows: number; findings: SecretFinding[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const findings: SecretFinding[] = [];
    let rowCount = 0;
    for (const table of tables) {
      const quoted = `"${table.schema.replace(/"/g, '""')}"."${table.name.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${quoted} t`);
      rowCount += rows.length;
      findings.push(...scanText(`${table.schema}.${table.name}`, rows.map((row) => row.row).join('\n'), patterns));
    }
    return { tables: tables.length, rows: rowCount, findings };
  } finally {
    await client.end();
  }
}
