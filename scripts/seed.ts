/**
 * `npm run db:seed`: creates or refreshes the demo operator, acquirers and
 * stores in DATABASE_URL, or in the embedded database in .data/ when it is
 * unset, with the passwords kept in .data/secrets.json. `npm run demo` does
 * this itself on every start; this is for a database run separately.
 */
import path from 'node:path';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { createPrismaClient } from '@/lib/db/client';
import { dataDir, embeddedDataDir } from '@/lib/db/paths';
import { applyMigrations } from '@/lib/db/schema-engine';
import { seedDemo } from '@/lib/seed/seed-demo';
import { loadOrCreateSecrets } from './stack';

const configured = process.env.DATABASE_URL;
const embedded = configured ? null : await startEmbeddedPostgres({ dataDir: embeddedDataDir() });
const databaseUrl = configured ?? embedded!.url;
const prisma = createPrismaClient(databaseUrl, 2);
try {
  await applyMigrations(databaseUrl);
  const secrets = await loadOrCreateSecrets(dataDir());
  const logins = await seedDemo(prisma, { operator: secrets.operatorPassword, stores: secrets.storePasswords });
  console.log(`seeded: operator ${logins.operator.email}; stores ${logins.stores.map((store) => store.email).join(', ')} (passwords in ${path.relative(process.cwd(), path.join(dataDir(), 'secrets.json'))})`);
} catch (error) {
  console.error(`db:seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
  await embedded?.stop();
}
