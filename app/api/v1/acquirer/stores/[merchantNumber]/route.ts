import { NextResponse } from 'next/server';
import { getAcquirerStore } from '@/lib/acquirers/get-acquirer-store';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withAcquirerSignature } from '@/lib/http/with-acquirer-signature';

/** GET /api/v1/acquirer/stores/:merchantNumber — one store of the calling acquirer. */
export const GET = withAcquirerSignature<{ merchantNumber: string }>(async ({ acquirer }, { params }) => {
  const { merchantNumber } = await params;
  const store = await getAcquirerStore({ acquirerId: acquirer.acquirerId, merchantNumber });
  return NextResponse.json({ store }, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
