import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../scripts/stack';
import { e2eAppPort } from '../playwright.config';

/**
 * Starts the system under test once for the run and tells the tests where it
 * is through environment variables (Playwright passes them to its workers).
 * The children's output goes to test-results/e2e-stack.log.
 */
export default async function globalSetup() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serverpos-e2e-'));
  const logPath = path.resolve('test-results', 'e2e-stack.log');
  await mkdir(path.dirname(logPath), { recursive: true });
  const logFile = createWriteStream(logPath);
  const stack = await startStack({
    dataDir,
    appPort: e2eAppPort,
    smtpPort: Number(process.env.E2E_SMTP_PORT ?? 1125),
    mailHttpPort: Number(process.env.E2E_MAIL_HTTP_PORT ?? 8125),
    embeddedDbPort: 0,
    // Integration CI points this at a real PostgreSQL server; otherwise a fresh embedded one.
    databaseUrl: process.env.E2E_DATABASE_URL || undefined,
    env: { OUTBOX_POLL_MS: '200' },
    output: (name, line) => logFile.write(`[${name}] ${line}\n`),
  });
  process.env.E2E_STACK = JSON.stringify({ appUrl: stack.appUrl, mailUrl: stack.mailUrl, databaseUrl: stack.databaseUrl, logins: stack.logins });
  return async () => {
    await stack.stop();
    logFile.end();
    await rm(dataDir, { recursive: true, force: true });
  };
}
