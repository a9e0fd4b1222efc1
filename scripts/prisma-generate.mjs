// Generates the Prisma client. Generation never runs the schema engine, but the
// CLI insists on finding one, and the native engine cannot be downloaded on every
// machine; pointing it at any existing file satisfies the check (docs/decisions.md).
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
});
process.exit(result.status ?? 1);
