import { afterEach, describe, expect, it } from 'vitest';
import { ServerPosClient, ServerPosError, type CreateOrderInput } from './index';
import { drop, json, scriptedServer, type Arrival } from './testing/scripted-server';

const order = { id: '7d0f7c56-1c2f-4f0e-9d7e-3f1f0a3e2b11', shopOrderRef: 'ORD-1', status: 'OPEN', amount: 2180 };
const input: CreateOrderInput = {
  shopOrderRef: 'ORD-1',
  currency: 'JPY',
  lineItems: [{ name: 'Kokoro', unitAmount: 1320, quantity: 1 }, { name: 'Drip coffee', unitAmount: 860, quantity: 1 }],
  successUrl: 'http://127.0.0.1:7200/return/success?ref=ORD-1',
  failureUrl: 'http://127.0.0.1:7200/return/failure?ref=ORD-1',
};
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serve(reply: Parameters<typeof scriptedServer>[0]) {
  const server = await scriptedServer(reply);
  servers.push(server);
  const client = (options: { retries?: number; timeoutMs?: number } = {}) => new ServerPosClient({ baseUrl: server.url, apiKey: 'spk_test_key', retryDelayMs: 1, ...options });
  return { ...server, client };
}

async function failure(promise: Promise<unknown>): Promise<ServerPosError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServerPosError);
  return error as ServerPosError;
}

const keysOf = (arrivals: Arrival[]) => arrivals.map((arrival) => arrival.headers['idempotency-key']);

