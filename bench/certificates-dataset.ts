/**
 * The certificate expiry benchmark's dataset: stores with 2 POSes each registered with 5 acquirers (10 POS ×
 * acquirer links, 20 certificates per store), every link with its signature and key-exchange key pair and
 * certificate, shaped like issuePosCertificates writes them. Each link's pair expires at one moment, spread
 * uniformly from 30 days before the anchor to 730 days after it; those already past are EXPIRED. The alert
 * rows that a worker scanning every minute would have written are there too (every threshold a certificate
 * has crossed by the anchor), so the first scan at the anchor is a steady-state scan, not a backlog.
 *
 * Loaded set-based inside PostgreSQL (generate_series, two connections) with the secondary indexes of the big
 * tables dropped during the load and built afterwards, and the foreign-key triggers off for the loading
 * sessions (session_replication_role = replica): the rows are consistent by construction. The database is
 * kept on the bench server with a marker row written last; a later run reuses it when the marker names this
 * loader version and this size, and loads it again otherwise (also after a load that did not finish). The
 * marker also keeps the benchmark's clock: the simulated "now" of the last scan, which later runs move on.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { buildIndexes, dropSecondaryIndexes, vacuumAnalyze } from './support/bulk-load';

/** Bump when the shape of the loaded rows changes: cached datasets of another version are loaded again. */
export const DATASET_VERSION = 'certificates-dataset-1';

export const ACQUIRERS = 5;
export const POSES_PER_STORE = 2;
/** Certificates per store: a signature and a key-exchange certificate per POS × acquirer. */
export const CERTIFICATES_PER_STORE = ACQUIRERS * POSES_PER_STORE * 2;
const DAY_MS = 86_400_000;
/** notAfter is spread over [anchor − PAST_DAYS, anchor + FUTURE_DAYS). */
const PAST_DAYS = 30;
const FUTURE_DAYS = 730;

export interface LoadedCertificates {
  certificates: number;
  /** The instant the dataset was shaped for: its alert rows are those written by scans up to here. */
  anchor: Date;
  /** The simulated "now" of the last scan a benchmark ran (starts at the anchor). */
  clock: Date;
  alerts: number;
  insertSeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
  loadedAt: Date;
}

const KIND = { store: 1, pos: 2, acquirer: 3, contract: 4, link: 5, keyPair: 6, certificate: 7 } as const;
const sqlId = (kind: number, expression: string) => `('${kind.toString(16).padStart(8, '0')}-0000-4000-8000-' || lpad(to_hex(${expression}), 12, '0'))::uuid`;

/** The marker of a complete dataset, or null when there is none (or a half-loaded one). */
export async function readCertificatesMarker(client: pg.Client): Promise<(LoadedCertificates & { version: string }) | null> {
  const exists = await client.query(`SELECT to_regclass('"_bench_certificates"') IS NOT NULL AS "exists"`);
  if (!exists.rows[0].exists) return null;
  const { rows } = await client.query(`SELECT * FROM "_bench_certificates" WHERE "completed"`);
  const row = rows[0];
  if (!row) return null;
  return {
    version: row.version,
    certificates: Number(row.certificates),
    anchor: row.anchor,
    clock: row.clock,
    alerts: Number(row.alerts),
    insertSeconds: Number(row.insertSeconds),
    indexSeconds: Number(row.indexSeconds),
    vacuumSeconds: Number(row.vacuumSeconds),
    loadedAt: row.loadedAt,
  };
}

/** Moves the benchmark's clock on (after each scan, so the next run, or the next bench, scans from there). */
export async function saveClock(client: pg.Client, clock: Date): Promise<void> {
  await client.query(`UPDATE "_bench_certificates" SET "clock" = $1`, [clock]);
}

