import { afterAll, inject } from 'vitest';
import { db } from '@/lib/db/client';

/**
 * Runs in each reliability test file before it is loaded: env() then reads
 * the run's database, secret and URLs (see global-setup.ts), so route handlers
 * and library functions can be called in process against the real server.
 */
Object.assign(process.env, inject('reliabilityEnv'));

afterAll(async () => {
  await db().$disconnect();
});
