import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file. Migrations are applied by
// scripts/db-migrate.ts through the schema engine's WebAssembly build, because the
// CLI's native engine cannot be downloaded on every machine (docs/decisions.md).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
