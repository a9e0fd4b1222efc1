/** Request header that proxy.ts sets to the path (and query) a console page was asked for. */
export const REQUEST_PATH_HEADER = 'x-serverpos-request-path';
