import { NextResponse } from 'next/server';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { listPosPayments } from '@/lib/payments/list-pos-payments';

/** GET /api/v1/pos/payments — this POS's payments, newest first: `?status=&from=&to=&shopOrderRef=&limit=&cursor=`. */
export const GET = withPosApiKey(async (request, pos) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const page = await listPosPayments({ storeId: pos.storeId, posId: pos.posId, query });
  return NextResponse.json(page, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
