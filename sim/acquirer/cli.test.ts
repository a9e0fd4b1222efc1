import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAcquirerRequest, type VerifiedAcquirerRequest } from '@/lib/acquirers/request-signature';
import { generateKeyPair } from '@/lib/pki';
import { createKeyExchangeIdentity, createSigner, InMemoryReplayCache, isSetError } from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';
import type { SimConfig } from '../config';
import { CliUsageError, credentialFilePath, EXIT, parseCliArgs, run } from './cli';
import { gatewayKeysPath, writeGatewayKeys } from './keys-file';

describe('parseCliArgs', () => {
  it('reads every command', () => {
    expect(parseCliArgs(['ACQ-CARD', 'list'])).toEqual({ command: 'list', acquirerId: 'ACQ-CARD' });
    expect(parseCliArgs(['ACQ-CARD', 'suspend', 'M-1', '--reason', 'chargebacks'])).toEqual({ command: 'suspend', acquirerId: 'ACQ-CARD', merchantNumber: 'M-1', reason: 'chargebacks' });
    expect(parseCliArgs(['ACQ-CARD', 'resume', 'M-1'])).toEqual({ command: 'resume', acquirerId: 'ACQ-CARD', merchantNumber: 'M-1' });
    expect(parseCliArgs(['ACQ-CARD', 'update-info', 'M-1', '--name', 'Sakura Books Annex'])).toEqual({ command: 'update-info', acquirerId: 'ACQ-CARD', merchantNumber: 'M-1', name: 'Sakura Books Annex' });
  });

  it('reads the commands that only ask ServerPOS', () => {
    expect(parseCliArgs(['ACQ-CARD', 'stores'])).toEqual({ command: 'stores', acquirerId: 'ACQ-CARD' });
    expect(parseCliArgs(['ACQ-CARD', 'stores', '--status', 'suspended'])).toEqual({ command: 'stores', acquirerId: 'ACQ-CARD', status: 'SUSPENDED' });
    expect(parseCliArgs(['ACQ-CARD', 'confirm-enrolment', 'M-1', '--decision', 'verified'])).toEqual({ command: 'confirm-enrolment', acquirerId: 'ACQ-CARD', merchantNumber: 'M-1', decision: 'verified' });
    expect(parseCliArgs(['ACQ-CARD', 'confirm-enrolment', 'M-1', '--decision', 'rejected', '--reason', 'no'])).toMatchObject({ decision: 'rejected', reason: 'no' });
    expect(parseCliArgs(['ACQ-CARD', 'confirm-withdrawal', 'M-1'])).toEqual({ command: 'confirm-withdrawal', acquirerId: 'ACQ-CARD', merchantNumber: 'M-1' });
    expect(parseCliArgs(['ACQ-CARD', 'report', '--from', '2026-01-01', '--to', '2026-01-31', '--merchant', 'M-1'])).toEqual({ command: 'report', acquirerId: 'ACQ-CARD', from: '2026-01-01', to: '2026-01-31', merchantNumber: 'M-1' });
  });

  it('accepts options before the merchant number and in --name=value form', () => {
    expect(parseCliArgs(['ACQ-CARD', 'suspend', '--reason=fraud review', 'M-1'])).toMatchObject({ merchantNumber: 'M-1', reason: 'fraud review' });
    expect(parseCliArgs(['ACQ-CARD', 'update-info', '--name', ' Kumo ', 'M-1'])).toMatchObject({ name: 'Kumo' });
  });

  it('answers help however it is asked', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h'], ['ACQ-CARD', 'help'], ['ACQ-CARD', '--help']]) expect(parseCliArgs(argv)).toEqual({ command: 'help' });
  });

  it.each([
    [['ACQ-CARD'], /Name a command/],
    [['ACQ-CARD', 'delete', 'M-1'], /Unknown command "delete"/],
    [['ACQ-CARD', 'suspend'], /needs a merchant number/],
    [['ACQ-CARD', 'suspend', 'M-1'], /needs --reason/],
    [['ACQ-CARD', 'suspend', 'M-1', '--reason'], /--reason needs a value/],
    [['ACQ-CARD', 'suspend', 'M-1', '--reason', '--name', 'x'], /--reason needs a value/],
    [['ACQ-CARD', 'suspend', 'M-1', '--reason', '   '], /reason must not be empty/],
    [['ACQ-CARD', 'suspend', 'M-1', '--reason', 'a', '--reason', 'b'], /given twice/],
    [['ACQ-CARD', 'suspend', 'M-1', '--name', 'x', '--reason', 'y'], /no option --name/],
    [['ACQ-CARD', 'resume'], /needs a merchant number/],
    [['ACQ-CARD', 'resume', 'M-1', 'M-2'], /unexpected "M-2"/],
    [['ACQ-CARD', 'resume', 'M-1', '--reason', 'x'], /no option --reason/],
    [['ACQ-CARD', 'update-info', 'M-1'], /needs --name/],
    [['ACQ-CARD', 'update-info', 'M-1', '--name', 'x'.repeat(121)], /at most 120/],
    [['ACQ-CARD', 'list', 'M-1'], /takes no arguments/],
    [['ACQ-CARD', 'resume', '..'], /merchant number "\.\." is not valid/],
    [['ACQ-CARD', 'resume', 'M/1'], /merchant number "M\/1" is not valid/],
    [['ACQ CARD', 'list'], /acquirer id "ACQ CARD" is not valid/],
    [['ACQ-CARD', 'stores', '--status', 'asleep'], /--status is one of/],
    [['ACQ-CARD', 'stores', 'M-1'], /takes no arguments/],
    [['ACQ-CARD', 'confirm-enrolment', 'M-1'], /needs --decision/],
    [['ACQ-CARD', 'confirm-enrolment', 'M-1', '--decision', 'maybe'], /verified or rejected/],
    [['ACQ-CARD', 'confirm-enrolment', 'M-1', '--decision', 'verified', '--reason', 'x'], /--reason goes with --decision rejected/],
    [['ACQ-CARD', 'confirm-withdrawal'], /needs a merchant number/],
    [['ACQ-CARD', 'report', '--from', '2026-01-01'], /needs --to/],
    [['ACQ-CARD', 'report', '--from', '2026-02-30', '--to', '2026-03-01'], /--from must be a date/],
    [['ACQ-CARD', 'report', '--from', '2026-03-02', '--to', '2026-03-01'], /must not be after/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

// ---------------------------------------------------------------------------
// run(): against one local server standing in for both the acquirer's admin API and ServerPOS.

interface Seen {
  method: string;
  url: string;
  body: string;
  verified?: VerifiedAcquirerRequest;
}

const secret = 'sk_test_c2VjcmV0LXNlY3JldA';
const credential = { credentialId: 'acqcred_01', secret };

let world: World;
let folder: string;
let config: SimConfig;
let server: ReturnType<typeof createServer>;
let registry: Map<string, { merchantNumber: string; contractName: string; status: string; info: { version: number; name: string; status: string }; suspendedReason?: string }>;
let serverposSeen: Seen[];
let registrySeen: Seen[];
let serverposAnswer: { status: number; body: unknown } | undefined;

function output() {
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  return { lines, stdout: (line: string) => lines.stdout.push(line), stderr: (line: string) => lines.stderr.push(line) };
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function handleServerpos(method: string, url: string, body: string, headers: IncomingHttpHeaders, party: ReturnType<World['party']>): Promise<{ status: number; body: unknown; verified?: VerifiedAcquirerRequest }> {
  try {
    const verified = await verifyAcquirerRequest({ method, url, body, headers, validator: party.validator, replayCache: party.replayCache!, now: world.clock.now });
    if (verified.credentialId !== credential.credentialId || verified.credentialSecret !== credential.secret) return { status: 401, body: { error: { code: 'invalid_credentials', message: 'Unknown API credential.' } } };
    return { ...(serverposAnswer ?? { status: 200, body: { ok: true } }), verified };
  } catch (error) {
    if (isSetError(error)) return { status: 401, body: { error: { code: error.code, message: error.message } } };
    throw error;
  }
}

beforeAll(async () => {
  world = await createWorld({ algorithm: 'P-256' });
  folder = mkdtempSync(path.join(tmpdir(), 'acquirer-cli-'));
  // The simulator's keys: extractable, certified under the world's gateway CA for ACQ-A.
  const gatewayCa = world.hierarchy.brands.VISA!.gatewayCa;
  const above = world.gateways.a.signer.chain.slice(1);
  const signature = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature', extractable: true });
  const keyExchange = await generateKeyPair({ algorithm: 'P-256', purpose: 'keyExchange', extractable: true });
  await writeGatewayKeys(gatewayKeysPath(folder, 'ACQ-A'), {
    signer: await createSigner(signature.privateKey, [await world.issueLeaf(gatewayCa, { role: 'gateway', usage: 'signature', acquirerId: 'ACQ-A' }, signature.publicKey), ...above]),
    keyExchange: await createKeyExchangeIdentity(keyExchange.privateKey, [await world.issueLeaf(gatewayCa, { role: 'gateway', usage: 'keyExchange', acquirerId: 'ACQ-A' }, keyExchange.publicKey), ...above]),
  });

  const party = { ...world.party(), replayCache: new InMemoryReplayCache(world.clock) };
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const url = request.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const pathname = new URL(url, 'http://127.0.0.1').pathname;
      if (pathname.startsWith('/api/v1/acquirer/')) {
        void handleServerpos(method, url, body, request.headers, party).then(({ status, body: answer, verified }) => {
          serverposSeen.push({ method, url, body, ...(verified ? { verified } : {}) });
          send(response, status, answer);
        });
        return;
      }
      registrySeen.push({ method, url, body });
      if (method === 'GET' && pathname === '/admin/merchants') return send(response, 200, { merchants: [...registry.values()] });
      const match = /^\/admin\/merchants\/([^/]+)$/.exec(pathname);
      const merchant = match ? registry.get(decodeURIComponent(match[1]!)) : undefined;
      if (method !== 'PATCH' || !merchant) return send(response, 404, { error: { code: 'not_found', message: 'No merchant with this number (or it has withdrawn).' } });
      const change = JSON.parse(body) as { status?: string; name?: string; reason?: string };
      if (change.status) {
        merchant.status = merchant.info.status = change.status;
        if (change.status === 'suspended') merchant.suspendedReason = change.reason;
        else delete merchant.suspendedReason;
      }
      if (change.name) merchant.info.name = change.name;
      merchant.info.version += 1;
      send(response, 200, { merchantNumber: merchant.merchantNumber, status: merchant.status, info: merchant.info });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  config = {
    dataDir: folder,
    crlPollSeconds: 10,
    ca: { port: 1, organization: 'Test', brands: ['VISA'], keyAlgorithm: 'P-256', certificateValidityMinutes: 60, crlValidityMinutes: 60 },
    acquirers: [{ id: 'ACQ-A', name: 'Acquirer A', brands: ['VISA'], port: 1, adminPort: port, keyAlgorithm: 'P-256', merchants: [], slowCardSeconds: 0 }],
    partnerSecret: 'partner-secret-for-tests',
    serverposUrl: `http://127.0.0.1:${port}`,
  };
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });
});

beforeEach(() => {
  registry = new Map(
    ['M-0001', 'M:0002'].map((merchantNumber) => [merchantNumber, { merchantNumber, contractName: 'Sakura Books', status: 'active', info: { version: 1, name: 'Sakura Books', status: 'active' } }]),
  );
  serverposSeen = [];
  registrySeen = [];
  serverposAnswer = undefined;
  rmSync(credentialFilePath(folder, 'ACQ-A'), { force: true });
});

const withCredential = { ACQUIRER_API_CREDENTIAL: `${credential.credentialId}:${credential.secret}` };

describe('run', () => {
  it('suspends in the registry, then tells ServerPOS by a request that verifies', async () => {
    const { lines, ...io } = output();
    const code = await run(['ACQ-A', 'suspend', 'M-0001', '--reason', 'chargebacks above threshold'], { config, env: withCredential, now: () => world.clock.now, ...io });
    expect(code).toBe(EXIT.ok);
    expect(registry.get('M-0001')).toMatchObject({ status: 'suspended', suspendedReason: 'chargebacks above threshold', info: { version: 2 } });
    expect(registrySeen).toEqual([{ method: 'PATCH', url: '/admin/merchants/M-0001', body: JSON.stringify({ status: 'suspended', reason: 'chargebacks above threshold' }) }]);
    expect(serverposSeen).toHaveLength(1);
    expect(serverposSeen[0]).toMatchObject({ method: 'POST', url: '/api/v1/acquirer/stores/M-0001/suspension', body: '{"reason":"chargebacks above threshold"}' });
    expect(serverposSeen[0]!.verified).toMatchObject({ credentialId: 'acqcred_01', acquirerId: 'ACQ-A' });
    expect(lines.stdout.join('\n')).toMatch(/ServerPOS was told/);
    expect([...lines.stdout, ...lines.stderr].join('\n')).not.toContain(secret);
  });

  it('resumes with a DELETE and no body, for a merchant number that needs percent-encoding', async () => {
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'resume', 'M:0002'], { config, env: withCredential, ...io })).toBe(EXIT.ok);
    expect(registrySeen[0]).toMatchObject({ method: 'PATCH', url: '/admin/merchants/M%3A0002', body: '{"status":"active"}' });
    expect(serverposSeen[0]).toMatchObject({ method: 'DELETE', url: '/api/v1/acquirer/stores/M%3A0002/suspension', body: '' });
    expect(serverposSeen[0]!.verified?.acquirerId).toBe('ACQ-A');
    expect(lines.stderr).toEqual([]);
  });

  it('updates the store information with the version the registry answered, reading the credential file', async () => {
    mkdirSync(path.dirname(credentialFilePath(folder, 'ACQ-A')), { recursive: true });
    writeFileSync(credentialFilePath(folder, 'ACQ-A'), JSON.stringify(credential), { mode: 0o600 });
    registry.get('M-0001')!.info.version = 6;
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'update-info', 'M-0001', '--name', 'Sakura Books Annex'], { config, env: {}, ...io })).toBe(EXIT.ok);
    expect(serverposSeen[0]).toMatchObject({ method: 'PUT', url: '/api/v1/acquirer/stores/M-0001/info', body: '{"version":7,"name":"Sakura Books Annex"}' });
    expect(serverposSeen[0]!.verified?.credentialId).toBe('acqcred_01');
    expect(lines.stderr).toEqual([]);
  });

  it('without a credential, still changes the registry, says ServerPOS was not told and how to fix it, exit 2', async () => {
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'suspend', 'M-0001', '--reason', 'fraud review'], { config, env: {}, ...io })).toBe(EXIT.serverposNotTold);
    expect(registry.get('M-0001')?.status).toBe('suspended');
    expect(serverposSeen).toEqual([]);
    const message = lines.stderr.join('\n');
    expect(message).toMatch(/ServerPOS was NOT told/);
    expect(message).toContain('ACQUIRER_API_CREDENTIAL');
    expect(message).toContain(credentialFilePath(folder, 'ACQ-A'));
  });

  it('treats a malformed credential as not configured, without echoing it', async () => {
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'resume', 'M-0001'], { config, env: { ACQUIRER_API_CREDENTIAL: 'no-colon-secret-value' }, ...io })).toBe(EXIT.serverposNotTold);
    expect(lines.stderr.join('\n')).not.toContain('no-colon-secret-value');
  });

  it('prints ServerPOS’s error and exits 1 when it refuses, never the secret', async () => {
    const { lines, ...io } = output();
    const wrongSecret = { ACQUIRER_API_CREDENTIAL: `${credential.credentialId}:wrong-secret-value` };
    expect(await run(['ACQ-A', 'suspend', 'M-0001', '--reason', 'x'], { config, env: wrongSecret, ...io })).toBe(EXIT.failed);
    const message = lines.stderr.join('\n');
    expect(message).toContain('invalid_credentials: Unknown API credential. (HTTP 401)');
    expect(message).toMatch(/registry WAS changed; ServerPOS was NOT told/);
    expect(message).not.toContain('wrong-secret-value');

    serverposAnswer = { status: 409, body: { error: { code: 'invalid_state_transition', message: 'The store is not active.' } } };
    const second = output();
    expect(await run(['ACQ-A', 'suspend', 'M-0001', '--reason', 'x'], { config, env: withCredential, stdout: second.stdout, stderr: second.stderr })).toBe(EXIT.failed);
    expect(second.lines.stderr.join('\n')).toContain('invalid_state_transition: The store is not active. (HTTP 409)');
  });

  it('stops before ServerPOS when the registry refuses', async () => {
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'resume', 'M-9999'], { config, env: withCredential, ...io })).toBe(EXIT.failed);
    expect(serverposSeen).toEqual([]);
    expect(lines.stderr.join('\n')).toMatch(/not_found: .*Nothing was changed/);
  });

  it('exits 2 when the gateway keys are not there yet', async () => {
    const { lines, ...io } = output();
    const elsewhere = { ...config, dataDir: path.join(folder, 'empty') };
    expect(await run(['ACQ-A', 'resume', 'M-0001'], { config: elsewhere, env: withCredential, ...io })).toBe(EXIT.serverposNotTold);
    expect(lines.stderr.join('\n')).toMatch(/no gateway keys at .*start the acquirer simulator/);
    expect(serverposSeen).toEqual([]);
  });

  it('lists the registry', async () => {
    registry.get('M-0001')!.status = 'suspended';
    registry.get('M-0001')!.suspendedReason = 'fraud review';
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'list'], { config, ...io })).toBe(EXIT.ok);
    expect(lines.stdout[0]).toBe('ACQ-A (Acquirer A): 2 merchants');
    expect(lines.stdout[1]).toMatch(/^MERCHANT\s+STATUS\s+INFO\s+NAME$/);
    expect(lines.stdout[2]).toMatch(/^M-0001\s+suspended\s+v1\s+Sakura Books\s+\(fraud review\)$/);
  });

  it('lists ServerPOS’s stores page by page with a signed GET', async () => {
    const store = (merchantNumber: string, status: string) => ({ merchantNumber, storeId: '00000000-0000-4000-8000-000000000001', storeName: 'Sakura Books', storeStatus: status, contractStatus: 'VERIFIED', suspension: status === 'SUSPENDED' ? { by: 'ACQUIRER', byYou: true, reason: 'fraud review', since: '2026-01-01T00:00:00.000Z' } : null, storeInfoVersion: 3 });
    serverposAnswer = { status: 200, body: { stores: [store('M-0001', 'SUSPENDED'), store('M-0002', 'ACTIVE')], nextCursor: null } };
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'stores', '--status', 'suspended'], { config, env: withCredential, now: () => world.clock.now, ...io })).toBe(EXIT.ok);
    expect(serverposSeen).toHaveLength(1);
    expect(serverposSeen[0]).toMatchObject({ method: 'GET', url: '/api/v1/acquirer/stores?limit=200&status=SUSPENDED', body: '' });
    expect(serverposSeen[0]!.verified?.acquirerId).toBe('ACQ-A');
    expect(registrySeen).toEqual([]);
    expect(lines.stdout[0]).toBe('ACQ-A in ServerPOS: 2 stores');
    expect(lines.stdout[2]).toMatch(/^M-0001\s+SUSPENDED\s+VERIFIED\s+v3\s+Sakura Books\s+\(suspended by you: fraud review\)$/);
  });

  it('confirms an enrolment and a withdrawal in ServerPOS only, and prints a report as JSON', async () => {
    const { lines, ...io } = output();
    const changed = { store: { merchantNumber: 'M-0001', storeId: '00000000-0000-4000-8000-000000000001', storeName: 'Sakura Books', storeStatus: 'ACTIVE', contractStatus: 'VERIFIED', suspension: null, storeInfoVersion: 1 }, changed: true };
    serverposAnswer = { status: 200, body: changed };
    expect(await run(['ACQ-A', 'confirm-enrolment', 'M:0002', '--decision', 'rejected', '--reason', 'incomplete'], { config, env: withCredential, now: () => world.clock.now, ...io })).toBe(EXIT.ok);
    expect(serverposSeen[0]).toMatchObject({ method: 'POST', url: '/api/v1/acquirer/stores/M%3A0002/enrolment', body: '{"decision":"rejected","reason":"incomplete"}' });
    expect(await run(['ACQ-A', 'confirm-withdrawal', 'M-0001'], { config, env: withCredential, now: () => world.clock.now, ...io })).toBe(EXIT.ok);
    expect(serverposSeen[1]).toMatchObject({ method: 'POST', url: '/api/v1/acquirer/stores/M-0001/withdrawal', body: '' });
    expect(registrySeen).toEqual([]);
    serverposAnswer = { status: 200, body: { acquirer: { code: 'ACQ-A' }, from: '2026-01-01', to: '2026-01-02', rows: [] } };
    expect(await run(['ACQ-A', 'report', '--from', '2026-01-01', '--to', '2026-01-02', '--merchant', 'M-0001'], { config, env: withCredential, now: () => world.clock.now, ...io })).toBe(EXIT.ok);
    expect(serverposSeen[2]).toMatchObject({ method: 'GET', url: '/api/v1/acquirer/reports/settlement?from=2026-01-01&to=2026-01-02&merchantNumber=M-0001' });
    expect(JSON.parse(lines.stdout.slice(2).join('\n'))).toEqual({ acquirer: { code: 'ACQ-A' }, from: '2026-01-01', to: '2026-01-02', rows: [] });
  });

  it('without a credential, a ServerPOS-only command fails with 1 and says how to configure one', async () => {
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'stores'], { config, env: {}, ...io })).toBe(EXIT.failed);
    expect(lines.stderr.join('\n')).toContain('ACQUIRER_API_CREDENTIAL');
    expect(lines.stderr.join('\n')).not.toMatch(/registry WAS changed/);
    expect(serverposSeen).toEqual([]);
  });

  it('answers usage errors and unknown acquirers with 64', async () => {
    const { lines, ...io } = output();
    expect(await run(['ACQ-A', 'explode'], { config, ...io })).toBe(EXIT.usage);
    expect(lines.stderr.join('\n')).toMatch(/Unknown command "explode"[\s\S]*Usage:/);
    expect(await run(['ACQ-Z', 'list'], { config, ...io })).toBe(EXIT.usage);
    expect(lines.stderr.join('\n')).toMatch(/Unknown acquirer "ACQ-Z". Configured: ACQ-A/);
    expect(registrySeen).toEqual([]);
  });
});
