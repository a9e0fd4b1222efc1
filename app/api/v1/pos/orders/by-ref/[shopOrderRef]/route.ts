import { NextResponse } from 'next/server';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { getOrder } from '@/lib/payments/get-order';

/** GET /api/v1/pos/orders/by-ref/:shopOrderRef — one of this POS's orders, by the shop's reference (percent-encoded), with its payments. */
export const GET = withPosApiKey<{ shopOrderRef: string }>(async (_request, pos, { params }) => {
  const { shopOrderRef } = await params;
  const order = await getOrder({ storeId: pos.storeId, posId: pos.posId, by: { shopOrderRef } });
  return NextResponse.json({ order }, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
