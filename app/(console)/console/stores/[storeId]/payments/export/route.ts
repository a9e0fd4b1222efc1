import { requireStoreUser } from '@/lib/auth/current';
import { csvDownload } from '@/lib/http/csv-download';
import { requestOriginFrom } from '@/lib/http/request-origin';
import { exportPaymentsCsv } from '@/lib/payments/export-payments-csv';

/**
 * GET …/payments/export?<the list's filters>: every matching payment as CSV, streamed. Only a signed-in
 * user of this store gets it; anyone else is sent to sign in, and another store's user gets a 404.
 */
export async function GET(request: Request, { params }: { params: Promise<{ storeId: string }> }): Promise<Response> {
  const { storeId } = await params;
  const user = await requireStoreUser(storeId);
  return csvDownload('payments export', { storeId }, () =>
    exportPaymentsCsv({
      storeId,
      actor: { type: 'STORE_USER', id: user.userId },
      query: new URL(request.url).searchParams,
      origin: requestOriginFrom(request.headers),
    }),
  );
}
