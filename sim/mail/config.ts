/** What `main.ts` reads from the environment. */
export interface MailServerConfig {
  smtpPort: number;
  httpPort: number;
}

export type ConfigResult = { ok: true; config: MailServerConfig } | { ok: false; error: string };

/**
 * Reads MAIL_SMTP_PORT (default 1025) and MAIL_HTTP_PORT (default 8025). An
 * unset or empty variable takes the default; anything but a whole number from
 * 0 to 65535 is an error that names the variable.
 */
export function readMailServerConfig(environment: Record<string, string | undefined>): ConfigResult {
  const smtpPort = readPort(environment, 'MAIL_SMTP_PORT', 1025);
  if (typeof smtpPort === 'string') return { ok: false, error: smtpPort };
  const httpPort = readPort(environment, 'MAIL_HTTP_PORT', 8025);
  if (typeof httpPort === 'string') return { ok: false, error: httpPort };
  return { ok: true, config: { smtpPort, httpPort } };
}

/** The port, or the error message when the variable is not a valid port. */
function readPort(environment: Record<string, string | undefined>, name: string, fallback: number): number | string {
  const raw = environment[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  // Digits only: Number() would also accept "0x1F", "1e3" and " ".
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) return `${name} must be a port number from 0 to 65535, got ${JSON.stringify(environment[name])}`;
  return port;
}
