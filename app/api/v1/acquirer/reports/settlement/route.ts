import { NextResponse } from 'next/server';
import { methodNotAllowed } from '@/lib/http/json-route';
import { withAcquirerSignature } from '@/lib/http/with-acquirer-signature';
import { getAcquirerSettlementReport } from '@/lib/stats/get-acquirer-settlement-report';

/** GET /api/v1/acquirer/reports/settlement?from=YYYY-MM-DD&to=YYYY-MM-DD[&merchantNumber=] — the calling acquirer's settlement report. */
export const GET = withAcquirerSignature(async ({ acquirer, url }) => {
  const query = url.searchParams;
  const report = await getAcquirerSettlementReport({
    acquirerId: acquirer.acquirerId,
    from: query.get('from') ?? undefined,
    to: query.get('to') ?? undefined,
    merchantNumber: query.get('merchantNumber') ?? undefined,
  });
  return NextResponse.json(report, { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = methodNotAllowed(['GET']);
export { POST as PUT, POST as PATCH, POST as DELETE };
