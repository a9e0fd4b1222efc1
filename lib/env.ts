import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { dataDir } from '@/lib/db/paths';

/**
 * The one reader of the environment. Every process (app, worker, scripts) calls
 * env() at start-up; a missing or malformed variable stops it with the
 * variable's name, instead of failing later somewhere less obvious.
 *
 * Local mode: when DATABASE_URL, AUTH_SECRET, SMTP_URL, MASTER_KEYS or
 * PARTNER_SECRET is unset, the values that `npm run demo` wrote to
 * .data/local.json are used (the embedded database's URL and the secrets
 * generated on first run). Production sets them all explicitly.
 */

const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

const schema = z.object({
  DATABASE_URL: postgresUrl,
  /** Connections each process keeps to PostgreSQL (the app and the worker each have a pool this size). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Public base URL of the app; https here makes session cookies Secure. */
  APP_URL: z.string().url().default('http://localhost:3000'),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters'),
  SMTP_URL: z
    .string()
    .url()
    .refine((value) => /^smtps?:\/\//.test(value), 'must be an smtp:// or smtps:// URL'),
  MAIL_FROM: z.string().min(3).default('ServerPOS <no-reply@serverpos.localhost>'),
  /** A console session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  /** …and after this many hours whatever the activity. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** How often the worker polls the outbox, in milliseconds. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * Master keys that wrap the stores' private keys (AES-256-GCM), as `version:base64` pairs separated by
   * commas, e.g. `1:…,2:…`. The highest version wraps new keys; the others only unwrap, until
   * `npm run keys:rewrap` has moved every key to the highest.
   */
  MASTER_KEYS: z.string().regex(/^\d{1,6}:[A-Za-z0-9+/_-]{43}=?(,\d{1,6}:[A-Za-z0-9+/_-]{43}=?)*$/, 'must be version:base64-of-32-bytes pairs separated by commas'),
  /** The certificate authority's base URL (CertReq, CRLs, revocation). */
  CA_URL: z.string().url().default('http://127.0.0.1:7100'),
  /** How long an authorisation waits for the gateway before its outcome is unknown. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(20_000),
  /** An unknown outcome is settled by inquiry, or at this deadline by a reversal. */
  UNKNOWN_OUTCOME_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** How often the worker looks for unknown outcomes to settle. */
  PAYMENT_RESOLVE_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * An authorisation, capture, void or refund still in flight this many seconds after its gateway call must
   * have ended was interrupted (its app instance stopped): the worker takes it over (see recover-interrupted-payments).
   */
  IN_FLIGHT_GRACE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Gateway failures in a row (no answer, refused, 5xx, unverifiable; never a decline) that open an acquirer's circuit breaker. */
  GATEWAY_CIRCUIT_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  /** How long an open breaker refuses authorisations before one trial may go to the gateway. */
  GATEWAY_CIRCUIT_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** This app instance's name in the operator console's breaker table (default: host name and process id). */
  INSTANCE_NAME: z.string().trim().min(1).max(120).regex(/^[A-Za-z0-9._:@/-]+$/, 'must be letters, digits and . _ : @ / -').optional(),
  /** The UTC hour (0–23) at which the worker closes and sends the day's capture batches (DAILY_BATCH POSes). */
  CAPTURE_BATCH_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(23),
  /** Every how many minutes the worker tests the connection to every acquirer's gateway; divides an hour, so the runs are evenly spaced. */
  CONNECTION_TEST_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .refine((minutes) => minutes >= 1 && minutes <= 60 && 60 % minutes === 0, 'must divide 60: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60')
    .default(15),
  /** `on`: the checkout's answers carry a Server-Timing header (database, gateway and CA waits, own time), for benchmarks and profiling. */
  SERVER_TIMING: z.enum(['on', 'off']).default('off'),
  /** Bearer credential for institution-to-institution calls to acquirer registries and the CA. */
  PARTNER_SECRET: z.string().min(16, 'must be at least 16 characters'),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(readonly variable: string, reason: string) {
    super(`environment variable ${variable}: ${reason}`);
    this.name = 'EnvError';
  }
}

const localKeys = { DATABASE_URL: 'databaseUrl', AUTH_SECRET: 'authSecret', SMTP_URL: 'smtpUrl', MASTER_KEYS: 'masterKeys', PARTNER_SECRET: 'partnerSecret' } as const;

function readLocalDefaults(): Record<string, string> {
  try {
    const local = JSON.parse(readFileSync(path.join(dataDir(), 'local.json'), 'utf8')) as Record<string, unknown>;
    const defaults: Record<string, string> = {};
    for (const [variable, key] of Object.entries(localKeys)) {
      const value = local[key];
      if (typeof value === 'string') defaults[variable] = value;
    }
    return defaults;
  } catch {
    return {};
  }
}

/** Validates a set of variables (process.env by default) and returns them typed. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const needsLocal = Object.keys(localKeys).some((variable) => given[variable] === undefined);
  const merged = needsLocal ? { ...readLocalDefaults(), ...given } : given;
  const result = schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const reason =
      merged[variable] === undefined
        ? 'is not set' + (variable in localKeys ? ' (run `npm run demo` once to create local defaults, or set it)' : '')
        : issue.message;
    throw new EnvError(variable, reason);
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Forgets the parsed environment, for tests that start services on free ports after start-up and then set their variables. */
export function resetEnvForTests(): void {
  cached = undefined;
}
