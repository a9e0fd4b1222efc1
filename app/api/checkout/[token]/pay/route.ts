import { NextResponse } from 'next/server';
import { z } from 'zod';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { jsonRoute, methodNotAllowed, readJsonBody } from '@/lib/http/json-route';
import { withServerTiming } from '@/lib/http/with-server-timing';
import { CHECKOUT_ANSWER_HEADERS } from '@/lib/checkout/answer-headers';

// The PReq carries the card data only sealed to the gateway; the customer object holds contact details.
const bodySchema = z.strictObject({ preq: z.string({ error: 'Send the wallet’s PReq as a string.' }).max(48 * 1024), customer: z.unknown() });

/** POST /api/checkout/:token/pay — the wallet's PReq; ServerPOS checks it against the order, authorises, and answers the signed PRes. */
export const POST = withServerTiming(
  jsonRoute<{ token: string }>(async (request, { params }) => {
    const { token } = await params;
    const body = await readJsonBody(request, bodySchema, 64 * 1024);
    const outcome = await payCheckout({ token, preq: body.preq, customer: body.customer });
    return NextResponse.json(outcome, { headers: CHECKOUT_ANSWER_HEADERS });
  }),
);

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