describe('ServerPosClient retries', () => {
  it('sends a POST again after a dropped connection and a 503, with the same Idempotency-Key and the same bytes each time', async () => {
    const server = await serve((_arrival, index, response, request) => {
      if (index === 0) return drop(request);
      if (index === 1) return json(response, 503, { error: { code: 'service_unavailable', message: 'Try again.' } });
      json(response, 201, { order });
    });

    const created = await server.client().createOrder(input);

    expect(created).toEqual(order);
    expect(server.arrivals).toHaveLength(3);
    const keys = keysOf(server.arrivals);
    expect(keys[0]).toMatch(uuid);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(new Set(server.arrivals.map((arrival) => arrival.body))).toEqual(new Set([JSON.stringify(input)]));
    for (const arrival of server.arrivals) {
      expect(arrival).toMatchObject({ method: 'POST', path: '/api/v1/pos/orders' });
      expect(arrival.headers).toMatchObject({ authorization: 'Bearer spk_test_key', 'content-type': 'application/json' });
    }
  });

  it('keeps a key the caller gives through 502 and 504, and draws a new one for the next call', async () => {
    const server = await serve((_arrival, index, response) => {
      if (index === 0) return json(response, 502, { error: { code: 'bad_gateway', message: 'Upstream.' } });
      if (index === 1) return response.writeHead(504, { 'content-type': 'text/html' }).end('<h1>Gateway Timeout</h1>');
      json(response, 200, { payment: { id: 'p1' }, transaction: { id: 't1', result: 'succeeded', code: 'captured' } });
    });
    const client = server.client();

    const result = await client.capturePayment('p1', { amount: 500 }, { idempotencyKey: 'capture-ORD-1' });
    await client.voidPayment('p1');

    expect(result.transaction).toEqual({ id: 't1', result: 'succeeded', code: 'captured' });
    expect(keysOf(server.arrivals)).toEqual(['capture-ORD-1', 'capture-ORD-1', 'capture-ORD-1', expect.stringMatching(uuid)]);
    expect(server.arrivals.map((arrival) => [arrival.path, arrival.body])).toEqual([
      ['/api/v1/pos/payments/p1/capture', '{"amount":500}'],
      ['/api/v1/pos/payments/p1/capture', '{"amount":500}'],
      ['/api/v1/pos/payments/p1/capture', '{"amount":500}'],
      ['/api/v1/pos/payments/p1/void', '{}'],
    ]);
  });

  it('retries while ServerPOS says the first request with the key is still running (409 idempotency_request_in_progress)', async () => {
    const server = await serve((_arrival, index, response) => {
      if (index < 2) return json(response, 409, { error: { code: 'idempotency_request_in_progress', message: 'Still running.' } }, { 'retry-after': '0' });
      json(response, 201, { order });
    });
    expect(await server.client().createOrder(input, { idempotencyKey: 'k-1' })).toEqual(order);
    expect(keysOf(server.arrivals)).toEqual(['k-1', 'k-1', 'k-1']);
  });

  it('retries GETs after a dropped connection, without an Idempotency-Key', async () => {
    const server = await serve((_arrival, index, response, request) => (index === 0 ? drop(request) : json(response, 200, { payment: { id: 'p 1/x' } })));
    expect(await server.client().getPayment('p 1/x')).toEqual({ id: 'p 1/x' });
    expect(server.arrivals.map((arrival) => arrival.path)).toEqual(['/api/v1/pos/payments/p%201%2Fx', '/api/v1/pos/payments/p%201%2Fx']);
    expect(server.arrivals[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('gives up after `retries` more attempts with network_error, naming the key every attempt carried', async () => {
    const server = await serve((_arrival, _index, _response, request) => drop(request));
    const error = await failure(server.client({ retries: 2 }).createOrder(input));
    expect(server.arrivals).toHaveLength(3);
    expect(error).toMatchObject({ status: 0, code: 'network_error', idempotencyKey: server.arrivals[0]!.headers['idempotency-key'] });
    expect(new Set(keysOf(server.arrivals)).size).toBe(1);
    expect(error.message).toContain('3 attempts');
    expect(error.message).not.toContain('spk_test_key');
  });

  it('times out an attempt that gets no answer and retries it', async () => {
    const server = await serve(() => {
      // never answers
    });
    const error = await failure(server.client({ retries: 1, timeoutMs: 150 }).me());
    expect(error).toMatchObject({ status: 0, code: 'timeout' });
    expect(server.arrivals).toHaveLength(2);
  });

  it('stops retrying when the caller cancels', async () => {
    const server = await serve((_arrival, _index, response) => json(response, 503, { error: { code: 'service_unavailable', message: 'Down.' } }, { 'retry-after': '5' }));
    const controller = new AbortController();
    const call = server.client({ retries: 5 }).me({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(new Error('the shop gave up'));
    await expect(call).rejects.toThrow('the shop gave up');
    expect(server.arrivals).toHaveLength(1);
  });
});

describe('ServerPosClient errors', () => {
  it.each([
    [400, { code: 'validation_failed', message: 'Check the highlighted fields.', fields: [{ path: 'lineItems.0.quantity', message: 'The quantity is at least 1.' }] }],
    [401, { code: 'unauthenticated', message: 'Present a valid POS API key.' }],
    [404, { code: 'not_found', message: 'Order not found.' }],
    [409, { code: 'conflict', message: 'This POS already has an order with this reference.' }],
    [422, { code: 'upstream_refused', message: 'The acquirer refused the capture: over_limit.' }],
  ])('throws a %i at once as ServerPosError with its code, message and fields', async (status, body) => {
    const server = await serve((_arrival, _index, response) => json(response, status, { error: body }));
    const error = await failure(server.client().createOrder(input, { idempotencyKey: 'k-2' }));
    expect(server.arrivals).toHaveLength(1);
    expect(error).toMatchObject({ name: 'ServerPosError', status, code: body.code, message: body.message, idempotencyKey: 'k-2', fields: 'fields' in body ? body.fields : undefined });
  });

  it('does not retry a 500 (ServerPOS failed on its own; the key was released, the caller decides)', async () => {
    const server = await serve((_arrival, _index, response) => json(response, 500, { error: { code: 'internal_error', message: 'Something went wrong on our side.' } }));
    expect(await failure(server.client().createOrder(input))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(server.arrivals).toHaveLength(1);
  });

  it('names an answer without the error shape by its status, and a 2xx that is not JSON invalid_response', async () => {
    const server = await serve((_arrival, index, response) => (index === 0 ? response.writeHead(418).end('teapot') : response.writeHead(200).end('<html>')));
    expect(await failure(server.client().me())).toMatchObject({ status: 418, code: 'http_418', message: 'ServerPOS answered HTTP 418.' });
    expect(await failure(server.client().me())).toMatchObject({ status: 200, code: 'invalid_response' });
  });

  it('refuses an empty id before calling', async () => {
    const server = await serve((_arrival, _index, response) => json(response, 200, {}));
    await expect(server.client().getOrder('')).rejects.toThrow(TypeError);
    expect(server.arrivals).toHaveLength(0);
  });
});

describe('ServerPosClient listing', () => {
  it('sends the filters as query parameters and walks every page with allPayments', async () => {
    const pages: Record<string, { payments: { id: string }[]; nextCursor: string | null }> = {
      '': { payments: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' },
      c1: { payments: [{ id: 'c' }, { id: 'd' }], nextCursor: 'c2' },
      c2: { payments: [{ id: 'e' }], nextCursor: null },
    };
    const server = await serve((arrival, _index, response) => json(response, 200, pages[new URL(arrival.path, 'http://x').searchParams.get('cursor') ?? '']));
    const client = server.client();

    const ids: string[] = [];
    for await (const payment of client.allPayments({ status: 'CAPTURED', from: new Date('2031-01-02T03:04:05.000Z'), to: '2031-02-01T00:00:00+09:00', shopOrderRef: 'ORD 1', limit: 2 })) ids.push(payment.id);

    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    const queries = server.arrivals.map((arrival) => Object.fromEntries(new URL(arrival.path, 'http://x').searchParams));
    const filters = { status: 'CAPTURED', from: '2031-01-02T03:04:05.000Z', to: '2031-02-01T00:00:00+09:00', shopOrderRef: 'ORD 1', limit: '2' };
    expect(queries).toEqual([filters, { ...filters, cursor: 'c1' }, { ...filters, cursor: 'c2' }]);
    expect(await client.listPayments()).toEqual(pages['']);
    expect(server.arrivals.at(-1)!.path).toBe('/api/v1/pos/payments');
  });
});
