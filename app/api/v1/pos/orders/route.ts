import { NextResponse } from 'next/server';
import { methodNotAllowed, readJsonBody } from '@/lib/http/json-route';
import { requestOriginFrom } from '@/lib/http/request-origin';
import { withIdempotency } from '@/lib/http/with-idempotency';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { createOrder } from '@/lib/payments/create-order';
import { createOrderSchema } from '@/lib/payments/schemas';

/**
 * POST /api/v1/pos/orders — the shop pre-registers an order (Idempotency-Key required):
 * 201 `{ order }` with the amount computed from the line items and the checkout URL to send the customer to.
 */
export const POST = withPosApiKey(
  withIdempotency(async (request, pos) => {
    const input = await readJsonBody(request, createOrderSchema);
    const order = await createOrder({ storeId: pos.storeId, posId: pos.posId, actor: pos.actor, input, origin: requestOriginFrom(request.headers) });
    return NextResponse.json({ order }, { status: 201, headers: { 'Cache-Control': 'no-store', Location: `/api/v1/pos/orders/${order.id}` } });
  }),
);

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
