/**
 * The dashboards benchmark's dataset: stores with one POS each, three acquirers (one brand each) with a
 * contract per store, and a year of orders, payments and their authorisation, capture and refund
 * transactions, shaped like the app writes them (one in ten declined, seven in ten of the rest captured an
 * hour later, one in fifty of those refunded in part). Loaded set-based inside PostgreSQL (generate_series,
 * chunks on two connections) with the big tables' secondary indexes dropped during the load and built
 * afterwards, and the foreign-key triggers off for the loading sessions (session_replication_role =
 * replica): the rows are consistent by construction. Tables stay logged and durable, as in production.
 *
 * The dataset is kept in its own database of the bench server, with a marker table written last: a later run
 * reuses it when the marker names this loader version and these sizes, and loads it again otherwise (also
 * after a load that did not finish).
 */
import type pg from 'pg';
import { buildIndexes, dropSecondaryIndexes, vacuumAnalyze } from './support/bulk-load';

/** Bump when the shape of the loaded rows changes: cached datasets of another version are loaded again. */
export const DATASET_VERSION = 'dashboards-dataset-1';

export interface DatasetSizes {
  payments: number;
  stores: number;
  days: number;
}

export interface LoadedDataset extends DatasetSizes {
  /** Every timestamp of the dataset is before this instant; "today" for the queries. */
  anchor: Date;
  /** Rows written (stores, POSes, contracts, orders, payments, transactions). */
  rows: number;
  /** Inserting the rows, building the dropped indexes, VACUUM ANALYZE. */
  insertSeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
  loadedAt: Date;
}

export const BRANDS = ['VISA', 'JCB', 'BANK'] as const;

