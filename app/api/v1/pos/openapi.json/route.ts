import { NextResponse } from 'next/server';
import { jsonRoute, methodNotAllowed } from '@/lib/http/json-route';
import { posApiDocument } from '@/lib/payments/openapi';

/** GET /api/v1/pos/openapi.json — the POS API's OpenAPI 3.1 document; public, like the docs page. */
export const GET = jsonRoute(async () => NextResponse.json(posApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } }));

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
