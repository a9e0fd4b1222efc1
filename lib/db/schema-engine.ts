import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine as SchemaEngineType } from '@prisma/schema-engine-wasm';

/**
 * The Prisma schema engine, compiled to WebAssembly and driven through the pg
 * driver adapter. The CLI's native engine is downloaded from a host that is not
 * reachable everywhere ServerPOS is built; the WASM build ships inside an npm
 * package, so migrations work offline, on PGlite and on PostgreSQL alike.
 */

const require = createRequire(import.meta.url);
const root = process.cwd();
export const schemaPath = path.join(root, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(root, 'prisma', 'migrations');

type WasmGlue = typeof import('@prisma/schema-engine-wasm/schema_engine_bg'); // eslint-disable-line @typescript-eslint/consistent-type-imports -- the glue module is only ever loaded lazily
let wasmReady: Promise<WasmGlue> | undefined;

async function loadWasm() {
  // The package's ESM entry imports a .wasm file directly, which Node refuses;
  // instantiate the module ourselves and hand it to the wasm-bindgen glue.
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
    './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
  return glue;
}

export async function openSchemaEngine(databaseUrl: string): Promise<SchemaEngineType> {
  wasmReady ??= loadWasm();
  const glue = await wasmReady;
  const datamodel = await readFile(schemaPath, 'utf8');
  const adapterFactory = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: databaseUrl, max: 1 }));
  const log = (message: string) => {
    if (process.env.DEBUG_SCHEMA_ENGINE) console.error(message);
  };
  return glue.SchemaEngine.new({ datamodels: [[schemaPath, datamodel]] }, log, adapterFactory);
}

export async function readMigrationList(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfilePath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockfilePath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      directories.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8').then(
            (content) => ({ tag: 'ok' as const, value: content }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Applies every migration in prisma/migrations that the database has not seen yet. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const engine = await openSchemaEngine(databaseUrl);
  try {
    const result = await engine.applyMigrations({ migrationsList: await readMigrationList(), filters: noFilter });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/**
 * SQL that takes a database from one datamodel to another. Both sides are
 * schema files, not live databases: the engine then needs no connection at all,
 * and the result does not depend on what a scratch database happens to hold.
 * `from` is null for the very first migration; `scratchDatabaseUrl` is only
 * connected to, never changed.
 */
export async function diffDatamodels(scratchDatabaseUrl: string, from: string | null, to: string): Promise<string> {
  // The engine insists on a connection even for a pure datamodel diff.
  const engine = await openSchemaEngine(scratchDatabaseUrl);
  try {
    const result = await engine.diff({
      from: from === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'previous.prisma', content: from }] },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: to }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}
