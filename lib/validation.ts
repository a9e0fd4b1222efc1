import { z } from 'zod';
import { AppError } from '@/lib/errors';

/**
 * Parses untrusted input with a zod schema shared by forms and handlers, and
 * turns a failure into one AppError listing every field that is wrong.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const first = fields[0]!;
  throw new AppError(
    'validation_failed',
    fields.length === 1 ? `${first.path}: ${first.message}` : `${fields.length} fields are invalid`,
    fields,
  );
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False for a string holding a lone surrogate: not text, and not writable as UTF-8 (String.prototype.isWellFormed, ES2024). */
export function isWellFormedText(value: string): boolean {
  return !loneSurrogate.test(value);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical text form; ids from URLs and cookies are checked before they reach a query. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/**
 * Why a URL ServerPOS sends people or requests to is unusable, or null: it must be absolute http(s), and
 * carry no credentials (a URL ends up in browsers' history, logs and screens).
 */
export function httpUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Use an absolute URL starting with https:// or http://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Use an absolute URL starting with https:// or http://.';
  if (url.username || url.password) return 'Leave user names and passwords out of the URL.';
  return null;
}

/** The first day a date filter may name: no payment, event or statistic is older, and a database refuses year 0. */
export const EARLIEST_DAY = '2000-01-01';

/**
 * A calendar day in UTC (the consoles show UTC) as a date field sends it, YYYY-MM-DD, from EARLIEST_DAY on.
 * One schema for every date filter: a real date only (no 2026-02-30), and no year a database cannot store.
 */
export const utcDaySchema = (which: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Give ${which} as a date, e.g. 2026-11-25.`)
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), `Give ${which} as a real date, e.g. 2026-11-25.`)
    .refine((value) => value >= EARLIEST_DAY, `Give ${which} as a date from ${EARLIEST_DAY} on.`);
