import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { AcquirerRequestRefused, authenticateAcquirerRequest, type AcquirerCaller } from '@/lib/acquirers/authenticate-acquirer-request';
import { recordAcquirerApiCall } from '@/lib/acquirers/record-acquirer-api-call';
import { AppError, isAppError } from '@/lib/errors';
import { jsonError, jsonRoute, parseJsonText, readLimitedBody } from '@/lib/http/json-route';
import { requestOriginFrom, type RequestOrigin } from '@/lib/http/request-origin';
import { describeError, log } from '@/lib/log';
import { apiAuthFailureLimit, assertApiAuthAllowed, countApiAuthFailure } from '@/lib/security/api-auth-limit';
import { parseInput } from '@/lib/validation';

/** Bodies of the acquirer admin API are refused past this, before anything else. */
export const MAX_ACQUIRER_BODY_BYTES = 64 * 1024;

type RouteContext<P> = { params: Promise<P> };

/** One authenticated call of the acquirer admin API, as the handler gets it. */
export interface AcquirerApiCall {
  acquirer: AcquirerCaller;
  /** The exact body that was signed, as text ('' for none). */
  body: string;
  contentType: string | null;
  url: URL;
  origin: RequestOrigin;
}

/**
 * Wraps an acquirer admin API route: reads the raw body once (at most 64 KiB, else 413 body_too_large),
 * authenticates the signed request (authenticateAcquirerRequest; a refusal is 401 with its code) and hands
 * the handler the calling acquirer and the very body that was signed. Every call an acquirer can be named
 * for — answered, failed or refused after its certificate proved who it is — is audited. A client address
 * whose signed requests were refused API_AUTH_FAILURES_PER_IP times in the window gets 429 rate_limited (with
 * Retry-After) for every request until the window ends, good signature and credential or not.
 */
export function withAcquirerSignature<P = Record<string, string>>(handler: (call: AcquirerApiCall, context: RouteContext<P>) => Promise<Response>) {
  return jsonRoute<P>(async (request, context) => {
    const failures = apiAuthFailureLimit('acquirer-api', request.headers);
    await assertApiAuthAllowed(failures);
    const bytes = await readLimitedBody(request, MAX_ACQUIRER_BODY_BYTES);
    const origin = requestOriginFrom(request.headers);
    const audit = async (caller: { acquirerId: string; acquirerCode: string; credentialId: string }, status: number, code: string | null) => {
      try {
        await recordAcquirerApiCall({ ...caller, method: request.method, url: request.url, status, code, origin });
      } catch (error) {
        // The change itself (if any) committed with its own audit event; the call record must not turn its answer into a 500.
        log.error('acquirer API call could not be audited', { method: request.method, status, ...describeError(error) });
      }
    };

    let acquirer: AcquirerCaller;
    try {
      acquirer = await authenticateAcquirerRequest({ method: request.method, url: request.url, body: bytes, headers: request.headers });
    } catch (error) {
      if (!(error instanceof AcquirerRequestRefused)) throw error;
      // A request without a signature or a credential guessed nothing; every other refusal presented something wrong.
      if (error.code !== 'missing_signature' && error.code !== 'missing_credential') await countApiAuthFailure(failures);
      if (error.caller) await audit(error.caller, 401, error.code);
      return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="ServerPOS acquirer API"' } });
    }

    let response: Response;
    try {
      let body: string;
      try {
        body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new AppError('invalid_json', 'The body is not valid UTF-8.');
      }
      response = await handler({ acquirer, body, contentType: request.headers.get('content-type'), url: new URL(request.url), origin }, context);
    } catch (error) {
      if (!isAppError(error)) {
        await audit(acquirer, 500, 'internal_error');
        throw error;
      }
      response = jsonError(error);
      await audit(acquirer, response.status, error.code);
      return response;
    }
    await audit(acquirer, response.status, null);
    return response;
  });
}

/** The signed body as JSON, validated: 415 unless sent as JSON, 400 invalid_json or validation_failed. */
export function parseAcquirerJson<S extends z.ZodType>(call: AcquirerApiCall, schema: S): z.infer<S> {
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(call.contentType ?? '')) throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  return parseInput(schema, parseJsonText(call.body));
}
