import { NextResponse } from 'next/server';
import { methodNotAllowed, readJsonBody } from '@/lib/http/json-route';
import { withIdempotency } from '@/lib/http/with-idempotency';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { settleThroughApi, settlementBodySchema } from '@/lib/payments/settle-through-api';

/** POST /api/v1/pos/payments/:paymentId/capture — capture through the payment's acquirer (Idempotency-Key required). */
export const POST = withPosApiKey<{ paymentId: string }>(
  withIdempotency(async (request, pos, { params }) => {
    const { paymentId } = await params;
    const body = await readJsonBody(request, settlementBodySchema);
    const { status, body: answer } = await settleThroughApi('capture', pos, paymentId, body);
    return NextResponse.json(answer, { status, headers: { 'Cache-Control': 'no-store' } });
  }),
);

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
