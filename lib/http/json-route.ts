import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { AppError, errorBody, isAppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { RateLimitedError } from '@/lib/security/rate-limit';
import { isWellFormedText, parseInput } from '@/lib/validation';

/** Bodies larger than this are refused before they are parsed. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The error's `{ error: { code, message } }` answer with its status; a rate limit's refusal says when to retry (Retry-After). */
export function jsonError(error: AppError, headers?: HeadersInit): NextResponse {
  const answer = new Headers(headers);
  if (error instanceof RateLimitedError) answer.set('Retry-After', String(error.retryAfterSeconds));
  return NextResponse.json(errorBody(error), { status: error.status, headers: answer });
}

/**
 * Reads a JSON body with a size limit, parses it, and validates it against a
 * shared schema. Every failure is an AppError with a 4xx status.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<z.infer<S>> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  const bytes = await readLimitedBody(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('invalid_json', 'The body is not valid UTF-8.');
  }
  return parseInput(schema, parseJsonText(text));
}

/**
 * JSON text as a value, refused as invalid_json when it does not parse or when a string or a member name
 * in it is not well-formed Unicode: a lone surrogate escape ("\ud800") is valid JSON syntax but not text
 * (I-JSON, RFC 7493, forbids it), and PostgreSQL refuses it in a jsonb column, which made a 500 of it.
 */
export function parseJsonText(text: string): unknown {
  let wellFormed = true;
  let nul = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (name, member: unknown) => {
      if (!isWellFormedText(name) || (typeof member === 'string' && !isWellFormedText(member))) wellFormed = false;
      if (name.includes('\u0000') || (typeof member === 'string' && member.includes('\u0000'))) nul = true;
      return member;
    });
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.');
  }
  if (!wellFormed) throw new AppError('invalid_json', 'The body holds a lone surrogate (an escape from \\ud800 to \\udfff without its pair): send text as valid Unicode.');
  // Valid JSON but no valid field: PostgreSQL text cannot hold NUL. Refused here for every route, not as a failed statement later.
  if (nul) throw new AppError('validation_failed', 'A field holds a NUL character (\\u0000), which no field accepts.');
  return value;
}

/** The request body as bytes, refused with body_too_large past `maxBytes` (declared or actually sent) without reading further. */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<Buffer<ArrayBuffer>> {
  const tooLarge = () => new AppError('body_too_large', `The body must be at most ${maxBytes} bytes.`);
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler so that an AppError becomes its 4xx answer and
 * anything else a logged 500 that reveals nothing.
 */
export function jsonRoute<P = Record<string, string>>(
  handler: (request: Request, context: RouteContext<P>) => Promise<Response>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (isAppError(error)) return jsonError(error);
      log.error('unhandled error in route', { method: request.method, path: new URL(request.url).pathname, ...describeError(error) });
      return jsonError(new AppError('internal_error', 'Something went wrong on our side. Please try again.'));
    }
  };
}

/**
 * A handler for the methods a route does not serve, so that they too answer
 * with the JSON error shape rather than the framework's bare 405.
 */
export function methodNotAllowed(allowed: string[]) {
  return async (): Promise<Response> =>
    jsonError(new AppError('method_not_allowed', `Use ${allowed.join(' or ')} on this endpoint.`), { Allow: allowed.join(', ') });
}
