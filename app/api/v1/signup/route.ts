import { NextResponse } from 'next/server';
import { jsonRoute, methodNotAllowed, readJsonBody } from '@/lib/http/json-route';
import { signUp } from '@/lib/stores/sign-up';
import { signUpSchema } from '@/lib/stores/schemas';

/**
 * POST /api/v1/signup — a store enrols: `{ storeName, ownerName, email,
 * password, contracts: [{ acquirerCode, merchantNumber, pin }] }`. Always 202
 * with the same body for a valid request, whether or not the address already
 * has an account; the acquirers' answers follow by e-mail.
 */
export const POST = jsonRoute(async (request) => {
  const input = await readJsonBody(request, signUpSchema, 8 * 1024);
  await signUp(input);
  return NextResponse.json(
    { status: 'verification_sent', message: 'If the address can be used, a confirmation e-mail is on its way.' },
    { status: 202 },
  );
});

export const GET = methodNotAllowed(['POST']);
export { GET as PUT, GET as PATCH, GET as DELETE };