/** A PEM block of `bytes` random bytes: the size of a real certificate, not one (the scan never parses it). */
function pemOf(bytes: number): string {
  const body = randomBytes(bytes).toString('base64').replace(/.{64}/g, '$&\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
}

const BIG_TABLES = ['PosAcquirer', 'KeyPair', 'Certificate', 'CertificateExpiryAlert'];

/**
 * Loads `certificates` certificates (a multiple of CERTIFICATES_PER_STORE) into an empty database that has the
 * app's migrations applied. `connect` opens a new connection to it (the loader uses three).
 */
export async function loadCertificates(connect: () => Promise<pg.Client>, certificates: number, log: (line: string) => void): Promise<LoadedCertificates> {
  const stores = Math.ceil(certificates / CERTIFICATES_PER_STORE);
  const links = stores * ACQUIRERS * POSES_PER_STORE;
  const total = links * 2;
  const anchor = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  // Timestamps are TIMESTAMP(3) in UTC, as Prisma writes them.
  const at = `'${anchor.toISOString().replace('T', ' ').replace('Z', '')}'::timestamp(3)`;
  // A P-256 leaf (~600 bytes of DER) and the CA above it: the chain as issuePosCertificates stores it.
  const chain = `${pemOf(620)}\n${pemOf(560)}`;
  const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${randomBytes(91).toString('base64')}\n-----END PUBLIC KEY-----`;
  const main = await connect();
  try {
    await main.query(`SET session_replication_role = replica`);
    const indexes = await dropSecondaryIndexes(main, BIG_TABLES);

    const started = performance.now();
    await main.query(`
      INSERT INTO "Acquirer" ("id", "code", "name", "brands", "gatewayUrl", "updatedAt")
      SELECT ${sqlId(KIND.acquirer, 'a')}, 'BENCH-' || a, 'Bench acquirer ' || a, ARRAY['VISA'], 'http://127.0.0.1:9/set', now()
        FROM generate_series(1, ${ACQUIRERS}) a`);
    await main.query(`
      INSERT INTO "Store" ("id", "name", "contactEmail", "status", "updatedAt")
      SELECT ${sqlId(KIND.store, 's')}, 'Bench store ' || s, 'bench-' || s || '@stores.test', 'ACTIVE', now() FROM generate_series(1, ${stores}) s`);
    await main.query(`
      INSERT INTO "Pos" ("id", "storeId", "name", "updatedAt")
      SELECT ${sqlId(KIND.pos, '(s - 1) * ' + POSES_PER_STORE + ' + p')}, ${sqlId(KIND.store, 's')}, 'POS ' || p, now()
        FROM generate_series(1, ${stores}) s, generate_series(1, ${POSES_PER_STORE}) p`);
    await main.query(`
      INSERT INTO "AcquirerContract" ("id", "storeId", "acquirerId", "merchantNumber", "status", "verifiedAt", "updatedAt")
      SELECT ${sqlId(KIND.contract, '(s - 1) * ' + ACQUIRERS + ' + a')}, ${sqlId(KIND.store, 's')}, ${sqlId(KIND.acquirer, 'a')}, 'B' || a || '-' || s, 'VERIFIED', now(), now()
        FROM generate_series(1, ${stores}) s, generate_series(1, ${ACQUIRERS}) a`);
    // Link l: store s, POS p, acquirer a (every POS of a store with every acquirer).
    await main.query(`
      INSERT INTO "PosAcquirer" ("id", "storeId", "posId", "acquirerId", "contractId", "status", "updatedAt")
      SELECT ${sqlId(KIND.link, 'l')}, ${sqlId(KIND.store, 'x.s')}, ${sqlId(KIND.pos, `(x.s - 1) * ${POSES_PER_STORE} + x.p`)}, ${sqlId(KIND.acquirer, 'x.a')},
             ${sqlId(KIND.contract, `(x.s - 1) * ${ACQUIRERS} + x.a`)}, 'REGISTERED', now()
        FROM generate_series(1, ${links}) l,
             LATERAL (SELECT (l - 1) / ${ACQUIRERS * POSES_PER_STORE} + 1 AS s, ((l - 1) % ${ACQUIRERS * POSES_PER_STORE}) / ${ACQUIRERS} + 1 AS p, (l - 1) % ${ACQUIRERS} + 1 AS a) x`);
    log(`stores, POSes, contracts and ${links.toLocaleString('en')} POS × acquirer links (${((performance.now() - started) / 1000).toFixed(0)} s)`);

    // Certificate (and key pair) g: link (g + 1) / 2, odd g the signature pair. A link's two certificates were
    // issued together and expire together; the moment comes from a hash of the link, uniform over the span.
    const spanMs = (PAST_DAYS + FUTURE_DAYS) * DAY_MS;
    const chunk = 250_000;
    const chunks: [number, number][] = [];
    for (let from = 1; from <= total; from += chunk) chunks.push([from, Math.min(total, from + chunk - 1)]);
    const statements = (from: number, to: number) => {
      const shape = `
        FROM generate_series(${from}, ${to}) g,
             LATERAL (SELECT (g + 1) / 2 AS l, CASE WHEN g % 2 = 1 THEN 'SIGNATURE' ELSE 'KEY_EXCHANGE' END::"CertificateUsage" AS usage) k,
             LATERAL (SELECT (k.l - 1) / ${ACQUIRERS * POSES_PER_STORE} + 1 AS s,
                             ${at} + make_interval(secs => ((('x' || substr(md5('n' || k.l), 1, 12))::bit(48)::bigint % ${spanMs}) - ${PAST_DAYS * DAY_MS}) / 1000.0) AS "notAfter") x`;
      return [
        `INSERT INTO "KeyPair" ("id", "storeId", "posAcquirerId", "usage", "algorithm", "publicKeyPem", "encryptedPrivateKey", "masterKeyVersion", "createdAt")
         SELECT ${sqlId(KIND.keyPair, 'g')}, ${sqlId(KIND.store, 'x.s')}, ${sqlId(KIND.link, 'k.l')}, k.usage, 'EC_P256', $1::text,
                decode(md5('iv' || g) || md5('key' || g) || md5('more' || g) || md5('tag' || g) || md5('end' || g), 'hex'), 1, x."notAfter" - interval '365 days' ${shape}`,
        `INSERT INTO "Certificate" ("id", "storeId", "posAcquirerId", "keyPairId", "usage", "serialNumber", "issuerDn", "subjectDn", "notBefore", "notAfter", "status", "pem", "createdAt", "updatedAt")
         SELECT ${sqlId(KIND.certificate, 'g')}, ${sqlId(KIND.store, 'x.s')}, ${sqlId(KIND.link, 'k.l')}, ${sqlId(KIND.keyPair, 'g')}, k.usage,
                md5('serial' || g), 'CN=ServerPOS Bench Merchant CA,O=ServerPOS Bench PKI', 'CN=POS ' || k.l || ' (B-' || x.s || '),O=Bench store ' || x.s,
                x."notAfter" - interval '365 days', x."notAfter",
                (CASE WHEN x."notAfter" <= ${at} THEN 'EXPIRED' ELSE 'ACTIVE' END)::"CertificateStatus", $1::text,
                x."notAfter" - interval '365 days', x."notAfter" - interval '365 days' ${shape}`,
      ];
    };
    let done = 0;
    let next = 0;
    // Two loading connections: PostgreSQL generates and writes the rows of a chunk on one core.
    const worker = async () => {
      const client = await connect();
      try {
        await client.query(`SET session_replication_role = replica`);
        for (let index = next++; index < chunks.length; index = next++) {
          const [from, to] = chunks[index]!;
          const [keyPairs, certificateRows] = statements(from, to);
          await client.query(keyPairs!, [publicKeyPem]);
          await client.query(certificateRows!, [chain]);
          done += to - from + 1;
          log(`loaded ${done.toLocaleString('en')} of ${total.toLocaleString('en')} certificates and key pairs (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      } finally {
        await client.end();
      }
    };
    await Promise.all([worker(), worker()]);
    // The alerts earlier scans wrote: every threshold each certificate has crossed by the anchor, at the moment it crossed.
    const alerts = await main.query(`
      INSERT INTO "CertificateExpiryAlert" ("id", "certificateId", "thresholdDays", "createdAt")
      SELECT md5('alert' || c."id" || t)::uuid, c."id", t, c."notAfter" - make_interval(days => t)
        FROM "Certificate" c, unnest(ARRAY[30, 14, 7, 1]) t
       WHERE c."notAfter" <= ${at} + make_interval(days => t)`);
    const insertSeconds = (performance.now() - started) / 1000;
    log(`inserted in ${insertSeconds.toFixed(0)} s (${alerts.rowCount?.toLocaleString('en')} alert rows)`);

    const indexSeconds = await buildIndexes(connect, indexes);
    log(`built ${indexes.length} indexes in ${indexSeconds.toFixed(0)} s`);

    const vacuumSeconds = await vacuumAnalyze(main, ['Store', 'Pos', 'Acquirer', 'AcquirerContract', ...BIG_TABLES]);

    const dataset: LoadedCertificates = { certificates: total, anchor, clock: anchor, alerts: alerts.rowCount ?? 0, insertSeconds, indexSeconds, vacuumSeconds, loadedAt: new Date() };
    // Written last: a dataset without this row is half-loaded.
    await main.query(`CREATE TABLE "_bench_certificates" ("version" text NOT NULL, "certificates" bigint NOT NULL, "anchor" timestamptz NOT NULL, "clock" timestamptz NOT NULL,
                        "alerts" bigint NOT NULL, "insertSeconds" float8 NOT NULL, "indexSeconds" float8 NOT NULL, "vacuumSeconds" float8 NOT NULL, "loadedAt" timestamptz NOT NULL, "completed" boolean NOT NULL)`);
    await main.query(`INSERT INTO "_bench_certificates" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true)`, [
      DATASET_VERSION,
      total,
      anchor,
      anchor,
      dataset.alerts,
      insertSeconds,
      indexSeconds,
      vacuumSeconds,
      dataset.loadedAt,
    ]);
    return dataset;
  } finally {
    await main.end();
  }
}
