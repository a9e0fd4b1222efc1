import { describe, expect, it } from 'vitest';
import { outlineOperations, outlineSchema } from '@/lib/http/openapi-outline';
import { buildPosApiDocument } from '@/lib/payments/openapi';

const document = buildPosApiDocument({ serverUrl: 'https://pay.example/' });

describe('outlineOperations', () => {
  it('lists every operation with its method, path and summary', () => {
    expect(outlineOperations(document).map((operation) => `${operation.method} ${operation.path}`)).toEqual([
      'GET /api/v1/pos/me',
      'POST /api/v1/pos/orders',
      'GET /api/v1/pos/orders/{orderId}',
      'GET /api/v1/pos/orders/by-ref/{shopOrderRef}',
      'GET /api/v1/pos/payments',
      'GET /api/v1/pos/payments/{paymentId}',
      'POST /api/v1/pos/payments/{paymentId}/capture',
      'POST /api/v1/pos/payments/{paymentId}/void',
      'POST /api/v1/pos/payments/{paymentId}/refunds',
      'GET /api/v1/pos/webhook-keys',
    ]);
  });

  it('flattens the request body into dotted field rows, nested lists included, with required marks and bounds', () => {
    const create = outlineOperations(document).find((operation) => operation.id === 'createOrder')!;
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true, type: 'string', constraints: expect.arrayContaining(['1–255 characters']) })]);
    const rows = create.requestBody!.fields;
    expect(create.requestBody!.schemaName).toBe('CreateOrderRequest');
    expect(rows.map((row) => row.path)).toEqual([
      'shopOrderRef',
      'currency',
      'lineItems',
      'lineItems[].name',
      'lineItems[].unitAmount',
      'lineItems[].quantity',
      'successUrl',
      'failureUrl',
      'expiresInMinutes',
      'autoCapture',
      'customerEmail',
      'viaPosId',
    ]);
    expect(rows.find((row) => row.path === 'currency')).toMatchObject({ required: true, type: 'string', constraints: expect.arrayContaining(['one of "JPY", "USD", "EUR", "GBP"']) });
    expect(rows.find((row) => row.path === 'lineItems')).toMatchObject({ type: 'object[]', constraints: expect.arrayContaining(['1–100 items']) });
    expect(rows.find((row) => row.path === 'lineItems[].unitAmount')).toMatchObject({ required: true, type: 'integer', constraints: expect.arrayContaining(['0–10000000000']) });
    expect(rows.find((row) => row.path === 'expiresInMinutes')).toMatchObject({ required: false, constraints: expect.arrayContaining(['5–1440', 'default 60']) });
  });

  it('resolves named response schemas, nullable fields and the replay header', () => {
    const getOrder = outlineOperations(document).find((operation) => operation.id === 'getOrder')!;
    const ok = getOrder.responses.find((response) => response.status === '200')!;
    expect(ok.body!.schemaName).toBe('GetOrderResponse');
    const paths = ok.body!.fields.map((row) => row.path);
    expect(paths).toEqual(expect.arrayContaining(['order.id', 'order.status', 'order.lineItems[].name', 'order.payments[].maskedPan', 'order.payments[].declineMessage.en']));
    expect(ok.body!.fields.find((row) => row.path === 'order.payments[].maskedPan')!.type).toBe('string | null');
    expect(ok.body!.fields.find((row) => row.path === 'order.status')!.constraints[0]).toBe('one of "OPEN", "PAID", "EXPIRED", "CANCELLED"');
    expect(getOrder.responses.find((response) => response.status === '404')!.body!.schemaName).toBe('Error');
    const created = outlineOperations(document).find((operation) => operation.id === 'createOrder')!.responses.find((response) => response.status === '201')!;
    expect(created.headers.map((header) => header.name)).toEqual(['Idempotent-Replayed']);
  });
});

describe('outlineSchema', () => {
  it('gives the rows of a named component', () => {
    expect(outlineSchema(document, 'Error').map((row) => [row.path, row.required])).toEqual([
      ['error', true],
      ['error.code', true],
      ['error.message', true],
      ['error.fields', false],
      ['error.fields[].path', true],
      ['error.fields[].message', true],
    ]);
    expect(outlineSchema(document, 'Nope')).toEqual([]);
  });
});
