/**
 * The "renew all" measurement of the certificates part, run by it as a child process (like the worker, its
 * own process: the CA client's pinned trust, the master keys and the database client are process-wide, and
 * another part's simulated world must not meet this one's).
 *
 * Starts a simulated CA and five simulated acquirers (real HTTP servers, sim/start-simulators.ts), sets up
 * a store with 10 POSes each registered with the 5 acquirers in the database named by DATABASE_URL (50 POS ×
 * acquirer links, each with its key pairs and certificates, issued through the CA for real), then times what
 * the console's "Renew all" sets going: startRenewalRun, and the worker's handler of the run's outbox
 * message, until the run is finished. Then checks that every item succeeded and that the 100 new
 * certificates are ACTIVE, validate up to the CA's root, and match their stored (wrapped) private keys.
 *
 * Progress goes to stderr; the result is the last line of stdout, as JSON.
 */
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { caParty } from '@/lib/certificates/ca-client';
import { startRenewalRun } from '@/lib/certificates/start-renewal-run';
import { db } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { outboxHandlers } from '@/lib/jobs/outbox-handlers';
import { unwrapPrivateKey } from '@/lib/keys/vault';
import type { Mailer } from '@/lib/mail/transport';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { enrolAt, type SimWorld } from '@/lib/testing/sim-world';
import { simConfigSchema } from '@/sim/config';
import { startSimulators } from '@/sim/start-simulators';
import { freePorts } from '@/sim/testing/test-merchant';

export const POSES = 10;
export const ACQUIRERS = [
  { id: 'ACQ-CARD', name: 'Aozora Card Services', brands: ['VISA', 'MASTER'] },
  { id: 'ACQ-JCB', name: 'Fuji JCB Acquiring', brands: ['JCB'] },
  { id: 'ACQ-BANK', name: 'Minato Bank Transfers', brands: ['BANK'] },
  { id: 'ACQ-AMEX', name: 'Kaigan Amex Acquiring', brands: ['AMEX'] },
  { id: 'ACQ-DINERS', name: 'Yama Diners Acquiring', brands: ['DINERS'] },
] as const;
const STORE_NAME = 'Bench Renewals';

