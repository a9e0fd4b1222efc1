import { NextResponse } from 'next/server';
import { suspendBodySchema } from '@/lib/acquirers/acquirer-api-schemas';
import { resumeAcquirerStore } from '@/lib/acquirers/resume-acquirer-store';
import { suspendAcquirerStore } from '@/lib/acquirers/suspend-acquirer-store';
import { methodNotAllowed } from '@/lib/http/json-route';
import { parseAcquirerJson, withAcquirerSignature } from '@/lib/http/with-acquirer-signature';

/** POST /api/v1/acquirer/stores/:merchantNumber/suspension — suspend the store's processing, for every acquirer at once. */
export const POST = withAcquirerSignature<{ merchantNumber: string }>(async (call, { params }) => {
  const { merchantNumber } = await params;
  const { reason } = parseAcquirerJson(call, suspendBodySchema);
  const result = await suspendAcquirerStore({ acquirer: call.acquirer, merchantNumber, reason, origin: call.origin });
  return NextResponse.json(result);
});

/** DELETE /api/v1/acquirer/stores/:merchantNumber/suspension — lift a suspension this acquirer made. */
export const DELETE = withAcquirerSignature<{ merchantNumber: string }>(async (call, { params }) => {
  const { merchantNumber } = await params;
  return NextResponse.json(await resumeAcquirerStore({ acquirer: call.acquirer, merchantNumber, origin: call.origin }));
});

export const GET = methodNotAllowed(['POST', 'DELETE']);
export { GET as PUT, GET as PATCH };
