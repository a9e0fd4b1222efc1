import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/schema-engine';
import { scanDatabase } from '@/lib/security/scan-database';
import { failOnSecretFindings, secretPatterns } from '@/lib/security/scan-for-secrets';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The variables every integration test file runs with; applied by lib/testing/integration-env.ts. */
    integrationEnv: Record<string, string>;
  }
}

/**
 * Integration tests run against a real database: the PostgreSQL server named
 * by DATABASE_URL (CI starts one), or else a fresh embedded PGlite. Either way
 * the migrations are applied first, exactly as the demo applies them.
 *
 * The variables reach the test workers through `provide`/`inject` rather than
 * by changing this process's environment: that is the documented channel from
 * a global setup to the workers, and it leaves other projects of the same run
 * (the unit tests) untouched.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | null = null;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serverpos-test-'));
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: null });
    databaseUrl = embedded.url;
  }
  await applyMigrations(databaseUrl);
  const masterKeys = process.env.MASTER_KEYS || '1:dGVzdC1tYXN0ZXIta2V5LW9mLTMyLWJ5dGVzLWxvbmc=';
  project.provide('integrationEnv', {
    DATABASE_URL: databaseUrl,
    // Tests must not pick up a developer's .data/local.json.
    SERVERPOS_DATA_DIR: dataDir,
    AUTH_SECRET: process.env.AUTH_SECRET || 'integration-test-secret-that-is-long-enough',
    // Nothing listens here: code under test only ever queues e-mail; the worker test starts its own SMTP server.
    SMTP_URL: process.env.SMTP_URL || 'smtp://127.0.0.1:1',
    APP_URL: process.env.APP_URL || 'http://localhost:3999',
    // A fixed test master key (version 1); tests of re-wrapping bring their own second key.
    MASTER_KEYS: masterKeys,
    PARTNER_SECRET: process.env.PARTNER_SECRET || 'integration-test-partner-secret',
  });
  return async () => {
    try {
      // After the whole suite: no private key, master key, card number, security code or PIN in clear anywhere in the database.
      const scan = await scanDatabase(databaseUrl, secretPatterns(masterKeys));
      failOnSecretFindings(scan.findings, 'the integration tests, in the database');
      console.log(`secret scan: ${scan.rows} rows in ${scan.tables} tables, nothing in clear`);
    } finally {
      await embedded?.stop();
    }
    await rm(dataDir, { recursive: true, force: true });
  };
}
