import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GET as openApiRoute } from '@/app/api/v1/pos/openapi.json/route';
import { env } from '@/lib/env';
import { buildPosApiDocument, posApiRoutes } from '@/lib/payments/openapi';
import { createOrderSchema } from '@/lib/payments/schemas';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

const posApiFolder = path.resolve(import.meta.dirname, '../../app/api/v1/pos');
// The document's own route is public and describes the API rather than being part of it.
const notOperations = new Set(['/api/v1/pos/openapi.json']);
const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every route file under app/api/v1/pos, as its OpenAPI path ("[orderId]" → "{orderId}"). */
async function posApiRouteFiles(): Promise<{ apiPath: string; file: string }[]> {
  const entries = await readdir(posApiFolder, { recursive: true });
  return entries
    .filter((entry) => path.basename(entry) === 'route.ts')
    .map((entry) => {
      const segments = path.dirname(entry).split(path.sep).filter((segment) => segment !== '.');
      const apiPath = ['/api/v1/pos', ...segments.map((segment) => segment.replace(/^\[(.+)\]$/, '{$1}'))].join('/');
      return { apiPath, file: path.join(posApiFolder, entry) };
    })
    .filter((route) => !notOperations.has(route.apiPath));
}

/** An operation the document says needs no key (`security: []`), like the webhook keys. */
const isPublic = (operation: (typeof posApiRoutes)[number]) => Array.isArray(operation.security) && operation.security.length === 0;

async function handlersOf(file: string): Promise<Partial<Record<(typeof httpMethods)[number], Handler>>> {
  return (await import(pathToFileURL(file).href)) as Partial<Record<(typeof httpMethods)[number], Handler>>;
}

/** Calls a handler as Next.js would, without credentials, with placeholder path parameters. */
async function callWithoutKey(handler: Handler, apiPath: string, method: string) {
  const params = Object.fromEntries([...apiPath.matchAll(/\{(\w+)\}/g)].map((match) => [match[1]!, '00000000-0000-4000-8000-000000000000']));
  const url = `http://localhost${apiPath.replace(/\{(\w+)\}/g, '00000000-0000-4000-8000-000000000000')}`;
  const response = await handler(new Request(url, { method, ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }) }), { params: Promise.resolve(params) });
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
}

describe('the POS API OpenAPI document', () => {
  it('documents only operations a route serves, behind the POS API key', async () => {
    const files = new Map((await posApiRouteFiles()).map((route) => [route.apiPath, route.file]));

    for (const operation of posApiRoutes) {
      const method = operation.method.toUpperCase() as (typeof httpMethods)[number];
      const file = files.get(operation.path);
      expect(file, `no route file serves ${operation.path}`).toBeDefined();
      const handler = (await handlersOf(file!))[method];
      expect(handler, `${file} exports no ${method}`).toBeTypeOf('function');
      if (isPublic(operation)) {
        // Documented as needing no key (security: []): served without one.
        expect((await callWithoutKey(handler!, operation.path, method)).status, `${method} ${operation.path}`).toBe(200);
        continue;
      }
      // 401, not 405 (methodNotAllowed) nor the catch-all's 404: the method is served, and only with a key.
      expect(await callWithoutKey(handler!, operation.path, method), `${method} ${operation.path}`).toEqual({ status: 401, body: { error: expect.objectContaining({ code: 'unauthenticated' }) } });
    }
  });

  it('documents every operation a route under /api/v1/pos serves', async () => {
    const documented = new Set(posApiRoutes.map((operation) => `${operation.method.toUpperCase()} ${operation.path}`));
    const served: string[] = [];
    for (const route of await posApiRouteFiles()) {
      const handlers = await handlersOf(route.file);
      for (const method of httpMethods) {
        const handler = handlers[method];
        if (!handler) continue;
        const answer = await callWithoutKey(handler, route.apiPath, method);
        if (answer.status !== 405) served.push(`${method} ${route.apiPath}`);
      }
    }
    expect(served.length).toBeGreaterThanOrEqual(6);
    for (const operation of served) expect(documented.has(operation), `${operation} is served but not in lib/payments/openapi.ts`).toBe(true);
  });

  it('is OpenAPI 3.1 with the bearer scheme, the error schema, and the Idempotency-Key on every POST', () => {
    const document = buildPosApiDocument({ serverUrl: 'https://pay.example/' });
    expect(document.openapi).toBe('3.1.0');
    expect(document.servers).toEqual([{ url: 'https://pay.example' }]);
    expect(document.security).toEqual([{ posApiKey: [] }]);
    expect(document.components?.securitySchemes?.posApiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components?.schemas?.Error).toMatchObject({ type: 'object', required: ['error'] });
    for (const [apiPath, item] of Object.entries(document.paths ?? {})) {
      const post = item.post;
      if (!post) continue;
      expect(post.parameters, `POST ${apiPath}`).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
      expect(Object.keys(post.responses ?? {}), `POST ${apiPath}`).toEqual(expect.arrayContaining(['400', '401', '409', '422']));
    }
    // The create-order body is the validating schema itself: its documented example passes it.
    const request = document.components?.schemas?.CreateOrderRequest as { properties: Record<string, { example?: unknown }> };
    const example = Object.fromEntries(Object.entries(request.properties).flatMap(([name, property]) => (property.example === undefined ? [] : [[name, property.example]])));
    expect(createOrderSchema.safeParse({ ...example, lineItems: [{ name: 'Green tea', unitAmount: 640, quantity: 2 }] }).success).toBe(true);
  });

  it('documents the webhook keys as needing no key, and the payment event webhook with its signature header and body', () => {
    const document = buildPosApiDocument({ serverUrl: 'https://pay.example' });
    expect(document.paths?.['/api/v1/pos/webhook-keys']?.get?.security).toEqual([]);
    const webhook = document.webhooks?.paymentEvent?.post;
    expect(webhook?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ServerPOS-Signature', in: 'header' }), expect.objectContaining({ name: 'ServerPOS-Event-Id', in: 'header' })]));
    expect(document.components?.schemas?.WebhookEvent).toMatchObject({ type: 'object', required: expect.arrayContaining(['id', 'type', 'createdAt', 'data']) });
  });

  it('is served at GET /api/v1/pos/openapi.json without a key, naming this deployment as its server', async () => {
    const response = await openApiRoute(new Request('http://localhost/api/v1/pos/openapi.json'), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as ReturnType<typeof buildPosApiDocument>;
    expect(document.servers).toEqual([{ url: env().APP_URL.replace(/\/+$/, '') }]);
    expect(Object.keys(document.paths ?? {})).toEqual([...new Set(posApiRoutes.map((operation) => operation.path))]);
  });
});
