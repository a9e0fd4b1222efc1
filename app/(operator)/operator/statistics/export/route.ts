import { requireOperator } from '@/lib/auth/current';
import { csvDownload } from '@/lib/http/csv-download';
import { requestOriginFrom } from '@/lib/http/request-origin';
import { exportStatisticsCsv } from '@/lib/stats/export-statistics-csv';

/** GET /operator/statistics/export?<the page's filters>: the operator's daily statistics as CSV. Operators only. */
export async function GET(request: Request): Promise<Response> {
  const operator = await requireOperator();
  return csvDownload('statistics export', {}, () =>
    exportStatisticsCsv({
      scope: { kind: 'operator' },
      actor: { type: 'OPERATOR', id: operator.userId },
      query: new URL(request.url).searchParams,
      origin: requestOriginFrom(request.headers),
    }),
  );
}
