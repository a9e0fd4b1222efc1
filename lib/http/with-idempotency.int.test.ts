import { randomUUID } from 'node:crypto';
import { NextResponse } from 'next/server';
import { describe, expect, it } from 'vitest';
import { POST as createOrderRoute } from '@/app/api/v1/pos/orders/route';
import { cleanupAuthRecords } from '@/lib/auth/cleanup-auth-records';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { hashRequest, withIdempotency } from '@/lib/http/with-idempotency';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { ABANDONED_AFTER_MS, deleteExpiredIdempotencyRecords, IDEMPOTENCY_RECORD_TTL_MS } from '@/lib/pos/idempotency-records';
import { anotherPosOf, orderBody, posApiClient } from '@/lib/testing/pos-api-fixtures';

const ordersUrl = 'http://localhost/api/v1/pos/orders';

function orderRequest(authorization: string, body: string, key: string | null, url = ordersUrl) {
  return new Request(url, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
    body,
  });
}

async function send(route: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>, request: Request) {
  const response = await route(request, { params: Promise.resolve({}) });
  return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text: await response.text() };
}

const postOrder = (authorization: string, body: string, key: string | null) => send(createOrderRoute, orderRequest(authorization, body, key));
const ordersOf = (posId: string) => db().order.count({ where: { posId } });

describe('Idempotency-Key on POST /api/v1/pos/orders', () => {
  it('replays the first answer byte for byte, marked as a replay, without a second order', async () => {
    const shop = await posApiClient();
    const body = JSON.stringify(orderBody());
    const key = randomUUID();

    const first = await postOrder(shop.authorization, body, key);
    const second = await postOrder(shop.authorization, body, key);

    expect(first).toMatchObject({ status: 201, replayed: null });
    expect(second).toEqual({ status: 201, replayed: 'true', text: first.text });
    expect(await ordersOf(shop.posId)).toBe(1);
    const record = await db().idempotencyRecord.findFirstOrThrow({ where: { posId: shop.posId, key } });
    expect(record).toMatchObject({ storeId: shop.storeId, state: 'COMPLETED', responseStatus: 201, requestHash: hashRequest('POST', '/api/v1/pos/orders', Buffer.from(body)) });
    expect(record.completedAt).toBeInstanceOf(Date);
  });

  it('refuses the same key with a different body (422) or on another path, and runs nothing', async () => {
    const shop = await posApiClient();
    const key = randomUUID();
    await postOrder(shop.authorization, JSON.stringify(orderBody({ shopOrderRef: 'FIRST' })), key);

    const changed = await postOrder(shop.authorization, JSON.stringify(orderBody({ shopOrderRef: 'SECOND' })), key);
    // Whitespace is part of the body as sent: a client must repeat its request exactly.
    const reformatted = await postOrder(shop.authorization, JSON.stringify(orderBody({ shopOrderRef: 'FIRST' }), null, 2), key);
    const elsewhere = await send(createOrderRoute, orderRequest(shop.authorization, JSON.stringify(orderBody({ shopOrderRef: 'FIRST' })), key, 'http://localhost/api/v1/pos/orders/other'));

    for (const answer of [changed, reformatted, elsewhere]) {
      expect(answer.status).toBe(422);
      expect(JSON.parse(answer.text)).toEqual({ error: { code: 'idempotency_key_reused', message: expect.stringMatching(/already used for a different request/) } });
    }
    expect(await db().order.findMany({ where: { posId: shop.posId }, select: { shopOrderRef: true } })).toEqual([{ shopOrderRef: 'FIRST' }]);
  });

  it('executes 50 concurrent requests with one key once: one order, fifty identical answers', async () => {
    const shop = await posApiClient();
    const body = JSON.stringify(orderBody());
    const key = randomUUID();

    const answers = await Promise.all(Array.from({ length: 50 }, () => postOrder(shop.authorization, body, key)));

    expect(await ordersOf(shop.posId)).toBe(1);
    expect(await db().auditEvent.count({ where: { storeId: shop.storeId, action: 'order.created' } })).toBe(1);
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === null)).toHaveLength(1);
    expect(await db().idempotencyRecord.count({ where: { posId: shop.posId } })).toBe(1);
  });

  it('requires the header (400 idempotency_key_required) and refuses a malformed one, writing nothing', async () => {
    const shop = await posApiClient();
    const body = JSON.stringify(orderBody());

    const missing = await postOrder(shop.authorization, body, null);
    const empty = await postOrder(shop.authorization, body, '');
    const tooLong = await postOrder(shop.authorization, body, 'k'.repeat(256));
    const notAscii = await send(createOrderRoute, new Request(ordersUrl, { method: 'POST', headers: { authorization: shop.authorization, 'content-type': 'application/json', 'idempotency-key': 'clé' }, body }));

    for (const answer of [missing, empty]) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ error: { code: 'idempotency_key_required', message: expect.stringContaining('Idempotency-Key') } });
    }
    for (const answer of [tooLong, notAscii]) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text).error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'Idempotency-Key' }] });
    }
    expect(await ordersOf(shop.posId)).toBe(0);
    expect(await db().idempotencyRecord.count({ where: { posId: shop.posId } })).toBe(0);
    expect((await postOrder(shop.authorization, body, 'k'.repeat(255))).status).toBe(201);
  });

  it('stores a 4xx answer like any other: the same bad request is answered the same, without running again', async () => {
    const shop = await posApiClient();
    const body = JSON.stringify(orderBody({ currency: 'XYZ' }));
    const key = randomUUID();

    const first = await postOrder(shop.authorization, body, key);
    const again = await postOrder(shop.authorization, body, key);

    expect(first.status).toBe(400);
    expect(again).toEqual({ status: 400, replayed: 'true', text: first.text });
  });

  it('keeps keys apart per POS: the same key on another POS is a request of its own', async () => {
    const shop = await posApiClient();
    const till = await anotherPosOf(shop);
    const body = JSON.stringify(orderBody());
    const key = randomUUID();

    const mine = await postOrder(shop.authorization, body, key);
    const theirs = await postOrder(till.authorization, body, key);

    expect([mine.status, theirs.status, theirs.replayed]).toEqual([201, 201, null]);
    expect(JSON.parse(theirs.text).order.id).not.toBe(JSON.parse(mine.text).order.id);
  });

  it('does not check the key before the API key: an unauthenticated request is 401 and leaves no record', async () => {
    const key = randomUUID();
    const answer = await postOrder('Bearer spk_wrong', JSON.stringify(orderBody()), key);
    expect(answer.status).toBe(401);
    expect(await db().idempotencyRecord.count({ where: { key } })).toBe(0);
  });
});

