import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteExpiredRequestNonces } from '@/lib/acquirers/delete-expired-request-nonces';
import { acquirerApiDocument } from '@/lib/acquirers/openapi';
import { listApiCredentials } from '@/lib/acquirers/list-api-credentials';
import { revokeApiCredential } from '@/lib/acquirers/revoke-api-credential';
import { rotateApiCredential } from '@/lib/acquirers/rotate-api-credential';
import { db } from '@/lib/db/client';
import { getStoreHeader } from '@/lib/stores/get-store-overview';
import { getStoreSuspension } from '@/lib/stores/get-store-suspension';
import {
  acquirerApiRoutes,
  acquirerApiRouteFetch,
  acquirerClient,
  call,
  send,
  signedRequest,
  storeContractedWith,
  storePath,
  type AcquirerClient,
} from '@/lib/testing/acquirer-api-fixtures';
import { outboxEmailsTo } from '@/lib/testing/fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';
import { credentialFilePath, EXIT, run } from '@/sim/acquirer/cli';

let world: SimWorld;
let card: AcquirerClient;
let jcb: AcquirerClient;

beforeAll(async () => {
  world = await startSimWorld();
  card = await acquirerClient(world, 'ACQ-CARD');
  jcb = await acquirerClient(world, 'ACQ-JCB');
});

afterAll(async () => {
  await world?.stop();
});

const apiCalls = (credentialId: string) => db().auditEvent.findMany({ where: { action: 'acquirer.api_request', data: { path: ['credentialId'], equals: credentialId } }, orderBy: { createdAt: 'asc' } });

