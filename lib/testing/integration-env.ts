import { afterAll, inject } from 'vitest';
import { db } from '@/lib/db/client';

/**
 * Runs in each integration test file before the file is loaded: env() then
 * reads the run's database, secret and URLs (see integration-setup.ts).
 */
Object.assign(process.env, inject('integrationEnv'));

// Give the pooled connections back, so one file never holds the embedded database's slots for the next.
afterAll(async () => {
  await db().$disconnect();
});
