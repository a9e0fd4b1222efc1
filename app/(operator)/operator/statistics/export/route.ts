import { requireOperator } from '@/lib/auth/current';
import { AppError, isAppError } from '@/lib/errors';
import { jsonError } from '@/lib/http/json-route';
import { requestOriginFrom } from '@/lib/http/request-origin';
import { describeError, log } from '@/lib/log';
import { exportStatisticsCsv } from '@/lib/stats/export-statistics-csv';

/** GET /operator/statistics/export?<the page's filters>: the operator's daily statistics as CSV. Operators only. */
export async function GET(request: Request): Promise<Response> {
  // Outside the try: its redirect and not-found are answers of their own, not errors to turn into JSON.
  const operator = await requireOperator();
  try {
    const { filename, body } = await exportStatisticsCsv({
      scope: { kind: 'operator' },
      actor: { type: 'OPERATOR', id: operator.userId },
      query: new URL(request.url).searchParams,
      origin: requestOriginFrom(request.headers),
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  } catch (error) {
    if (isAppError(error)) return jsonError(error);
    log.error('statistics export failed', describeError(error));
    return jsonError(new AppError('internal_error', 'Something went wrong on our side. Please try again.'));
  }
}