describe('authentication of signed acquirer requests', () => {
  it('answers a well-signed request and records lastUsedAt and an audit event of the call', async () => {
    const client = await acquirerClient(world, 'ACQ-CARD');
    const answer = await call(client, 'GET', '/api/v1/acquirer/stores');
    expect(answer.status).toBe(200);
    const [credential] = (await listApiCredentials(client.acquirerId)).filter((each) => each.credentialId === client.credentialId);
    expect(credential).toMatchObject({ active: true, lastUsedAt: expect.any(Date) });
    expect(credential).not.toHaveProperty('secretHash');
    const [event] = await apiCalls(client.credentialId);
    expect(event).toMatchObject({ actorType: 'ACQUIRER', actorId: client.acquirerId, data: { method: 'GET', route: '/api/v1/acquirer/stores', status: 200, result: 'ok' } });
    expect(JSON.stringify(event!.data)).not.toContain(client.secret);
  });

  it('refuses an unsigned request, one without the credential, and a bare Bearer', async () => {
    const unsigned = await send(new Request('http://localhost/api/v1/acquirer/stores', { headers: { authorization: `Bearer ${card.secret}` } }));
    expect(unsigned).toMatchObject({ status: 401, body: { error: { code: 'missing_signature' } } });
    const signed = await signedRequest(card, 'GET', '/api/v1/acquirer/stores');
    signed.headers.delete('authorization');
    expect(await send(signed)).toMatchObject({ status: 401, body: { error: { code: 'missing_credential' } } });
  });

  it('refuses a wrong secret, another acquirer’s credential, a revoked and an expired credential alike, and audits each as the signing acquirer’s', async () => {
    const client = await acquirerClient(world, 'ACQ-CARD');
    const wrongSecret = await send(await signedRequest(client, 'GET', '/api/v1/acquirer/stores', { secret: 'd3Jvbmctc2VjcmV0LXZhbHVlLWZvci10aGUtdGVzdA' }));
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    // JCB's valid credential, with CARD's gateway key: the certificate names CARD, so the credential is not its.
    const foreign = await send(await signedRequest(client, 'GET', '/api/v1/acquirer/stores', { credentialId: jcb.credentialId, secret: jcb.secret }));
    expect(foreign).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    const unknown = await send(await signedRequest(client, 'GET', '/api/v1/acquirer/stores', { credentialId: 'acqcred_000000000000000000000000' }));
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });

    const rotated = await rotateApiCredential({ actor: { type: 'OPERATOR', id: null }, credentialId: client.credentialId, graceHours: 0 });
    expect(rotated.oldExpiresAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await send(await signedRequest(client, 'GET', '/api/v1/acquirer/stores'))).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });
    const successor = { ...client, credentialId: rotated.credentialId, secret: rotated.secret };
    expect((await call(successor, 'GET', '/api/v1/acquirer/stores')).status).toBe(200);
    expect(await revokeApiCredential({ actor: { type: 'OPERATOR', id: null }, credentialId: successor.credentialId })).toEqual({ revoked: true });
    expect(await call(successor, 'GET', '/api/v1/acquirer/stores')).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials' } } });

    const refused = await apiCalls(client.credentialId);
    expect(refused.map((event) => (event.data as { result: string }).result)).toEqual(['invalid_credentials', 'invalid_credentials']);
    expect(refused.every((event) => event.actorType === 'ACQUIRER' && event.actorId === client.acquirerId)).toBe(true);
  });

  it('keeps a rotated credential working until its grace period ends', async () => {
    const client = await acquirerClient(world, 'ACQ-CARD');
    const rotated = await rotateApiCredential({ actor: { type: 'OPERATOR', id: null }, credentialId: client.credentialId, graceHours: 1 });
    expect((await call(client, 'GET', '/api/v1/acquirer/stores')).status).toBe(200);
    expect((await call({ ...client, credentialId: rotated.credentialId, secret: rotated.secret }, 'GET', '/api/v1/acquirer/stores')).status).toBe(200);
    await expect(rotateApiCredential({ actor: { type: 'STORE_USER', id: null }, credentialId: rotated.credentialId })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers not_found for a credential id it never issued, before any query (a NUL-filled one broke PostgreSQL queries)', async () => {
    const operator = { type: 'OPERATOR' as const, id: null };
    for (const credentialId of ['\u0000'.repeat(8), 'acqcred_000000000000000000000000\u0000', 'no-such-credential', '']) {
      await expect(rotateApiCredential({ actor: operator, credentialId })).rejects.toMatchObject({ code: 'not_found' });
      await expect(revokeApiCredential({ actor: operator, credentialId })).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('refuses a disabled acquirer', async () => {
    const client = await acquirerClient(world, 'ACQ-BANK');
    await db().acquirer.update({ where: { id: client.acquirerId }, data: { status: 'DISABLED' } });
    try {
      expect(await call(client, 'GET', '/api/v1/acquirer/stores')).toMatchObject({ status: 401, body: { error: { code: 'invalid_credentials', message: expect.stringContaining('disabled') } } });
    } finally {
      await db().acquirer.update({ where: { id: client.acquirerId }, data: { status: 'ACTIVE' } });
    }
  });

  it('refuses a timestamp outside ±5 minutes either way', async () => {
    const past = await send(await signedRequest(card, 'GET', '/api/v1/acquirer/stores', { now: new Date(Date.now() - 6 * 60_000) }));
    expect(past).toMatchObject({ status: 401, body: { error: { code: 'stale_message' } } });
    const future = await send(await signedRequest(card, 'GET', '/api/v1/acquirer/stores', { now: new Date(Date.now() + 6 * 60_000) }));
    expect(future).toMatchObject({ status: 401, body: { error: { code: 'message_from_future' } } });
  });

  it('refuses a replay of the very same request, and remembers nonces in the database until they expire', async () => {
    const { merchantNumbers } = await storeContractedWith([card.acquirerId]);
    const first = await signedRequest(card, 'POST', storePath(merchantNumbers[0]!, '/suspension'), { body: JSON.stringify({ reason: 'fraud review' }) });
    const again = first.clone();
    expect((await send(first)).status).toBe(200);
    expect(await send(again)).toMatchObject({ status: 401, body: { error: { code: 'replayed_message' } } });
    expect(await db().acquirerRequestNonce.count({ where: { expiresAt: { gt: new Date() } } })).toBeGreaterThan(0);
    const later = new Date(Date.now() + 11 * 60_000);
    expect((await deleteExpiredRequestNonces({ now: later })).deleted).toBeGreaterThan(0);
    expect(await db().acquirerRequestNonce.count({ where: { expiresAt: { gt: later } } })).toBe(0);
  });

  it('accepts exactly one of several copies of a request sent at once', async () => {
    const signed = await signedRequest(card, 'GET', '/api/v1/acquirer/stores');
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(signed.clone())));
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.body.error?.code === 'replayed_message')).toHaveLength(4);
  });

  it('refuses a request whose body or path was changed after signing', async () => {
    const { merchantNumbers } = await storeContractedWith([card.acquirerId]);
    const [merchantNumber] = merchantNumbers as [string];
    const signed = await signedRequest(card, 'POST', storePath(merchantNumber, '/suspension'), { body: JSON.stringify({ reason: 'a' }) });
    const tamperedBody = new Request(signed.url, { method: 'POST', headers: signed.headers, body: JSON.stringify({ reason: 'b' }) });
    expect(await send(tamperedBody)).toMatchObject({ status: 401, body: { error: { code: 'request_mismatch' } } });
    const other = await storeContractedWith([card.acquirerId]);
    const signedGet = await signedRequest(card, 'GET', storePath(merchantNumber));
    const tamperedPath = new Request(`http://localhost${storePath(other.merchantNumbers[0]!)}`, { headers: signedGet.headers });
    expect(await send(tamperedPath)).toMatchObject({ status: 401, body: { error: { code: 'request_mismatch' } } });
    expect((await db().store.findFirstOrThrow({ where: { contracts: { some: { merchantNumber } } } })).status).toBe('ACTIVE');
  });

  it('refuses a body over 64 KiB with 413 and malformed JSON with 400', async () => {
    const { merchantNumbers } = await storeContractedWith([card.acquirerId]);
    const big = await send(await signedRequest(card, 'POST', storePath(merchantNumbers[0]!, '/suspension'), { body: JSON.stringify({ reason: 'x'.repeat(70 * 1024) }) }));
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'body_too_large' } } });
    const malformed = await send(await signedRequest(card, 'POST', storePath(merchantNumbers[0]!, '/suspension'), { body: '{"reason": ' }));
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
    const invalid = await call(card, 'POST', storePath(merchantNumbers[0]!, '/suspension'), { reason: '' });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect((await db().store.findFirstOrThrow({ where: { contracts: { some: { merchantNumber: merchantNumbers[0]! } } } })).status).toBe('ACTIVE');
  });
});

