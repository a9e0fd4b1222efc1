import { AppError, isAppError } from '@/lib/errors';
import { jsonError } from '@/lib/http/json-route';
import { describeError, log } from '@/lib/log';

/**
 * Answers a console CSV export: the file as an attachment that is never cached or sniffed, or the
 * AppError's 4xx as JSON. An unexpected failure is logged under `what` and answered as a generic 500
 * with nothing of the cause; one after the first byte, when no status can change any more, is logged
 * the same way and cuts the download short, so the client sees a failed transfer rather than a short
 * file. Authenticate before calling: a sign-in redirect or not-found is an answer of its own, not an
 * error to turn into JSON.
 */
export async function csvDownload(
  what: string,
  context: Record<string, unknown>,
  produce: () => Promise<{ filename: string; body: string | ReadableStream<Uint8Array> }>,
): Promise<Response> {
  try {
    const { filename, body } = await produce();
    return new Response(typeof body === 'string' ? body : loggingFailures(body, what, context), {
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

// A stream's failure is otherwise only the framework's bare console line: log it as ours, then pass it on.
function loggingFailures(source: ReadableStream<Uint8Array>, what: string, context: Record<string, unknown>): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          log.error(`${what} failed while streaming`, { ...context, ...describeError(error) });
          controller.error(error);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
