import { NextResponse } from 'next/server';
import { enrolmentBodySchema } from '@/lib/acquirers/acquirer-api-schemas';
import { confirmAcquirerEnrolment } from '@/lib/acquirers/confirm-acquirer-enrolment';
import { methodNotAllowed } from '@/lib/http/json-route';
import { parseAcquirerJson, withAcquirerSignature } from '@/lib/http/with-acquirer-signature';

/** POST /api/v1/acquirer/stores/:merchantNumber/enrolment — the acquirer's decision on the store's application. */
export const POST = withAcquirerSignature<{ merchantNumber: string }>(async (call, { params }) => {
  const { merchantNumber } = await params;
  const input = parseAcquirerJson(call, enrolmentBodySchema);
  return NextResponse.json(await confirmAcquirerEnrolment({ acquirer: call.acquirer, merchantNumber, input, origin: call.origin }));
});

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
