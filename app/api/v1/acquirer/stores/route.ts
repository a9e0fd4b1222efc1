import { NextResponse } from 'next/server';
import { listAcquirerStores } from '@/lib/acquirers/list-acquirer-stores';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withAcquirerSignature } from '@/lib/http/with-acquirer-signature';

/** GET /api/v1/acquirer/stores — the stores holding a contract with the calling acquirer (?status, ?contractStatus, ?cursor, ?limit). */
export const GET = withAcquirerSignature(async ({ acquirer, url }) => {
  const page = await listAcquirerStores({ acquirerId: acquirer.acquirerId, query: Object.fromEntries(url.searchParams) });
  return NextResponse.json(page, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
