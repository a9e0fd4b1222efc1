type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Route files by path pattern, as Next.js routes them (`:name` is one path segment). */
export type RouteTable = [pattern: string, module: Record<string, unknown>][];

/**
 * A `fetch` that hands each request whose path `handles` accepts to the real route handlers of `routes` in
 * this process, instead of sending it over a socket, and every other request to the network. Everything
 * behind the handler is the real thing; only the HTTP hop to the app is skipped. A handled path no route
 * matches answers 404 like Next.js, a route without the method 405.
 */
export function routeTableFetch(routes: RouteTable, handles: (pathname: string) => boolean = () => true): typeof fetch {
  const compiled = routes.map(([pattern, module]) => {
    const keys: string[] = [];
    const regex = new RegExp(`^${pattern.replace(/:([a-zA-Z]+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`);
    return { regex, keys, module };
  });
  return async (input, init) => {
    const request = new Request(input, init);
    const { pathname } = new URL(request.url);
    if (!handles(pathname)) return fetch(request);
    for (const route of compiled) {
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((key, index) => [key, decodeURIComponent(match[index + 1]!)]));
      const handler = route.module[request.method] as RouteHandler | undefined;
      if (!handler) return new Response(null, { status: 405 });
      return handler(request, { params: Promise.resolve(params) });
    }
    return Response.json({ error: { code: 'not_found', message: 'No such endpoint.' } }, { status: 404 });
  };
}
