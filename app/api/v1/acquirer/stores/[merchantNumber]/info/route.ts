import { NextResponse } from 'next/server';
import { updateAcquirerStoreInfo } from '@/lib/acquirers/update-acquirer-store-info';
import { methodNotAllowed } from '@/lib/http/json-route';
import { parseAcquirerJson, withAcquirerSignature } from '@/lib/http/with-acquirer-signature';
import { acquirerStoreInfoSchema } from '@/lib/stores/schemas';

/** PUT /api/v1/acquirer/stores/:merchantNumber/info — the acquirer's new store information (newest version wins). */
export const PUT = withAcquirerSignature<{ merchantNumber: string }>(async (call, { params }) => {
  const { merchantNumber } = await params;
  const info = parseAcquirerJson(call, acquirerStoreInfoSchema);
  return NextResponse.json(await updateAcquirerStoreInfo({ acquirer: call.acquirer, merchantNumber, info }));
});

export const GET = methodNotAllowed(['PUT']);
export { GET as POST, GET as PATCH, GET as DELETE };
