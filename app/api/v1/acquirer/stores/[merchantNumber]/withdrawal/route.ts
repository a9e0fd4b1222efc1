import { NextResponse } from 'next/server';
import { confirmAcquirerWithdrawal } from '@/lib/acquirers/confirm-acquirer-withdrawal';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withAcquirerSignature } from '@/lib/http/with-acquirer-signature';

/** POST /api/v1/acquirer/stores/:merchantNumber/withdrawal — the acquirer confirms the withdrawal the store asked for. */
export const POST = withAcquirerSignature<{ merchantNumber: string }>(async (call, { params }) => {
  const { merchantNumber } = await params;
  return NextResponse.json(await confirmAcquirerWithdrawal({ acquirer: call.acquirer, merchantNumber, origin: call.origin }));
});

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