export interface RenewAllResult {
  links: number;
  /** Setting up: the first registration of every link, through the same CA (seconds). */
  registrationSeconds: number;
  /** startRenewalRun → run FINISHED. */
  renewAllMs: number;
  startMs: number;
  workMs: number;
  succeeded: number;
  failed: number;
  newCertificates: number;
  /** Each item's own time (claimed → recorded), ms. */
  itemMs: number[];
  /** Items under way at once, on average: the sum of the items' times over the run's time. */
  averageConcurrency: number;
  errors: string[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<RenewAllResult> {
  const partnerSecret = randomBytes(24).toString('hex');
  process.env.AUTH_SECRET ||= randomBytes(32).toString('hex');
  process.env.SMTP_URL ||= 'smtp://127.0.0.1:9';
  process.env.MASTER_KEYS = `1:${randomBytes(32).toString('base64')}`;
  process.env.PARTNER_SECRET = partnerSecret;
  process.env.LOG_LEVEL ||= 'warn';

  const directory = mkdtempSync(path.join(tmpdir(), 'serverpos-bench-renew-'));
  const [caPort, ...ports] = await freePorts(1 + ACQUIRERS.length * 2);
  const config = simConfigSchema.parse({
    dataDir: path.join(directory, 'data'),
    crlPollSeconds: 10,
    ca: { port: caPort, organization: 'ServerPOS Bench PKI', brands: [...new Set(ACQUIRERS.flatMap((acquirer) => acquirer.brands))], keyAlgorithm: 'P-256' },
    acquirers: ACQUIRERS.map((acquirer, index) => ({
      ...acquirer,
      brands: [...acquirer.brands],
      port: ports[index * 2],
      adminPort: ports[index * 2 + 1],
      keyAlgorithm: 'P-256',
      merchants: [{ merchantNumber: `${acquirer.id.slice(4)}-BENCH-0001`, storeName: STORE_NAME }],
    })),
    partnerSecret,
    serverposUrl: 'http://127.0.0.1:9',
  });
  const configFile = path.join(directory, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const simLog = createWriteStream(path.join(directory, 'sims.log'));
  log(`starting the CA and ${ACQUIRERS.length} acquirers (log: ${path.join(directory, 'sims.log')})`);
  const sims = await startSimulators({ configFile, output: (name, line) => simLog.write(`[${name}] ${line}\n`) });
  process.env.CA_URL = sims.caUrl;
  resetEnvForTests();
  let succeeded = false;
  try {
    const acquirerIds: Record<string, string> = {};
    for (const acquirer of config.acquirers) {
      const urls = sims.acquirers[acquirer.id]!;
      const row = await db().acquirer.create({ data: { code: acquirer.id, name: acquirer.name, brands: acquirer.brands, gatewayUrl: urls.gatewayUrl, registryUrl: urls.registryUrl }, select: { id: true } });
      acquirerIds[acquirer.id] = row.id;
    }
    const world: SimWorld = { sims, acquirerIds, stop: () => sims.stop() };

    const owner = await createStoreWithOwner({ status: 'PENDING' });
    await db().store.update({ where: { id: owner.storeId }, data: { name: STORE_NAME } });
    const actor = { type: 'STORE_USER' as const, id: owner.userId };
    const posIds: string[] = [];
    for (let index = 1; index <= POSES; index++) posIds.push((await db().pos.create({ data: { storeId: owner.storeId, name: `Register ${index}` }, select: { id: true } })).id);

    // Registration: the first link under each contract spends the enrolment's acquisition number, the others get fresh ones.
    const registrationStarted = performance.now();
    const links: string[] = [];
    await Promise.all(
      config.acquirers.map(async (acquirer) => {
        const enrolled = await enrolAt(world, { storeId: owner.storeId, storeName: STORE_NAME, acquirerCode: acquirer.id, merchantNumber: acquirer.merchants[0]!.merchantNumber, posIds });
        const [first, ...rest] = enrolled.posAcquirerIds;
        await issuePosCertificates({ storeId: owner.storeId, posAcquirerId: first!, actor, acquisitionNumber: enrolled.acquisitionNumber });
        for (const posAcquirerId of rest) await issuePosCertificates({ storeId: owner.storeId, posAcquirerId, actor });
        links.push(...enrolled.posAcquirerIds);
      }),
    );
    const registrationSeconds = (performance.now() - registrationStarted) / 1000;
    const before = await db().certificate.findMany({ where: { storeId: owner.storeId, status: 'ACTIVE' }, select: { id: true } });
    log(`registered ${links.length} POS × acquirer links (${before.length} certificates) in ${registrationSeconds.toFixed(1)} s`);
    if (before.length !== links.length * 2) throw new Error(`expected ${links.length * 2} certificates after registration, found ${before.length}`);

    // What the console's "Renew all" sets going, and the worker's handling of it.
    // The handler of a renewal run sends no e-mail.
    const mailer: Mailer = { send: async () => undefined, close: () => undefined };
    const started = performance.now();
    const { runId } = await startRenewalRun({ storeId: owner.storeId, actor });
    const message = await db().outboxMessage.findFirstOrThrow({ where: { storeId: owner.storeId, kind: 'certificates.renewal_run' }, select: { id: true, storeId: true, payload: true } });
    const queued = performance.now();
    await outboxHandlers['certificates.renewal_run']!.deliver(message, { prisma: db(), mailer });
    const finished = performance.now();
    log(`renew all: ${(finished - started).toFixed(0)} ms`);

    const run = await db().certificateRenewalRun.findUniqueOrThrow({ where: { id: runId }, include: { items: true } });
    if (run.status !== 'FINISHED') throw new Error(`the run is ${run.status} after the worker returned`);
    const errors = run.items.filter((item) => item.status !== 'SUCCEEDED').map((item) => `${item.status} ${item.errorCode ?? ''} ${item.errorMessage ?? ''}`.trim());
    const itemMs = run.items.filter((item) => item.startedAt && item.finishedAt).map((item) => item.finishedAt!.getTime() - item.startedAt!.getTime());
    const runMs = Math.max(...run.items.map((item) => item.finishedAt?.getTime() ?? 0)) - Math.min(...run.items.map((item) => item.startedAt?.getTime() ?? Infinity));
    const newCertificates = await checkNewCertificates(owner.storeId, new Set(before.map((certificate) => certificate.id)), errors);
    succeeded = errors.length === 0;
    return {
      links: links.length,
      registrationSeconds,
      renewAllMs: finished - started,
      startMs: queued - started,
      workMs: finished - queued,
      succeeded: run.items.filter((item) => item.status === 'SUCCEEDED').length,
      failed: run.items.filter((item) => item.status === 'FAILED').length,
      newCertificates,
      itemMs,
      averageConcurrency: itemMs.reduce((sum, ms) => sum + ms, 0) / Math.max(1, runMs),
      errors,
    };
  } finally {
    await db().$disconnect();
    await sims.stop();
    simLog.end();
    // The simulators' state and log are kept for a look when something failed.
    if (succeeded) rmSync(directory, { recursive: true, force: true });
  }
}

/**
 * The store's ACTIVE certificates after the run: each must be new (renewing one of `before`), valid now, chain
 * to the CA's root, and be the certificate of the private key stored (wrapped) with it. Returns how many pass;
 * the reasons of those that do not go to `errors`.
 */
async function checkNewCertificates(storeId: string, before: Set<string>, errors: string[]): Promise<number> {
  const { validator } = await caParty();
  const rows = await db().certificate.findMany({
    where: { storeId, status: 'ACTIVE' },
    select: { id: true, usage: true, pem: true, notBefore: true, notAfter: true, replacesId: true, keyPair: { select: { id: true, publicKeyPem: true, encryptedPrivateKey: true, masterKeyVersion: true } } },
  });
  let valid = 0;
  const now = Date.now();
  for (const row of rows) {
    try {
      if (before.has(row.id) || !row.replacesId || !before.has(row.replacesId)) throw new Error('not a renewal of a certificate from before the run');
      if (row.notBefore.getTime() > now || row.notAfter.getTime() <= now) throw new Error('not valid now');
      // The stored chain is PEM blocks, leaf first; the validator takes base64 DER (as in an x5c).
      const chain = (row.pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((block) => block.replace(/-----[A-Z ]+-----|\s/g, ''));
      const leaf = await validator.validate(chain, { usage: row.usage === 'SIGNATURE' ? 'signature' : 'keyExchange', roles: ['merchant'] });
      const certified = leaf.certificate.publicKey.toString('pem').trim();
      if (certified !== row.keyPair.publicKeyPem.trim()) throw new Error('the stored public key is not the certified one');
      const pkcs8 = unwrapPrivateKey(row.keyPair.encryptedPrivateKey!, row.keyPair.masterKeyVersion, row.keyPair.id);
      const derived = createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'pem' }).toString().trim();
      pkcs8.fill(0);
      if (derived !== certified) throw new Error('the stored private key does not match the certificate');
      valid += 1;
    } catch (error) {
      errors.push(`certificate ${row.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return valid;
}

main().then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
