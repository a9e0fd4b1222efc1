import { readdir } from 'node:fs/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations, migrationsDir } from '@/lib/db/schema-engine';
import { env } from '@/lib/env';

async function migrationFolders(): Promise<string[]> {
  return (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

describe('applyMigrations', () => {
  it('applies every migration to an empty database, then nothing the second time', async () => {
    const empty = await startEmbeddedPostgres({ dataDir: null });
    try {
      expect(await applyMigrations(empty.url)).toEqual(await migrationFolders());
      expect(await applyMigrations(empty.url)).toEqual([]);
    } finally {
      await empty.stop();
    }
  });

  it('applies nothing to a database that already has every migration, and keeps the history intact', async () => {
    const migrationNames = await migrationFolders();
    expect(migrationNames.length).toBeGreaterThan(0);

    // The global setup applied them once already.
    expect(await applyMigrations(env().DATABASE_URL)).toEqual([]);

    const client = new pg.Client({ connectionString: env().DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
      for (const row of rows) {
        expect(row.finished_at, row.migration_name).toBeInstanceOf(Date);
        expect(row.rolled_back_at, row.migration_name).toBeNull();
      }
    } finally {
      await client.end();
    }
  });
});