describe('withIdempotency', () => {
  /** A POS API POST route around `handler`, as a route file would declare it. */
  function route(handler: (request: Request) => Promise<Response>, waitMs?: number) {
    return withPosApiKey(withIdempotency(async (request) => handler(request), waitMs === undefined ? {} : { waitMs }));
  }
  const request = (authorization: string, key: string, body = '{"n":1}') =>
    new Request('http://localhost/api/v1/pos/test', { method: 'POST', headers: { authorization, 'content-type': 'application/json', 'idempotency-key': key }, body });

  it('hands the handler the body it hashed', async () => {
    const shop = await posApiClient();
    const seen: unknown[] = [];
    const echo = route(async (incoming) => {
      seen.push(await incoming.json());
      return NextResponse.json({ ok: true }, { status: 202 });
    });
    expect((await send(echo, request(shop.authorization, randomUUID(), '{"n":42}'))).status).toBe(202);
    expect(seen).toEqual([{ n: 42 }]);
  });

  it('does not store a 5xx or a crash: the record is released and a retry runs again', async () => {
    const shop = await posApiClient();
    const key = randomUUID();
    let calls = 0;
    const flaky = route(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database went away');
      if (calls === 2) return NextResponse.json({ error: { code: 'service_unavailable', message: 'later' } }, { status: 503 });
      return NextResponse.json({ call: calls }, { status: 201 });
    });

    const crashed = await send(flaky, request(shop.authorization, key));
    expect(crashed.status).toBe(500);
    expect(await db().idempotencyRecord.count({ where: { posId: shop.posId, key } })).toBe(0);
    const unavailable = await send(flaky, request(shop.authorization, key));
    expect(unavailable.status).toBe(503);
    expect(await db().idempotencyRecord.count({ where: { posId: shop.posId, key } })).toBe(0);
    const succeeded = await send(flaky, request(shop.authorization, key));
    const replayed = await send(flaky, request(shop.authorization, key));

    expect(succeeded).toEqual({ status: 201, replayed: null, text: '{"call":3}' });
    expect(replayed).toEqual({ status: 201, replayed: 'true', text: '{"call":3}' });
    expect(calls).toBe(3);
  });

  it('stores an AppError thrown by the handler as its 4xx answer', async () => {
    const shop = await posApiClient();
    const key = randomUUID();
    let calls = 0;
    const refusing = route(async () => {
      calls += 1;
      throw new AppError('conflict', 'Already done.');
    });
    const first = await send(refusing, request(shop.authorization, key));
    const second = await send(refusing, request(shop.authorization, key));
    expect(first).toEqual({ status: 409, replayed: null, text: JSON.stringify({ error: { code: 'conflict', message: 'Already done.' } }) });
    expect(second).toEqual({ ...first, replayed: 'true' });
    expect(calls).toBe(1);
  });

  it('makes a repeat wait while the first is running, then replays; past the wait it answers 409', async () => {
    const shop = await posApiClient();
    const key = randomUUID();
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let calls = 0;
    const slow = (waitMs: number) =>
      route(async () => {
        calls += 1;
        await finished;
        return NextResponse.json({ done: true }, { status: 201 });
      }, waitMs);

    const first = send(slow(10_000), request(shop.authorization, key));
    await expect.poll(() => db().idempotencyRecord.count({ where: { posId: shop.posId, key } })).toBe(1);
    const impatient = await send(slow(300), request(shop.authorization, key));
    expect(impatient.status).toBe(409);
    expect(JSON.parse(impatient.text)).toEqual({ error: { code: 'idempotency_request_in_progress', message: expect.stringMatching(/still being processed/) } });

    const patient = send(slow(10_000), request(shop.authorization, key));
    await new Promise((resolve) => setTimeout(resolve, 200));
    finish();
    expect(await first).toEqual({ status: 201, replayed: null, text: '{"done":true}' });
    expect(await patient).toEqual({ status: 201, replayed: 'true', text: '{"done":true}' });
    expect(calls).toBe(1);
  });

  it('takes over a record abandoned in progress (its process died) instead of refusing the key until the clean-up', async () => {
    const shop = await posApiClient();
    const key = randomUUID();
    const body = '{"n":1}';
    const requestHash = hashRequest('POST', '/api/v1/pos/test', Buffer.from(body));
    await db().idempotencyRecord.create({ data: { storeId: shop.storeId, posId: shop.posId, key, requestHash, createdAt: new Date(Date.now() - ABANDONED_AFTER_MS - 1000) } });
    const answering = route(async () => NextResponse.json({ ran: true }, { status: 201 }));

    expect(await send(answering, request(shop.authorization, key, body))).toEqual({ status: 201, replayed: null, text: '{"ran":true}' });
    expect(await db().idempotencyRecord.findMany({ where: { posId: shop.posId, key }, select: { state: true } })).toEqual([{ state: 'COMPLETED' }]);
  });
});

describe('deleteExpiredIdempotencyRecords', () => {
  it('deletes records older than a day, in the hourly clean-up too, and keeps younger ones', async () => {
    const shop = await posApiClient();
    const now = Date.now();
    const record = (ageMs: number) =>
      db().idempotencyRecord.create({ data: { storeId: shop.storeId, posId: shop.posId, key: randomUUID(), requestHash: 'a'.repeat(64), createdAt: new Date(now - ageMs) }, select: { key: true } });
    await record(IDEMPOTENCY_RECORD_TTL_MS + 60_000);
    await record(IDEMPOTENCY_RECORD_TTL_MS + 120_000);
    const kept = await record(IDEMPOTENCY_RECORD_TTL_MS - 60_000);

    expect(await deleteExpiredIdempotencyRecords(db(), new Date(now))).toBeGreaterThanOrEqual(1);
    await record(IDEMPOTENCY_RECORD_TTL_MS + 60_000);
    expect((await cleanupAuthRecords(db(), new Date(now))).idempotencyRecords).toBeGreaterThanOrEqual(1);

    expect(await db().idempotencyRecord.findMany({ where: { posId: shop.posId }, select: { key: true } })).toEqual([kept]);
  });
});
