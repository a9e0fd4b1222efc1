import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Mailbox } from './mailbox';
import { renderInbox, renderMessage, renderMessageNotFound } from './pages';

export interface HttpOptions {
  mailbox: Mailbox;
  /** Shown on the empty inbox so a person knows where to send mail. */
  smtpUrl: string;
  /** Where handler failures are reported; the client gets a 500 and the server keeps running. */
  reportError: (message: string) => void;
}

type ErrorCode = 'bad_request' | 'not_found' | 'method_not_allowed' | 'internal_error';

const statusByCode = {
  bad_request: 400,
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
} as const satisfies Record<ErrorCode, number>;

type Handler = (request: RouteRequest, response: ServerResponse) => void;

interface RouteRequest {
  url: URL;
  /** The path segment captured by the route, when it has one. */
  param: string;
}

interface Route {
  pattern: RegExp;
  methods: Partial<Record<'GET' | 'DELETE', Handler>>;
}

/**
 * The inbox over HTTP: a JSON API for tests and HTML pages for people.
 * Errors are `{ error: { code, message } }` like the app's.
 */
export function createHttpServer(options: HttpOptions): Server {
  const { mailbox } = options;
  const routes: Route[] = [
    {
      pattern: /^\/api\/messages$/,
      methods: {
        GET: (request, response) => {
          const to = request.url.searchParams.get('to');
          sendJson(response, 200, { messages: mailbox.list(to ? { to } : undefined) });
        },
        DELETE: (_request, response) => {
          mailbox.clear();
          response.writeHead(204, { 'Cache-Control': 'no-store' }).end();
        },
      },
    },
    {
      pattern: /^\/api\/messages\/([^/]+)$/,
      methods: {
        GET: (request, response) => {
          const message = mailbox.get(request.param);
          if (!message) return sendError(response, 'not_found', 'No message with this id.');
          sendJson(response, 200, message);
        },
      },
    },
    {
      pattern: /^\/$/,
      methods: { GET: (_request, response) => sendHtml(response, 200, renderInbox(mailbox.list(), options.smtpUrl)) },
    },
    {
      pattern: /^\/messages\/([^/]+)$/,
      methods: {
        GET: (request, response) => {
          const message = mailbox.get(request.param);
          if (!message) return sendHtml(response, 404, renderMessageNotFound());
          sendHtml(response, 200, renderMessage(message));
        },
      },
    },
  ];

  return createServer((request, response) => {
    try {
      route(routes, request, response);
    } catch (error) {
      options.reportError(`HTTP ${request.method} ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendError(response, 'internal_error', 'The mail server failed to answer.');
      else response.destroy();
    }
  });
}

function route(routes: Route[], request: IncomingMessage, response: ServerResponse): void {
  const target = request.url ?? '';
  let url: URL | undefined;
  // Origin-form only ("/path?query"): "*" and absolute URLs name no page here.
  if (target.startsWith('/')) {
    try {
      // Prefixing instead of resolving against a base keeps "//host/path" a path, not a host.
      url = new URL(`http://mail.localhost${target}`);
    } catch {
      url = undefined;
    }
  }
  if (!url) return sendError(response, 'bad_request', 'The request target is not a valid path.');
  for (const { pattern, methods } of routes) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    // HEAD is GET without a body; node:http leaves the body out by itself.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const handler = method === 'GET' || method === 'DELETE' ? methods[method] : undefined;
    if (!handler) {
      const allowed = Object.keys(methods).flatMap((name) => (name === 'GET' ? ['GET', 'HEAD'] : [name]));
      response.setHeader('Allow', allowed.join(', '));
      return sendError(response, 'method_not_allowed', `${request.method} is not allowed here; use ${allowed.join(', ')}.`);
    }
    return handler({ url, param: match[1] ?? '' }, response);
  }
  sendError(response, 'not_found', `Nothing at ${url.pathname}.`);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, code: ErrorCode, message: string): void {
  sendJson(response, statusByCode[code], { error: { code, message } });
}

/**
 * The policy allows no scripts at all and only inline styles and embedded
 * images, which the sandboxed HTML part inherits through srcdoc; remote images
 * in a message (tracking pixels) do not load.
 */
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  response.end(html);
}
