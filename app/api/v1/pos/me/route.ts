import { NextResponse } from 'next/server';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withPosApiKey } from '@/lib/http/with-pos-api-key';
import { getPosProfile } from '@/lib/pos/get-pos-profile';

/** GET /api/v1/pos/me — the POS this API key belongs to, its store, its acquirers, and whether it can authorise now. */
export const GET = withPosApiKey(async (_request, pos) => {
  const profile = await getPosProfile({ storeId: pos.storeId, posId: pos.posId });
  return NextResponse.json(profile, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
