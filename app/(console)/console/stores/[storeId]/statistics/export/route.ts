import { requireStoreUser } from '@/lib/auth/current';
import { AppError, isAppError } from '@/lib/errors';
import { jsonError } from '@/lib/http/json-route';
import { requestOriginFrom } from '@/lib/http/request-origin';
import { describeError, log } from '@/lib/log';
import { exportStatisticsCsv } from '@/lib/stats/export-statistics-csv';

/**
 * GET …/statistics/export?<the page's filters>: the store's daily statistics as CSV. Only a signed-in user
 * of this store gets it; anyone else is sent to sign in, and another store's user gets a 404.
 */
export async function GET(request: Request, { params }: { params: Promise<{ storeId: string }> }): Promise<Response> {
  const { storeId } = await params;
  // Outside the try: its redirect and not-found are answers of their own, not errors to turn into JSON.
  const user = await requireStoreUser(storeId);
  try {
    const { filename, body } = await exportStatisticsCsv({
      scope: { kind: 'store', storeId },
      actor: { type: 'STORE_USER', id: user.userId },
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
    log.error('statistics export failed', { storeId, ...describeError(error) });
    return jsonError(new AppError('internal_error', 'Something went wrong on our side. Please try again.'));
  }
}
