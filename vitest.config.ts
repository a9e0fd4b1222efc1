import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'sim/**/*.test.ts', 'scripts/**/*.test.ts', 'sdk/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        // The protocol suite again on the server's backend (synchronous OpenSSL), so both backends meet every test.
        resolve: { alias },
        test: {
          name: 'unit-node-crypto',
          include: ['lib/set/**/*.test.ts', 'lib/acquirers/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
          setupFiles: ['lib/set/testing/use-node-crypto.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['lib/**/*.int.test.ts', 'sim/**/*.int.test.ts', 'scripts/**/*.int.test.ts', 'sdk/**/*.int.test.ts'],
          environment: 'node',
          // One database for the run: embedded PGlite unless DATABASE_URL names a server.
          globalSetup: ['lib/testing/integration-setup.ts'],
          setupFiles: ['lib/testing/integration-env.ts'],
          // PGlite is one session underneath; files share it one at a time.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // npm run test:reliability: the proofs of issue-level guarantees, on a real PostgreSQL server the
        // global setup starts, often with whole clusters of real processes (reliability/README.md).
        resolve: { alias },
        test: {
          name: 'reliability',
          include: ['reliability/**/*.rel.test.ts'],
          environment: 'node',
          globalSetup: ['reliability/support/global-setup.ts'],
          setupFiles: ['reliability/support/env.ts'],
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
