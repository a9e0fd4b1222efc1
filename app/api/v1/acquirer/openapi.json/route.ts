import { NextResponse } from 'next/server';
import { acquirerApiDocument } from '@/lib/acquirers/openapi';
import { jsonRoute, methodNotAllowed } from '@/lib/http/json-route';

/** GET /api/v1/acquirer/openapi.json — the acquirer admin API's OpenAPI 3.1 document; public, like the POS API's. */
export const GET = jsonRoute(async () => NextResponse.json(acquirerApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } }));

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
