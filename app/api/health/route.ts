import { NextResponse } from 'next/server';
import { databaseIsUp } from '@/lib/db/health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness: the app answers and its database does too. */
export async function GET() {
  const database = await databaseIsUp();
  return NextResponse.json(
    database ? { status: 'ok' } : { error: { code: 'service_unavailable', message: 'The database does not answer.' } },
    { status: database ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
