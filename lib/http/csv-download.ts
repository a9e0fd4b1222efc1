import { AppError, isAppError } from '@/lib/errors';
import { jsonError } from '@/lib/http/json-route';
import { describeError, log } from '@/lib/log';

/**
 * Answers a console CSV export: the file as an attachment that is never cached or sniffed, or the
 * AppError's 4xx as JSON. An unexpected failure is logged under `what` and answered as a generic 500
 * with nothing of the cause. Authenticate before calling: a sign-in redirect or not-found is an answer
 * of its own, not an error to turn into JSON.
 */
export async function csvDownload(
  what: string,
  context: Record<string, unknown>,
  produce: () => Promise<{ filename: string; body: string | ReadableStream<Uint8Array> }>,
): Promise<Response> {
  try {
    const { filename, body } = await produce();
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
    log.error(`${what} failed`, { ...context, ...describeError(error) });
    return jsonError(new AppError('internal_error', 'Something went wrong on our side. Please try again.'));
  }
}
