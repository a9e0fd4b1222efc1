import { NextResponse } from 'next/server';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { getPayment } from '@/lib/payments/get-payment';

/** GET /api/v1/pos/payments/:paymentId — one of this POS's payments. */
export const GET = withPosApiKey<{ paymentId: string }>(async (_request, pos, { params }) => {
  const { paymentId } = await params;
  const payment = await getPayment({ storeId: pos.storeId, posId: pos.posId, paymentId });
  return NextResponse.json({ payment }, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
