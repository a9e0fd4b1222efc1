import { requireStoreUser } from '@/lib/auth/current';
import { csvDownload } from '@/lib/http/csv-download';
import { requestOriginFrom } from '@/lib/http/request-origin';
import { exportStatisticsCsv } from '@/lib/stats/export-statistics-csv';

/**
 * GET …/statistics/export?<the page's filters>: the store's daily statistics as CSV. Only a signed-in user
 * of this store gets it; anyone else is sent to sign in, and another store's user gets a 404.
 */
export async function GET(request: Request, { params }: { params: Promise<{ storeId: string }> }): Promise<Response> {
  const { storeId } = await params;
  const user = await requireStoreUser(storeId);
  return csvDownload('statistics export', { storeId }, () =>
    exportStatisticsCsv({
      scope: { kind: 'store', storeId },
      actor: { type: 'STORE_USER', id: user.userId },
      query: new URL(request.url).searchParams,
      origin: requestOriginFrom(request.headers),
    }),
  );
}
