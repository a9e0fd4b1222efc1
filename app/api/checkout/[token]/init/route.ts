import { NextResponse } from 'next/server';
import { z } from 'zod';
import { startCheckout } from '@/lib/checkout/start-checkout';
import { jsonRoute, methodNotAllowed, readJsonBody } from '@/lib/http/json-route';
import { withServerTiming } from '@/lib/http/with-server-timing';
import { CHECKOUT_ANSWER_HEADERS } from '@/lib/checkout/answer-headers';

const bodySchema = z.strictObject({ pinitReq: z.string({ error: 'Send the wallet’s PInitReq as a string.' }).max(8 * 1024) });

/** POST /api/checkout/:token/init — the wallet's PInitReq for the order behind the checkout link; answers the signed PInitRes. */
export const POST = withServerTiming(
  jsonRoute<{ token: string }>(async (request, { params }) => {
    const { token } = await params;
    const body = await readJsonBody(request, bodySchema, 16 * 1024);
    const { pinitRes } = await startCheckout({ token, pinitReq: body.pinitReq });
    return NextResponse.json({ pinitRes }, { headers: CHECKOUT_ANSWER_HEADERS });
  }),
);

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
