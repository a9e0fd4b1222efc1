import { NextResponse } from 'next/server';
import { jsonRoute, methodNotAllowed } from '@/lib/http/json-route';
import { listWebhookKeys } from '@/lib/webhooks/list-webhook-keys';

/** GET /api/v1/pos/webhook-keys — the public keys webhooks are signed with (JWKS); public, like the OpenAPI document. */
export const GET = jsonRoute(async () => NextResponse.json(await listWebhookKeys(), { headers: { 'Cache-Control': 'public, max-age=300' } }));

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
