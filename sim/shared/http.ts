/**
 * The simulators' HTTP plumbing on node:http: routes, bodies with a size
 * limit, and the same `{ error: { code, message } }` shape as ServerPOS.
 * A handler throws SimHttpError for a 4xx; anything else is a logged 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sameString } from '@/lib/set';

export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SimRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  /** The body as text (read lazily, at most `maxBodyBytes`). */
  text(): Promise<string>;
  json(): Promise<unknown>;
  raw: IncomingMessage;
}

export type SimReply = { status?: number; json?: unknown; text?: string; contentType?: string } | 'handled';
export type SimHandler = (request: SimRequest, response: ServerResponse) => Promise<SimReply>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: SimHandler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` may hold `:name` segments. */
  on(method: string, path: string, handler: SimHandler): this {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([a-zA-Z]+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  async dispatch(request: IncomingMessage, response: ServerResponse, options: { maxBodyBytes: number; onError: (error: unknown) => void }): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const candidates = this.routes.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((entry) => entry.match);
    try {
      if (candidates.length === 0) throw new SimHttpError(404, 'not_found', 'No such endpoint.');
      const found = candidates.find((entry) => entry.route.method === request.method);
      if (!found) throw new SimHttpError(405, 'method_not_allowed', `Use ${candidates.map((entry) => entry.route.method).join(' or ')}.`);
      const params: Record<string, string> = {};
      found.route.keys.forEach((key, index) => {
        params[key] = decodeURIComponent(found.match![index + 1]!);
      });
      let body: Promise<string> | undefined;
      const text = () => (body ??= readBody(request, options.maxBodyBytes));
      const simRequest: SimRequest = {
        method: request.method ?? 'GET',
        url,
        params,
        headers: request.headers,
        text,
        json: async () => {
          try {
            return JSON.parse(await text()) as unknown;
          } catch (error) {
            if (error instanceof SimHttpError) throw error;
            throw new SimHttpError(400, 'invalid_json', 'The body is not valid JSON.');
          }
        },
        raw: request,
      };
      const reply = await found.route.handler(simRequest, response);
      if (reply === 'handled') return;
      send(response, reply.status ?? 200, reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ''), reply.json !== undefined ? 'application/json' : (reply.contentType ?? 'text/plain; charset=utf-8'));
    } catch (error) {
      if (response.headersSent || response.destroyed) return;
      if (error instanceof SimHttpError) {
        send(response, error.status, JSON.stringify({ error: { code: error.code, message: error.message } }), 'application/json');
        return;
      }
      options.onError(error);
      send(response, 500, JSON.stringify({ error: { code: 'internal_error', message: 'The simulator failed; see its log.' } }), 'application/json');
    }
  }
}

function send(response: ServerResponse, status: number, body: string, contentType: string) {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  response.end(body);
}

async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new SimHttpError(413, 'body_too_large', `The body must be at most ${maxBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new SimHttpError(413, 'body_too_large', `The body must be at most ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new SimHttpError(400, 'invalid_encoding', 'The body is not UTF-8.');
  }
}

/** Starts a router on 127.0.0.1:`port` (0 picks one). */
export async function listen(router: Router, port: number, options: { maxBodyBytes?: number; onError: (error: unknown) => void }): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    void router.dispatch(request, response, { maxBodyBytes: options.maxBodyBytes ?? 256 * 1024, onError: options.onError });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Requires `Authorization: Bearer <secret>` (the sandbox partner credential). */
export function requireBearer(request: SimRequest, secret: string): void {
  const header = request.headers.authorization ?? '';
  const expected = `Bearer ${secret}`;
  if (header.length !== expected.length || !sameString(header, expected)) {
    throw new SimHttpError(401, 'unauthenticated', 'Present the partner credential as a Bearer token.');
  }
}

/** Structured log line of a simulator (no secrets, no card data). */
export function simLog(name: string, message: string, fields: Record<string, unknown> = {}) {
  console.log(JSON.stringify({ time: new Date().toISOString(), sim: name, message, ...fields }));
}
