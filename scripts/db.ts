/**
 * Database maintenance entry point.
 *
 *   npm run db:migrate          apply prisma/migrations to DATABASE_URL, or to the
 *                               embedded database in .data/ when it is unset
 *   npm run db:diff -- <name>   write a new migration from the change to prisma/schema.prisma
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyMigrations, diffDatamodels, migrationsDir, schemaPath } from '../lib/db/schema-engine';
import { startEmbeddedPostgres } from '../lib/db/embedded';
import { embeddedDataDir } from '../lib/db/paths';

/** The datamodel as of the newest migration, so the next diff starts from it. */
const snapshotPath = path.join(migrationsDir, 'schema.snapshot.prisma');

async function migrate() {
  const configured = process.env.DATABASE_URL;
  const embedded = configured ? null : await startEmbeddedPostgres({ dataDir: embeddedDataDir() });
  try {
    const applied = await applyMigrations(configured ?? embedded!.url);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await embedded?.stop();
  }
}

async function diff(name: string | undefined) {
  if (!name || !/^[a-z0-9_]{1,60}$/.test(name)) {
    throw new Error('usage: npm run db:diff -- <name>   (lower-case letters, digits and _)');
  }
  const previous = await readFile(snapshotPath, 'utf8').catch(() => null);
  const current = await readFile(schemaPath, 'utf8');
  const scratch = await startEmbeddedPostgres({ dataDir: null });
  try {
    const sql = await diffDatamodels(scratch.url, previous, current);
    if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
      console.log('no changes to prisma/schema.prisma since the last migration');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'migration.sql'), sql);
    await writeFile(path.join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    await writeFile(snapshotPath, current);
    console.log(`wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
  } finally {
    await scratch.stop();
  }
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'migrate') await migrate();
  else if (command === 'diff') await diff(args[0]);
  else throw new Error('usage: tsx scripts/db.ts migrate | diff <name>');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