/** The fixed ids of the dataset: kind in the first group, number in the last. */
export const benchId = (kind: number, number: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${number.toString(16).padStart(12, '0')}`;
const sqlId = (kind: number, expression: string) => `('${kind.toString(16).padStart(8, '0')}-0000-4000-8000-' || lpad(to_hex(${expression}), 12, '0'))::uuid`;
export const KIND = { store: 1, pos: 2, acquirer: 3, contract: 4, order: 5, payment: 6, authorization: 7, capture: 8, refund: 9 } as const;

/** The marker of a complete dataset, or null when there is none (or a half-loaded one). */
export async function readDatasetMarker(client: pg.Client): Promise<(LoadedDataset & { version: string }) | null> {
  const exists = await client.query(`SELECT to_regclass('"_bench_dataset"') IS NOT NULL AS "exists"`);
  if (!exists.rows[0].exists) return null;
  const { rows } = await client.query(`SELECT * FROM "_bench_dataset" WHERE "completed"`);
  const row = rows[0];
  if (!row) return null;
  return {
    version: row.version,
    payments: Number(row.payments),
    stores: Number(row.stores),
    days: Number(row.days),
    anchor: row.anchor,
    rows: Number(row.rows),
    insertSeconds: Number(row.insertSeconds),
    indexSeconds: Number(row.indexSeconds),
    vacuumSeconds: Number(row.vacuumSeconds),
    loadedAt: row.loadedAt,
  };
}

const BIG_TABLES = ['Order', 'Payment', 'PaymentTransaction'];

/**
 * Loads the dataset into an empty database that has the app's migrations applied. `connect` opens a new
 * connection to it (the loader uses three).
 */
export async function loadDataset(connect: () => Promise<pg.Client>, sizes: DatasetSizes, log: (line: string) => void): Promise<LoadedDataset> {
  const anchor = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const main = await connect();
  try {
    await main.query(`SET session_replication_role = replica`);
    // The secondary indexes of the big tables: dropped now, built again from their definitions after the load.
    const indexes = await dropSecondaryIndexes(main, BIG_TABLES);

    const started = performance.now();
    const { stores, payments, days } = sizes;
    await main.query(
      `INSERT INTO "Acquirer" ("id", "code", "name", "brands", "gatewayUrl", "updatedAt")
       SELECT ${sqlId(KIND.acquirer, 'a')}, 'BENCH-' || b, 'Bench acquirer ' || b, ARRAY[b], 'http://127.0.0.1:9/set', now()
         FROM unnest($1::text[]) WITH ORDINALITY AS x(b, a)`,
      [BRANDS],
    );
    await main.query(`
      INSERT INTO "Store" ("id", "name", "contactEmail", "status", "updatedAt")
      SELECT ${sqlId(KIND.store, 's')}, 'Bench store ' || s, 'bench-' || s || '@stores.test', 'ACTIVE', now() FROM generate_series(1, ${stores}) s`);
    await main.query(`
      INSERT INTO "Pos" ("id", "storeId", "name", "updatedAt")
      SELECT ${sqlId(KIND.pos, 's')}, ${sqlId(KIND.store, 's')}, 'Web shop', now() FROM generate_series(1, ${stores}) s`);
    await main.query(`
      INSERT INTO "AcquirerContract" ("id", "storeId", "acquirerId", "merchantNumber", "status", "verifiedAt", "updatedAt")
      SELECT ${sqlId(KIND.contract, '(a - 1) * ' + stores + ' + s')}, ${sqlId(KIND.store, 's')}, ${sqlId(KIND.acquirer, 'a')}, 'B' || a || '-' || s, 'VERIFIED', now(), now()
        FROM generate_series(1, ${stores}) s, generate_series(1, ${BRANDS.length}) a`);

    // Payment g: store g % stores, acquirer (g / stores) % 3 (so every store uses every acquirer), spread over
    // the days before the anchor (7919 is prime to the seconds of the period: no two payments share a second).
    const chunk = Math.max(50_000, Math.min(1_000_000, Math.ceil(payments / 20)));
    const chunks: [number, number][] = [];
    for (let from = 1; from <= payments; from += chunk) chunks.push([from, Math.min(payments, from + chunk - 1)]);
    const statements = (from: number, to: number) => {
      const shape = `
        FROM generate_series(${from}::bigint, ${to}::bigint) g,
             LATERAL (SELECT (g % ${stores}) + 1 AS s, (g / ${stores}) % 3 + 1 AS a, 1000 + g % 9000 AS amount,
                             $1::timestamptz - interval '3 hours' - make_interval(secs => (g * 7919 % (${days} * 86400))::double precision) AS at) x`;
      const store = sqlId(KIND.store, 'x.s');
      const pos = sqlId(KIND.pos, 'x.s');
      return [
        `INSERT INTO "Order" ("id", "storeId", "posId", "shopOrderRef", "amount", "currency", "lineItems", "description", "successUrl", "failureUrl", "status", "checkoutToken", "expiresAt", "createdAt", "updatedAt")
         SELECT ${sqlId(KIND.order, 'g')}, ${store}, ${pos}, 'order-' || g, x.amount, 'JPY', '[]', 'Bench order ' || g, 'https://shop.example/ok', 'https://shop.example/ng',
                'PAID', 'bench-' || g, x.at + interval '1 hour', x.at, x.at ${shape}`,
        `INSERT INTO "Payment" ("id", "storeId", "posId", "orderId", "acquirerId", "xid", "brand", "amount", "currency", "status", "capturedAmount", "refundedAmount", "declineCode", "createdAt", "updatedAt")
         SELECT ${sqlId(KIND.payment, 'g')}, ${store}, ${pos}, ${sqlId(KIND.order, 'g')}, ${sqlId(KIND.acquirer, 'x.a')}, 'bench:' || g, (ARRAY['${BRANDS.join("','")}'])[x.a], x.amount, 'JPY',
                (CASE WHEN g % 10 = 0 THEN 'DECLINED' WHEN g % 50 = 1 THEN 'PARTIALLY_REFUNDED' WHEN g % 10 < 8 THEN 'CAPTURED' ELSE 'AUTHORIZED' END)::"PaymentStatus",
                CASE WHEN g % 10 BETWEEN 1 AND 7 THEN x.amount ELSE 0 END, CASE WHEN g % 50 = 1 THEN 500 ELSE 0 END,
                CASE WHEN g % 10 = 0 THEN (ARRAY['insufficient_funds','do_not_honor','expired_card'])[g % 3 + 1] END, x.at,
                x.at + CASE WHEN g % 50 = 1 THEN interval '2 hours' WHEN g % 10 BETWEEN 1 AND 7 THEN interval '1 hour' ELSE interval '0' END ${shape}`,
        `INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "responseCode", "latencyMs", "createdAt", "completedAt")
         SELECT ${sqlId(KIND.authorization, 'g')}, ${store}, ${sqlId(KIND.payment, 'g')}, 'AUTHORIZE', (CASE WHEN g % 10 = 0 THEN 'FAILED' ELSE 'SUCCEEDED' END)::"PaymentTransactionStatus",
                x.amount, 'auth-' || g, CASE WHEN g % 10 = 0 THEN 'declined' ELSE 'approved' END, 300 + g % 700, x.at, x.at + interval '1 second' ${shape}`,
        `INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "responseCode", "latencyMs", "createdAt", "completedAt")
         SELECT ${sqlId(KIND.capture, 'g')}, ${store}, ${sqlId(KIND.payment, 'g')}, 'CAPTURE', 'SUCCEEDED', x.amount, 'capture-' || g, 'approved', 200 + g % 500,
                x.at + interval '1 hour', x.at + interval '1 hour 1 second' ${shape}
          WHERE g % 10 BETWEEN 1 AND 7`,
        `INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "responseCode", "latencyMs", "createdAt", "completedAt")
         SELECT ${sqlId(KIND.refund, 'g')}, ${store}, ${sqlId(KIND.payment, 'g')}, 'REFUND', 'SUCCEEDED', 500, 'refund-' || g, 'approved', 200 + g % 500,
                x.at + interval '2 hours', x.at + interval '2 hours 1 second' ${shape}
          WHERE g % 50 = 1`,
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
          for (const statement of statements(from, to)) await client.query(statement, [anchor]);
          done += to - from + 1;
          log(`loaded ${done.toLocaleString('en')} of ${payments.toLocaleString('en')} payments (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      } finally {
        await client.end();
      }
    };
    await Promise.all([worker(), worker()]);
    const insertSeconds = (performance.now() - started) / 1000;

    const indexSeconds = await buildIndexes(connect, indexes);
    log(`built ${indexes.length} indexes in ${indexSeconds.toFixed(0)} s`);

    const vacuumSeconds = await vacuumAnalyze(main, ['Store', 'Pos', 'Acquirer', 'AcquirerContract', ...BIG_TABLES]);

    const { rows: counts } = await main.query<{ rows: string }>(
      `SELECT (SELECT COUNT(*) FROM "Store") + (SELECT COUNT(*) FROM "Pos") + (SELECT COUNT(*) FROM "AcquirerContract") + (SELECT COUNT(*) FROM "Order")
            + (SELECT COUNT(*) FROM "Payment") + (SELECT COUNT(*) FROM "PaymentTransaction") AS "rows"`,
    );
    const dataset: LoadedDataset = { ...sizes, anchor, rows: Number(counts[0]!.rows), insertSeconds, indexSeconds, vacuumSeconds, loadedAt: new Date() };
    // Written last: a dataset without this row is half-loaded.
    await main.query(`CREATE TABLE "_bench_dataset" ("version" text NOT NULL, "payments" bigint NOT NULL, "stores" int NOT NULL, "days" int NOT NULL, "anchor" timestamptz NOT NULL,
                        "rows" bigint NOT NULL, "insertSeconds" float8 NOT NULL, "indexSeconds" float8 NOT NULL, "vacuumSeconds" float8 NOT NULL, "loadedAt" timestamptz NOT NULL, "completed" boolean NOT NULL)`);
    await main.query(`INSERT INTO "_bench_dataset" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true)`, [
      DATASET_VERSION,
      sizes.payments,
      sizes.stores,
      sizes.days,
      anchor,
      dataset.rows,
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
