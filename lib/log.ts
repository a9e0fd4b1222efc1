import { env } from '@/lib/env';

/**
 * Structured one-line JSON logs. Callers pass ids and codes, never secrets:
 * no passwords, tokens, keys or card data go into `fields`.
 */
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  let threshold: Level = 'info';
  try {
    threshold = env().LOG_LEVEL;
  } catch {
    // Logging must work even while the environment is being reported as wrong.
  }
  if (levels[level] < levels[threshold]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};

/** The parts of an unknown error that are safe to log. */
export function describeError(error: unknown): { errorName: string; errorMessage: string } {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message.slice(0, 500) };
  return { errorName: typeof error, errorMessage: String(error).slice(0, 500) };
}
