import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError, type ErrorBody } from '@/lib/errors';
import { DEFAULT_MAX_BODY_BYTES, jsonRoute, methodNotAllowed, parseJsonText, readJsonBody } from '@/lib/http/json-route';

const schema = z.object({ name: z.string().min(1, 'Enter a name.'), quantity: z.number().int().positive() });

const url = 'http://localhost/api/v1/things';

function jsonRequest(body: BodyInit, headers: Record<string, string> = { 'content-type': 'application/json' }): Request {
  return new Request(url, { method: 'POST', headers, body });
}

/** A body that arrives in chunks with no Content-Length, as a chunked upload does. */
function streamedRequest(chunks: Uint8Array[]): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
}

/** The route under test: reads a body with a 1 KiB limit and echoes it. */
const route = jsonRoute(async (request) => {
  const input = await readJsonBody(request, schema, 1024);
  return Response.json({ received: input });
});
const context = { params: Promise.resolve({}) };

async function call(request: Request) {
  const response = await route(request, context);
  return { status: response.status, body: (await response.json()) as ErrorBody & { received?: unknown } };
}

let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  consoleError.mockRestore();
});

describe('readJsonBody through jsonRoute', () => {
  it('answers with the parsed body', async () => {
    const { status, body } = await call(jsonRequest(JSON.stringify({ name: 'Tea', quantity: 2 })));
    expect(status).toBe(200);
    expect(body.received).toEqual({ name: 'Tea', quantity: 2 });
  });

  it('accepts application/json with a charset and +json media types', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const { status } = await call(jsonRequest(JSON.stringify({ name: 'Tea', quantity: 2 }), { 'content-type': type }));
      expect(status, type).toBe(200);
    }
  });

  it('refuses another content type with 415', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/jsonp' }, {}] as Record<string, string>[]) {
      // Bytes, not a string: a string body would get a text/plain type of its own.
      const { status, body } = await call(new Request(url, { method: 'POST', headers, body: new TextEncoder().encode('{"name":"Tea","quantity":2}') }));
      expect(status, JSON.stringify(headers)).toBe(415);
      expect(body.error.code).toBe('unsupported_media_type');
    }
  });

  it('refuses a declared Content-Length over the limit with 413 before reading', async () => {
    const request = jsonRequest('{}', { 'content-type': 'application/json', 'content-length': '1025' });
    const { status, body } = await call(request);
    expect(status).toBe(413);
    expect(body.error.code).toBe('body_too_large');
    expect(request.bodyUsed).toBe(false);
  });

  it('refuses a streamed body that grows over the limit with 413', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(600));
    const { status, body } = await call(streamedRequest([chunk, chunk]));
    expect(status).toBe(413);
    expect(body.error.code).toBe('body_too_large');
  });

  it('accepts a streamed body within the limit', async () => {
    const encoder = new TextEncoder();
    const { status, body } = await call(streamedRequest([encoder.encode('{"name":"Te'), encoder.encode('a","quantity":1}')]));
    expect(status).toBe(200);
    expect(body.received).toEqual({ name: 'Tea', quantity: 1 });
  });

  it('answers 400 invalid_json for malformed JSON and an empty body', async () => {
    for (const text of ['{"name":', '', "{'name':'Tea'}"]) {
      const { status, body } = await call(jsonRequest(text));
      expect(status, text).toBe(400);
      expect(body.error.code).toBe('invalid_json');
    }
  });

  it('answers 400 invalid_json for bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"n":"\xff\xfe"}
    const { status, body } = await call(jsonRequest(bytes));
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_json', message: 'The body is not valid UTF-8.' });
  });

  it('answers 400 validation_failed with the wrong fields', async () => {
    const { status, body } = await call(jsonRequest(JSON.stringify({ name: '', quantity: -1 })));
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.map((field) => field.path)).toEqual(['name', 'quantity']);
    expect(body.error.fields?.[0]?.message).toBe('Enter a name.');
  });

  it('uses a 64 KiB limit by default', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(65_536);
    const request = jsonRequest(JSON.stringify({ name: 'x'.repeat(DEFAULT_MAX_BODY_BYTES), quantity: 1 }));
    await expect(readJsonBody(request, schema)).rejects.toMatchObject({ code: 'body_too_large' });
  });
});

describe('jsonRoute', () => {
  it('maps an AppError to its status and body', async () => {
    const handler = jsonRoute(async () => {
      throw new AppError('not_found', 'Store not found.');
    });
    const response = await handler(new Request(url), context);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Store not found.' } });
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('turns an unexpected error into a 500 that reveals nothing of it, and logs it', async () => {
    const secret = 'connection to postgres://admin:hunter2@db.internal failed';
    const handler = jsonRoute(async () => {
      throw new Error(secret);
    });
    const response = await handler(new Request(`${url}?q=1`, { method: 'PUT' }), context);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('db.internal');
    // The operator still learns what happened, from the log.
    expect(consoleError).toHaveBeenCalledOnce();
    const line = JSON.parse(String(consoleError.mock.calls[0]?.[0])) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', method: 'PUT', path: '/api/v1/things', errorMessage: secret });
  });

  it('treats a thrown non-Error the same way', async () => {
    const handler = jsonRoute(async () => {
      // What a careless dependency may do.
      throw 'a string';
    });
    const response = await handler(new Request(url), context);
    expect(response.status).toBe(500);
    expect(((await response.json()) as ErrorBody).error.code).toBe('internal_error');
  });

  it('passes the route params through', async () => {
    const handler = jsonRoute<{ storeId: string }>(async (_request, { params }) => Response.json(await params));
    const response = await handler(new Request(url), { params: Promise.resolve({ storeId: 'abc' }) });
    expect(await response.json()).toEqual({ storeId: 'abc' });
  });
});

describe('methodNotAllowed', () => {
  it('answers 405 in the JSON error shape with an Allow header', async () => {
    const response = await methodNotAllowed(['GET', 'POST'])();
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(((await response.json()) as ErrorBody).error.code).toBe('method_not_allowed');
  });
});

describe('parseJsonText', () => {
  it('refuses JSON whose strings or names hold a lone surrogate, which is not text (found by the bad-input fuzz: a 500 from a jsonb column)', () => {
    for (const text of ['{"name":"\\ud800"}', '{"name":"a\\udfffb"}', '{"\\ud83d":1}', '["ok","\\ud83d"]']) {
      expect(() => parseJsonText(text)).toThrow(expect.objectContaining({ code: 'invalid_json' }));
    }
    expect(parseJsonText('{"name":"\\ud83d\\ude00 Tea"}')).toEqual({ name: '😀 Tea' });
    expect(() => parseJsonText('{"name":')).toThrow(expect.objectContaining({ code: 'invalid_json', message: 'The body is not valid JSON.' }));
  });

  it('refuses a NUL character in any string or name, which PostgreSQL text cannot hold (found by the bad-input fuzz on PostgreSQL: a 500 from sign-up)', () => {
    for (const text of ['{"contracts":[{"acquirerCode":"a\\u0000b"}]}', '{"a\\u0000":1}', '["\\u0000"]']) {
      expect(() => parseJsonText(text)).toThrow(expect.objectContaining({ code: 'validation_failed', message: expect.stringContaining('NUL') }));
    }
    expect(parseJsonText('{"name":"a\\\\u0000"}')).toEqual({ name: 'a\\u0000' });
  });
});
