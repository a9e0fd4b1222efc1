import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';

const valid = {
  DATABASE_URL: 'postgres://serverpos:secret@127.0.0.1:5432/serverpos',
  AUTH_SECRET: 'a'.repeat(32),
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MASTER_KEYS: `1:${'A'.repeat(43)}=`,
  PARTNER_SECRET: 'p'.repeat(16),
};

function envError(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('parseEnv accepted the environment');
}

let dataDir: string;

beforeEach(() => {
  // parseEnv falls back on <SERVERPOS_DATA_DIR>/local.json; point it at an empty folder
  // so nothing a developer's `npm run demo` wrote to .data/ can leak into these tests.
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'serverpos-env-'));
  vi.stubEnv('SERVERPOS_DATA_DIR', dataDir);
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const config = parseEnv(valid);
    expect(config).toEqual({
      ...valid,
      APP_URL: 'http://localhost:3000',
      MAIL_FROM: 'ServerPOS <no-reply@serverpos.localhost>',
      SESSION_IDLE_MINUTES: 15,
      SESSION_MAX_HOURS: 12,
      OUTBOX_POLL_MS: 500,
      LOG_LEVEL: 'info',
      CA_URL: 'http://127.0.0.1:7100',
      GATEWAY_TIMEOUT_MS: 20_000,
      UNKNOWN_OUTCOME_DEADLINE_SECONDS: 600,
      PAYMENT_RESOLVE_POLL_MS: 30_000,
      IN_FLIGHT_GRACE_SECONDS: 60,
      GATEWAY_CIRCUIT_FAILURES: 5,
      GATEWAY_CIRCUIT_COOLDOWN_SECONDS: 30,
      CAPTURE_BATCH_HOUR_UTC: 23,
      CONNECTION_TEST_INTERVAL_MINUTES: 15,
      DATABASE_POOL_SIZE: 20,
      SERVER_TIMING: 'off',
    });
  });

  it('refuses a pool size out of range and a Server-Timing switch other than on/off', () => {
    expect(() => parseEnv({ ...valid, DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => parseEnv({ ...valid, DATABASE_POOL_SIZE: '500' })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => parseEnv({ ...valid, SERVER_TIMING: 'yes' })).toThrow(/SERVER_TIMING/);
    expect(parseEnv({ ...valid, DATABASE_POOL_SIZE: '40', SERVER_TIMING: 'on' })).toMatchObject({ DATABASE_POOL_SIZE: 40, SERVER_TIMING: 'on' });
  });

  it('refuses circuit-breaker settings out of range and an instance name with spaces', () => {
    expect(() => parseEnv({ ...valid, GATEWAY_CIRCUIT_FAILURES: '0' })).toThrow(/GATEWAY_CIRCUIT_FAILURES/);
    expect(() => parseEnv({ ...valid, GATEWAY_CIRCUIT_COOLDOWN_SECONDS: '0' })).toThrow(/GATEWAY_CIRCUIT_COOLDOWN_SECONDS/);
    expect(() => parseEnv({ ...valid, GATEWAY_CIRCUIT_COOLDOWN_SECONDS: '1.5' })).toThrow(/GATEWAY_CIRCUIT_COOLDOWN_SECONDS/);
    expect(() => parseEnv({ ...valid, INSTANCE_NAME: 'app one' })).toThrow(/INSTANCE_NAME/);
    expect(parseEnv({ ...valid, GATEWAY_CIRCUIT_FAILURES: '3', GATEWAY_CIRCUIT_COOLDOWN_SECONDS: '10', INSTANCE_NAME: 'app-1' })).toMatchObject({ GATEWAY_CIRCUIT_FAILURES: 3, GATEWAY_CIRCUIT_COOLDOWN_SECONDS: 10, INSTANCE_NAME: 'app-1' });
  });

  it('coerces numbers and keeps explicit values', () => {
    const config = parseEnv({ ...valid, SESSION_IDLE_MINUTES: '5', SESSION_MAX_HOURS: '2', APP_URL: 'https://pos.example.com', LOG_LEVEL: 'debug' });
    expect(config.SESSION_IDLE_MINUTES).toBe(5);
    expect(config.SESSION_MAX_HOURS).toBe(2);
    expect(config.APP_URL).toBe('https://pos.example.com');
    expect(config.LOG_LEVEL).toBe('debug');
  });

  it('accepts postgresql:// as well as postgres://', () => {
    expect(parseEnv({ ...valid, DATABASE_URL: 'postgresql://u@db.internal/serverpos' }).DATABASE_URL).toBe('postgresql://u@db.internal/serverpos');
  });

  it('takes the capture batch hour as a UTC hour from 0 to 23', () => {
    expect(parseEnv({ ...valid, CAPTURE_BATCH_HOUR_UTC: '0' }).CAPTURE_BATCH_HOUR_UTC).toBe(0);
    expect(envError({ ...valid, CAPTURE_BATCH_HOUR_UTC: '24' }).variable).toBe('CAPTURE_BATCH_HOUR_UTC');
    expect(envError({ ...valid, CAPTURE_BATCH_HOUR_UTC: '6.5' }).variable).toBe('CAPTURE_BATCH_HOUR_UTC');
  });

  it('takes the connection test interval in minutes that divide an hour', () => {
    expect(parseEnv({ ...valid, CONNECTION_TEST_INTERVAL_MINUTES: '5' }).CONNECTION_TEST_INTERVAL_MINUTES).toBe(5);
    expect(parseEnv({ ...valid, CONNECTION_TEST_INTERVAL_MINUTES: '60' }).CONNECTION_TEST_INTERVAL_MINUTES).toBe(60);
    for (const wrong of ['0', '7', '90', '2.5', 'often']) {
      const error = envError({ ...valid, CONNECTION_TEST_INTERVAL_MINUTES: wrong });
      expect(error.variable).toBe('CONNECTION_TEST_INTERVAL_MINUTES');
    }
    expect(envError({ ...valid, CONNECTION_TEST_INTERVAL_MINUTES: '7' }).message).toContain('must divide 60');
  });

  it('names a missing variable and says it is not set', () => {
    const error = envError({ AUTH_SECRET: valid.AUTH_SECRET, SMTP_URL: valid.SMTP_URL });
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).toMatch(/^environment variable DATABASE_URL: is not set/);
  });

  it('treats an empty variable as unset', () => {
    expect(envError({ ...valid, AUTH_SECRET: '' }).variable).toBe('AUTH_SECRET');
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    for (const url of ['mysql://u:p@127.0.0.1/db', 'http://127.0.0.1:5432/db', 'file:./dev.db']) {
      const error = envError({ ...valid, DATABASE_URL: url });
      expect(error.variable).toBe('DATABASE_URL');
      expect(error.message).not.toMatch(/is not set/);
    }
    expect(envError({ ...valid, DATABASE_URL: 'mysql://u:p@127.0.0.1/db' }).message).toMatch(/postgres:\/\//);
  });

  it('rejects an AUTH_SECRET shorter than 32 characters', () => {
    const error = envError({ ...valid, AUTH_SECRET: 'a'.repeat(31) });
    expect(error.variable).toBe('AUTH_SECRET');
    expect(error.message).toContain('at least 32 characters');
  });

  it('rejects an SMTP_URL that is not smtp:// or smtps://', () => {
    expect(envError({ ...valid, SMTP_URL: 'http://127.0.0.1:1025' }).variable).toBe('SMTP_URL');
    expect(parseEnv({ ...valid, SMTP_URL: 'smtps://user:pw@mail.example.com:465' }).SMTP_URL).toBe('smtps://user:pw@mail.example.com:465');
  });

  it('names the variable of a malformed optional setting', () => {
    expect(envError({ ...valid, SESSION_IDLE_MINUTES: '0' }).variable).toBe('SESSION_IDLE_MINUTES');
    expect(envError({ ...valid, SESSION_MAX_HOURS: 'twelve' }).variable).toBe('SESSION_MAX_HOURS');
    expect(envError({ ...valid, OUTBOX_POLL_MS: '10' }).variable).toBe('OUTBOX_POLL_MS');
    expect(envError({ ...valid, LOG_LEVEL: 'verbose' }).variable).toBe('LOG_LEVEL');
    expect(envError({ ...valid, APP_URL: 'not a url' }).variable).toBe('APP_URL');
  });

  it('reads nothing from .data when SERVERPOS_DATA_DIR names an empty folder', () => {
    const error = envError({});
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).toContain('npm run demo');
  });

  it('fills unset local settings (database, secrets, SMTP, master keys) from local.json in SERVERPOS_DATA_DIR, explicit values first', () => {
    writeFileSync(
      path.join(dataDir, 'local.json'),
      JSON.stringify({
        databaseUrl: 'postgres://local@127.0.0.1:54320/postgres',
        authSecret: 'l'.repeat(40),
        smtpUrl: 'smtp://127.0.0.1:1025',
        masterKeys: `3:${'B'.repeat(43)}`,
        partnerSecret: 'local-partner-secret',
        appUrl: 'http://ignored',
      }),
    );
    const config = parseEnv({ AUTH_SECRET: valid.AUTH_SECRET });
    expect(config.DATABASE_URL).toBe('postgres://local@127.0.0.1:54320/postgres');
    expect(config.SMTP_URL).toBe('smtp://127.0.0.1:1025');
    expect(config.MASTER_KEYS).toBe(`3:${'B'.repeat(43)}`);
    expect(config.PARTNER_SECRET).toBe('local-partner-secret');
    expect(config.AUTH_SECRET).toBe(valid.AUTH_SECRET);
    // Only the local keys are taken from the file.
    expect(config.APP_URL).toBe('http://localhost:3000');
  });

  it('ignores an unreadable local.json', () => {
    writeFileSync(path.join(dataDir, 'local.json'), '{ not json');
    expect(envError({ ...valid, DATABASE_URL: undefined }).variable).toBe('DATABASE_URL');
  });
});
