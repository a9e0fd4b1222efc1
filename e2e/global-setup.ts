import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scanDatabase } from '../lib/security/scan-database';
import { failOnSecretFindings, scanText, secretPatterns, type SecretFinding } from '../lib/security/scan-for-secrets';
import { loadOrCreateSecrets, startStack } from '../scripts/stack';
import { freePorts, writeDemoSimConfig } from '../sim/testing/test-merchant';
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
  const simulators = await writeE2eSimConfig(dataDir);
  const [shopPort] = await freePorts(1);
  const stack = await startStack({
    dataDir,
    simulators,
    appPort: e2eAppPort,
    smtpPort: Number(process.env.E2E_SMTP_PORT ?? 1125),
    mailHttpPort: Number(process.env.E2E_MAIL_HTTP_PORT ?? 8125),
    embeddedDbPort: 0,
    // Integration CI points this at a real PostgreSQL server; otherwise a fresh embedded one.
    databaseUrl: process.env.E2E_DATABASE_URL || undefined,
    // The sample shop sells for the demo store Sakura Books (its own POS API key, webhooks to the shop).
    shop: { port: shopPort! },
    // A gateway that never answers is given up on after 4 s, and the outcome settled (inquiry, then reversal) within 8 s.
    env: { OUTBOX_POLL_MS: '200', GATEWAY_TIMEOUT_MS: '4000', UNKNOWN_OUTCOME_DEADLINE_SECONDS: '8', PAYMENT_RESOLVE_POLL_MS: '1000' },
    output: (name, line) => logFile.write(`[${name}] ${line}\n`),
  });
  process.env.E2E_STACK = JSON.stringify({
    appUrl: stack.appUrl,
    mailUrl: stack.mailUrl,
    databaseUrl: stack.databaseUrl,
    logins: stack.logins,
    simulators: { caUrl: stack.simulators!.caUrl, acquirers: stack.simulators!.acquirers, configFile: simulators.configFile },
    shopUrl: stack.shopUrl,
  });
  return async () => {
    // After the whole suite: no private key, master key, card number, security code or PIN in clear in the database or in any process's log.
    const patterns = secretPatterns((await loadOrCreateSecrets(dataDir)).masterKeys);
    let findings: SecretFinding[] = [];
    try {
      findings = (await scanDatabase(stack.databaseUrl, patterns)).findings;
    } finally {
      await stack.stop();
      await new Promise((resolve) => logFile.end(resolve));
    }
    findings.push(...scanText('e2e-stack.log', await readFile(logPath, 'utf8'), patterns));
    await rm(dataDir, { recursive: true, force: true });
    failOnSecretFindings(findings, 'the browser tests');
  };
}

/**
 * The demo's simulated CA and acquirers on free ports with a fresh state
 * folder, and with certificates valid for 30 minutes so that the expiry banner
 * and alerts show up within a test.
 */
function writeE2eSimConfig(dataDir: string): Promise<{ configFile: string; dataDir: string }> {
  return writeDemoSimConfig(dataDir, (config) => ({
    ...config,
    crlPollSeconds: 1,
    ca: { ...config.ca, certificateValidityMinutes: 30 },
    acquirers: config.acquirers.map((acquirer) => ({ ...acquirer, slowCardSeconds: 1 })),
    serverposUrl: `http://localhost:${e2eAppPort}`,
  }));
}
