import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '@/lib/db/schema-engine';
import { scanDatabase } from '@/lib/security/scan-database';
import { failOnSecretFindings, scanText, secretPatterns, type SecretFinding } from '@/lib/security/scan-for-secrets';
import { startPostgresServer } from '@/lib/testing/postgres-server';
import { buildApp, buildIsStale } from '@/scripts/stack';
import { RESPONSES_FILE } from './recorder';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The variables every reliability test file runs with; applied by reliability/support/env.ts. */
    reliabilityEnv: Record<string, string>;
  }
}

/** The test master key of the run (version 1): known, so the scans can look for it. */
const MASTER_KEYS = `1:${Buffer.from('reliability-suite-master-key-32b').toString('base64url')}`;

/**
 * The reliability suite runs against a real PostgreSQL server: one started
 * here from the machine's binaries in a fresh folder (or the one
 * RELIABILITY_DATABASE_URL names), with the migrations applied to its
 * `reliability` database for the in-process tests. Tests that start whole
 * clusters of processes (reliability/support/cluster.ts) create a database of
 * their own on the same server. The app's production build is made first if
 * it is missing or stale.
 *
 * After the suite, everything it left behind is scanned for secrets in clear:
 * every database of the run, every process's log and every HTTP exchange the
 * tests recorded (reliability/support/recorder.ts).
 */
export default async function setup(project: TestProject) {
  const runDir = await mkdtemp(path.join(os.tmpdir(), 'serverpos-reliability-'));
  // mkdtemp makes the folder for its owner only; run as root, the server runs as postgres and must reach its data folder inside.
  await chmod(runDir, 0o711);
  await mkdir(path.join(runDir, 'logs'), { recursive: true });
  const server = await startPostgresServer({ dataDir: path.join(runDir, 'postgres', 'data'), externalUrl: process.env.RELIABILITY_DATABASE_URL, sharedBuffers: '128MB' });
  console.log(`reliability suite: ${server.version}; run folder ${runDir}`);
  let failed = true;
  try {
    const databaseUrl = await server.database('reliability');
    await applyMigrations(databaseUrl);
    if (buildIsStale()) await buildApp();
    project.provide('reliabilityEnv', {
      DATABASE_URL: databaseUrl,
      RELIABILITY_ADMIN_URL: server.adminUrl,
      RELIABILITY_RUN_DIR: runDir,
      SERVERPOS_DATA_DIR: path.join(runDir, 'in-process'),
      AUTH_SECRET: 'reliability-suite-secret-that-is-long-enough',
      // Nothing listens here: in-process code only queues e-mail; clusters run their own mail server.
      SMTP_URL: 'smtp://127.0.0.1:1',
      APP_URL: 'http://localhost:3999',
      MASTER_KEYS,
      PARTNER_SECRET: 'reliability-suite-partner-secret',
    });
    failed = false;
  } finally {
    if (failed) await server.stop();
  }
  return async () => {
    try {
      const findings = await scanRun(server.adminUrl, runDir);
      failOnSecretFindings(findings, 'the reliability suite');
    } finally {
      await server.stop();
    }
    // RELIABILITY_KEEP_RUN=1 keeps the run folder (every process's log) for a look after a failure.
    if (process.env.RELIABILITY_KEEP_RUN === '1') console.log(`run folder kept: ${runDir}`);
    else await rm(runDir, { recursive: true, force: true });
  };
}

/** Every database of the run, every log and the recorded HTTP exchanges, scanned for secrets in clear. */
async function scanRun(adminUrl: string, runDir: string): Promise<SecretFinding[]> {
  const patterns = secretPatterns(MASTER_KEYS);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ name: string }>(`SELECT datname AS name FROM pg_database WHERE datname LIKE 'reliability%' ORDER BY 1`).finally(() => admin.end());
  const findings: SecretFinding[] = [];
  let scannedRows = 0;
  for (const { name } of rows) {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const scan = await scanDatabase(url.toString(), patterns);
    scannedRows += scan.rows;
    findings.push(...scan.findings);
  }
  const logs = await readdir(path.join(runDir, 'logs'));
  for (const log of logs) findings.push(...scanText(`logs/${log}`, await readFile(path.join(runDir, 'logs', log), 'utf8'), patterns));
  const responses = await readFile(path.join(runDir, RESPONSES_FILE), 'utf8').catch(() => '');
  findings.push(...scanText(RESPONSES_FILE, responses, patterns));
  console.log(`secret scan: ${rows.length} databases (${scannedRows} rows), ${logs.length} logs, ${responses.split('\n').filter(Boolean).length} recorded HTTP exchanges; ${findings.length} findings`);
  return findings;
}