describe('tenant scoping', () => {
  it('acquirer X cannot list, read, suspend, resume or update a store contracted only with Y: 404, nothing changed', async () => {
    const onlyJcb = await storeContractedWith([jcb.acquirerId]);
    const [merchantNumber] = onlyJcb.merchantNumbers as [string];
    const before = await db().store.findUniqueOrThrow({ where: { id: onlyJcb.storeId } });

    const listed = await call(card, 'GET', '/api/v1/acquirer/stores?limit=200');
    expect((listed.body.stores as { storeId: string }[]).map((store) => store.storeId)).not.toContain(onlyJcb.storeId);
    for (const [method, rest, body] of [
      ['GET', '', undefined],
      ['POST', '/suspension', { reason: 'not mine' }],
      ['DELETE', '/suspension', undefined],
      ['PUT', '/info', { version: 9, name: 'Taken over' }],
      ['POST', '/enrolment', { decision: 'rejected' }],
      ['POST', '/withdrawal', undefined],
    ] as const) {
      expect(await call(card, method, storePath(merchantNumber, rest), body)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
    expect(await db().store.findUniqueOrThrow({ where: { id: onlyJcb.storeId } })).toEqual(before);
    expect(await db().auditEvent.count({ where: { storeId: onlyJcb.storeId } })).toBe(0);
    // The owner of the contract sees it.
    expect(await call(jcb, 'GET', storePath(merchantNumber))).toMatchObject({ status: 200, body: { store: { storeId: onlyJcb.storeId, contractStatus: 'VERIFIED', storeStatus: 'ACTIVE' } } });
  });

  it('lists its stores a page at a time, filtered by status', async () => {
    const client = await acquirerClient(world, 'ACQ-JCB');
    const active = await storeContractedWith([client.acquirerId]);
    const suspended = await storeContractedWith([client.acquirerId], { storeStatus: 'SUSPENDED' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(client, 'GET', `/api/v1/acquirer/stores?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.status).toBe(200);
      const stores = page.body.stores as { merchantNumber: string }[];
      expect(stores.length).toBeLessThanOrEqual(2);
      seen.push(...stores.map((store) => store.merchantNumber));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining([...active.merchantNumbers, ...suspended.merchantNumbers]));
    expect(seen.length).toBe(await db().acquirerContract.count({ where: { acquirerId: client.acquirerId } }));
    const onlySuspended = await call(client, 'GET', '/api/v1/acquirer/stores?status=SUSPENDED&limit=200');
    const merchants = (onlySuspended.body.stores as { merchantNumber: string; storeStatus: string }[]);
    expect(merchants.every((store) => store.storeStatus === 'SUSPENDED')).toBe(true);
    expect(merchants.map((store) => store.merchantNumber)).toContain(suspended.merchantNumbers[0]);
    expect(merchants.map((store) => store.merchantNumber)).not.toContain(active.merchantNumbers[0]);
    expect(await call(client, 'GET', '/api/v1/acquirer/stores?status=asleep')).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });
});

describe('suspension and resumption', () => {
  it('suspends for every acquirer: the store is e-mailed, the change audited, the console shows it; a repeat changes nothing', async () => {
    const store = await storeContractedWith([card.acquirerId, jcb.acquirerId]);
    const [cardNumber, jcbNumber] = store.merchantNumbers as [string, string];
    const answer = await call(card, 'POST', storePath(cardNumber, '/suspension'), { reason: 'chargebacks above threshold' });
    expect(answer).toMatchObject({
      status: 200,
      body: { changed: true, store: { storeStatus: 'SUSPENDED', suspension: { by: 'ACQUIRER', byYou: true, reason: 'chargebacks above threshold' } } },
    });
    const emails = await outboxEmailsTo(store.email);
    expect(emails.map((email) => email.email.subject).join('\n')).toMatch(/suspend/i);
    expect(emails.at(-1)!.email.text).toContain('chargebacks above threshold');
    expect(emails.at(-1)!.email.text).toContain('Aozora Card Services');
    const audit = await db().auditEvent.findFirstOrThrow({ where: { storeId: store.storeId, action: 'store.suspended' } });
    expect(audit).toMatchObject({ actorType: 'ACQUIRER', actorId: card.acquirerId, data: { source: 'ACQUIRER', acquirerId: card.acquirerId, reason: 'chargebacks above threshold' } });
    expect(await getStoreSuspension(store.storeId)).toMatchObject({ suspendedBy: 'ACQUIRER', suspendedByLabel: 'Aozora Card Services', reason: 'chargebacks above threshold', canResumeInConsole: false });
    expect(await getStoreHeader(store.storeId)).toMatchObject({ status: 'SUSPENDED', suspendedReason: 'chargebacks above threshold' });

    // The other acquirer sees the suspension, not who of the acquirers made it; it may not lift it.
    expect(await call(jcb, 'GET', storePath(jcbNumber))).toMatchObject({ body: { store: { storeStatus: 'SUSPENDED', suspension: { by: 'ACQUIRER', byYou: false } } } });
    const refused = await call(jcb, 'DELETE', storePath(jcbNumber, '/suspension'));
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'invalid_state_transition', message: expect.stringContaining('another acquirer') } } });
    expect(refused.body.error!.message).not.toContain('Aozora');
    expect(await call(jcb, 'POST', storePath(jcbNumber, '/suspension'), { reason: 'me too' })).toMatchObject({ status: 200, body: { changed: false } });
    expect(await db().auditEvent.count({ where: { storeId: store.storeId, action: 'store.suspended' } })).toBe(1);

    expect(await call(card, 'DELETE', storePath(cardNumber, '/suspension'))).toMatchObject({ status: 200, body: { changed: true, store: { storeStatus: 'ACTIVE', suspension: null } } });
    expect(await db().auditEvent.findFirstOrThrow({ where: { storeId: store.storeId, action: 'store.resumed' } })).toMatchObject({ actorType: 'ACQUIRER', actorId: card.acquirerId });
    expect(await call(card, 'DELETE', storePath(cardNumber, '/suspension'))).toMatchObject({ status: 200, body: { changed: false } });
  });

  it('an acquirer cannot lift the operator’s or the store’s own suspension', async () => {
    const store = await storeContractedWith([card.acquirerId], { storeStatus: 'SUSPENDED' });
    await db().store.update({ where: { id: store.storeId }, data: { suspendedBy: 'OPERATOR', suspendedAt: new Date(), suspendedReason: 'audit' } });
    expect(await call(card, 'DELETE', storePath(store.merchantNumbers[0]!, '/suspension'))).toMatchObject({ status: 409, body: { error: { code: 'invalid_state_transition', message: expect.stringContaining('operator') } } });
    expect((await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).status).toBe('SUSPENDED');
  });

  it('takes store information pushed by the acquirer when newer, and refuses an older version', async () => {
    const store = await storeContractedWith([card.acquirerId, jcb.acquirerId]);
    const [cardNumber] = store.merchantNumbers as [string];
    expect(await call(card, 'PUT', storePath(cardNumber, '/info'), { version: 5, name: 'Sakura Books Annex' })).toMatchObject({ status: 200, body: { outcome: 'applied', storeInfoVersion: 5 } });
    expect(await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).toMatchObject({ name: 'Sakura Books Annex', storeInfoVersion: 5 });
    expect(await call(card, 'PUT', storePath(cardNumber, '/info'), { version: 5, name: 'Sakura Books Annex' })).toMatchObject({ status: 200, body: { outcome: 'unchanged' } });
    expect(await call(card, 'PUT', storePath(cardNumber, '/info'), { version: 3, name: 'Old name' })).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await call(card, 'PUT', storePath(cardNumber, '/info'), { version: 0, name: 'x' })).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    expect((await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).name).toBe('Sakura Books Annex');
  });
});

describe('enrolment and withdrawal confirmations', () => {
  it('verifies an application (the store is e-mailed), answers a repeat unchanged and the other decision 409', async () => {
    const store = await storeContractedWith([card.acquirerId], { storeStatus: 'PENDING', contractStatus: 'APPLIED' });
    const [merchantNumber] = store.merchantNumbers as [string];
    const verified = await call(card, 'POST', storePath(merchantNumber, '/enrolment'), { decision: 'verified', acquisitionNumber: 'AN-TEST-0001' });
    expect(verified).toMatchObject({ status: 200, body: { changed: true, store: { contractStatus: 'VERIFIED' } } });
    const contract = await db().acquirerContract.findFirstOrThrow({ where: { storeId: store.storeId } });
    expect(contract.certificateAcquisitionNumberHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await db().auditEvent.findFirstOrThrow({ where: { storeId: store.storeId, action: 'contract.verified' } })).toMatchObject({ actorType: 'ACQUIRER', actorId: card.acquirerId });
    expect((await outboxEmailsTo(store.email)).at(-1)!.email.text).toContain('AN-TEST-0001');
    expect(await call(card, 'POST', storePath(merchantNumber, '/enrolment'), { decision: 'verified' })).toMatchObject({ status: 200, body: { changed: false } });
    expect(await call(card, 'POST', storePath(merchantNumber, '/enrolment'), { decision: 'rejected' })).toMatchObject({ status: 409, body: { error: { code: 'invalid_state_transition' } } });
    expect(await call(card, 'POST', storePath(merchantNumber, '/enrolment'), { decision: 'maybe' })).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });

  it('rejects an application with a reason the store reads', async () => {
    const store = await storeContractedWith([card.acquirerId], { storeStatus: 'PENDING', contractStatus: 'APPLIED' });
    const answer = await call(card, 'POST', storePath(store.merchantNumbers[0]!, '/enrolment'), { decision: 'rejected', reason: 'Business type not supported' });
    expect(answer).toMatchObject({ status: 200, body: { changed: true, store: { contractStatus: 'REJECTED' } } });
    expect((await db().acquirerContract.findFirstOrThrow({ where: { storeId: store.storeId } })).rejectionReason).toContain('Business type not supported');
    expect((await outboxEmailsTo(store.email)).at(-1)!.email.text).toContain('Business type not supported');
  });

  it('confirms a withdrawal the store asked for (the last contract closes the store), and refuses one never asked for', async () => {
    const notAsked = await storeContractedWith([card.acquirerId]);
    expect(await call(card, 'POST', storePath(notAsked.merchantNumbers[0]!, '/withdrawal'))).toMatchObject({ status: 409, body: { error: { code: 'invalid_state_transition' } } });
    expect((await db().acquirerContract.findFirstOrThrow({ where: { storeId: notAsked.storeId } })).status).toBe('VERIFIED');

    const asked = await storeContractedWith([card.acquirerId], { contractStatus: 'WITHDRAWING' });
    const confirmed = await call(card, 'POST', storePath(asked.merchantNumbers[0]!, '/withdrawal'));
    expect(confirmed).toMatchObject({ status: 200, body: { changed: true, store: { contractStatus: 'WITHDRAWN', storeStatus: 'WITHDRAWN' } } });
    expect(await db().auditEvent.findFirstOrThrow({ where: { storeId: asked.storeId, action: 'contract.withdrawn' } })).toMatchObject({ actorType: 'ACQUIRER', actorId: card.acquirerId });
    expect((await outboxEmailsTo(asked.email)).at(-1)!.email.subject).toMatch(/withdrawn/i);
    expect(await call(card, 'POST', storePath(asked.merchantNumbers[0]!, '/withdrawal'))).toMatchObject({ status: 200, body: { changed: false } });
  });
});

describe('settlement report', () => {
  it('answers the calling acquirer’s report; another acquirer’s merchant number is not_found', async () => {
    const onlyJcb = await storeContractedWith([jcb.acquirerId]);
    const today = new Date().toISOString().slice(0, 10);
    const report = await call(card, 'GET', `/api/v1/acquirer/reports/settlement?from=${today}&to=${today}`);
    expect(report).toMatchObject({ status: 200, body: { acquirer: { id: card.acquirerId, code: 'ACQ-CARD' }, from: today, to: today, rows: expect.any(Array) } });
    const foreign = await call(card, 'GET', `/api/v1/acquirer/reports/settlement?from=${today}&to=${today}&merchantNumber=${onlyJcb.merchantNumbers[0]}`);
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await call(card, 'GET', '/api/v1/acquirer/reports/settlement?from=2026-13-01&to=2026-01-01')).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
  });
});

describe('the acquirer CLI against the API', () => {
  it('lists ServerPOS’s stores, suspends through the registry and ServerPOS, and confirms an enrolment', async () => {
    const config = world.sims.config;
    const cliClient = await acquirerClient(world, 'ACQ-CARD');
    const env = { ACQUIRER_API_CREDENTIAL: `${cliClient.credentialId}:${cliClient.secret}` };
    const lines: string[] = [];
    const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line), fetch: acquirerApiRouteFetch(), env, config };
    // A store under the registry's own merchant M-TEST-0002, so the CLI's registry step succeeds too.
    await db().acquirerContract.updateMany({ where: { acquirerId: card.acquirerId, merchantNumber: 'M-TEST-0002' }, data: { merchantNumber: `old-${Date.now()}` } });
    const store = await storeContractedWith([]);
    await db().acquirerContract.create({ data: { storeId: store.storeId, acquirerId: card.acquirerId, merchantNumber: 'M-TEST-0002', status: 'VERIFIED', verifiedAt: new Date() } });

    expect(await run(['ACQ-CARD', 'stores', '--status', 'ACTIVE'], io)).toBe(EXIT.ok);
    expect(lines.join('\n')).toMatch(/M-TEST-0002\s+ACTIVE\s+VERIFIED/);
    expect(await run(['ACQ-CARD', 'suspend', 'M-TEST-0002', '--reason', 'CLI test'], io)).toBe(EXIT.ok);
    expect((await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).status).toBe('SUSPENDED');
    expect(await run(['ACQ-CARD', 'resume', 'M-TEST-0002'], io)).toBe(EXIT.ok);
    expect((await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).status).toBe('ACTIVE');

    const applied = await storeContractedWith([card.acquirerId], { storeStatus: 'PENDING', contractStatus: 'APPLIED' });
    expect(await run(['ACQ-CARD', 'confirm-enrolment', applied.merchantNumbers[0]!, '--decision', 'verified'], io)).toBe(EXIT.ok);
    expect((await db().acquirerContract.findFirstOrThrow({ where: { storeId: applied.storeId } })).status).toBe('VERIFIED');
    expect(await run(['ACQ-CARD', 'confirm-withdrawal', applied.merchantNumbers[0]!], io)).toBe(EXIT.failed);
    expect(lines.join('\n')).toContain('invalid_state_transition');
    const today = new Date().toISOString().slice(0, 10);
    lines.length = 0;
    expect(await run(['ACQ-CARD', 'report', '--from', today, '--to', today], io)).toBe(EXIT.ok);
    expect(JSON.parse(lines.join('\n'))).toMatchObject({ acquirer: { code: 'ACQ-CARD' }, from: today, to: today, rows: expect.any(Array) });
    expect(lines.join('\n')).not.toContain(cliClient.secret);
    expect(credentialFilePath(config.dataDir, 'ACQ-CARD')).toContain('serverpos-credential.json');
  });
});

describe('OpenAPI document', () => {
  it('documents exactly the operations the routes serve (an unsigned call to a served one is 401, to any other 405)', async () => {
    const document = acquirerApiDocument();
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).filter((key) => ['get', 'post', 'put', 'delete', 'patch'].includes(key)).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served: string[] = [];
    for (const [pattern] of acquirerApiRoutes.filter(([pattern]) => pattern !== '/api/v1/acquirer/openapi.json')) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const response = await acquirerApiRouteFetch()(new Request(`http://localhost${pattern.replace(':merchantNumber', 'M-1')}`, { method }));
        expect([401, 405]).toContain(response.status);
        if (response.status === 401) served.push(`${method} ${pattern.replace(/:([a-zA-Z]+)/g, '{$1}')}`);
      }
    }
    expect(documented.sort()).toEqual(served.sort());
    expect(served).toHaveLength(8);
  });
});
