import { createHash } from 'node:crypto';
import { db } from '@/lib/db/client';
import { AppError, isAppError } from '@/lib/errors';
import { DEFAULT_MAX_BODY_BYTES, jsonError, readLimitedBody } from '@/lib/http/json-route';
import { describeError, log } from '@/lib/log';
import type { PosPrincipal } from '@/lib/pos/authenticate-pos-api-key';
import { claimIdempotencyKey, completeIdempotencyRecord, releaseIdempotencyRecord } from '@/lib/pos/idempotency-records';

type RouteContext<P> = { params: Promise<P> };
type PosHandler<P> = (request: Request, pos: PosPrincipal, context: RouteContext<P>) => Promise<Response>;

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** How long a request waits for the first request with its key to finish before answering 409. */
export const DEFAULT_IN_PROGRESS_WAIT_MS = 10_000;

const keyPattern = /^[\x20-\x7e]{1,255}$/;

/**
 * Makes a POS API POST idempotent, inside withPosApiKey: `withPosApiKey(withIdempotency(handler))`.
 *
 * The request must carry `Idempotency-Key` (1–255 printable ASCII characters). The first request with a key
 * claims it (IdempotencyRecord, unique per POS and key) and runs; its status and JSON body are stored, and a
 * repeat of the same request (same method, path and raw body: SHA-256 of the three) gets that answer again,
 * byte for byte, with `Idempotent-Replayed: true`, without running anything. A repeat that arrives while the
 * first still runs waits for it (up to about 10 s, then 409 idempotency_request_in_progress). The same key
 * on a different request is refused (422 idempotency_key_reused). A 5xx answer is not stored: the record is
 * released so that a retry runs again; a 4xx answer is stored like any other (the same request would fail
 * the same way).
 */
export function withIdempotency<P = Record<string, string>>(handler: PosHandler<P>, options: { maxBodyBytes?: number; waitMs?: number } = {}): PosHandler<P> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const waitMs = options.waitMs ?? DEFAULT_IN_PROGRESS_WAIT_MS;
  return async (request, pos, context) => {
    const key = idempotencyKeyOf(request);
    const body = await readLimitedBody(request, maxBodyBytes);
    const requestHash = hashRequest(request.method, new URL(request.url).pathname, body);
    const prisma = db();

    const deadline = Date.now() + waitMs;
    for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
      const claim = await claimIdempotencyKey(prisma, { storeId: pos.storeId, posId: pos.posId, key, requestHash });
      switch (claim.outcome) {
        case 'mismatch':
          throw new AppError(
            'idempotency_key_reused',
            `This ${IDEMPOTENCY_KEY_HEADER} was already used for a different request (another endpoint or body). Send a new key with a new request; repeat a request only with exactly the same body.`,
          );
        case 'completed':
          return replay(claim.status, claim.body);
        case 'claimed':
          return runClaimed(handler, { request, body, pos, context, recordId: claim.recordId });
        case 'in_progress':
          if (Date.now() + pause > deadline) {
            return jsonError(
              new AppError('idempotency_request_in_progress', `A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed. Send it again in a few seconds to get its answer.`),
              { 'Retry-After': '2' },
            );
          }
          await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  };
}

async function runClaimed<P>(
  handler: PosHandler<P>,
  run: { request: Request; body: Buffer<ArrayBuffer>; pos: PosPrincipal; context: RouteContext<P>; recordId: string },
): Promise<Response> {
  const prisma = db();
  // The body was read to hash it; the handler gets a request that still has it.
  const request = new Request(run.request.url, { method: run.request.method, headers: run.request.headers, body: run.body.byteLength > 0 ? run.body : null });
  let response: Response;
  try {
    response = await handler(request, run.pos, run.context);
  } catch (error) {
    if (!isAppError(error)) {
      await releaseQuietly(run.recordId);
      throw error;
    }
    response = jsonError(error);
  }
  const text = await response.text();
  if (response.status >= 500) {
    await releaseQuietly(run.recordId);
  } else {
    try {
      await completeIdempotencyRecord(prisma, { recordId: run.recordId, status: response.status, body: text });
    } catch (error) {
      // The work is done and its answer goes out; a retry finds the record abandoned and runs again later.
      log.error('could not store an idempotent answer', { idempotencyRecordId: run.recordId, ...describeError(error) });
      await releaseQuietly(run.recordId);
    }
  }
  return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
}

async function releaseQuietly(recordId: string): Promise<void> {
  try {
    await releaseIdempotencyRecord(db(), recordId);
  } catch (error) {
    log.error('could not release an idempotency record', { idempotencyRecordId: recordId, ...describeError(error) });
  }
}

function replay(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', [IDEMPOTENT_REPLAYED_HEADER]: 'true' },
  });
}

function idempotencyKeyOf(request: Request): string {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null || key === '') {
    throw new AppError(
      'idempotency_key_required',
      `Send an ${IDEMPOTENCY_KEY_HEADER} header (1–255 printable ASCII characters, e.g. a UUID) with every POST, so that a retry is answered without doing the work twice.`,
    );
  }
  if (!keyPattern.test(key)) {
    const message = `The ${IDEMPOTENCY_KEY_HEADER} header must be 1–255 printable ASCII characters.`;
    throw new AppError('validation_failed', message, [{ path: IDEMPOTENCY_KEY_HEADER, message }]);
  }
  return key;
}

/** SHA-256 over method, path and the body exactly as sent: a key names one request, not one endpoint. */
export function hashRequest(method: string, path: string, body: Uint8Array): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n`).update(body).digest('hex');
}
