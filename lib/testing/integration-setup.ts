import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/schema-engine';

/**
 * Integration tests run against a real database: the PostgreSQL server named
 * by DATABASE_URL (CI starts one), or else a fresh embedded PGlite. Either way
 * the migrations are applied first, exactly as the demo applies them.
 */
export default async function setup() {
  let embedded: EmbeddedPostgres | null = null;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serverpos-test-'));
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({ dataDir: null });
    process.env.DATABASE_URL = embedded.url;
  }
  const databaseUrl = process.env.DATABASE_URL;
  await applyMigrations(databaseUrl);
  // Tests must not pick up a developer's .data/local.json.
  process.env.SERVERPOS_DATA_DIR = dataDir;
  process.env.AUTH_SECRET ??= 'integration-test-secret-that-is-long-enough';
  process.env.SMTP_URL ??= 'smtp://127.0.0.1:1';
  process.env.APP_URL ??= 'http://localhost:3999';
  return async () => {
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
