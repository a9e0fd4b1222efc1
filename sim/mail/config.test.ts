import { describe, expect, it } from 'vitest';
import { readMailServerConfig } from './config';

describe('readMailServerConfig', () => {
  it('defaults to 1025 and 8025 when the variables are unset or empty', () => {
    expect(readMailServerConfig({})).toEqual({ ok: true, config: { smtpPort: 1025, httpPort: 8025 } });
    expect(readMailServerConfig({ MAIL_SMTP_PORT: '', MAIL_HTTP_PORT: ' ' })).toEqual({ ok: true, config: { smtpPort: 1025, httpPort: 8025 } });
  });

  it('takes whole numbers from 0 to 65535', () => {
    expect(readMailServerConfig({ MAIL_SMTP_PORT: '0', MAIL_HTTP_PORT: '65535' })).toEqual({ ok: true, config: { smtpPort: 0, httpPort: 65535 } });
    expect(readMailServerConfig({ MAIL_SMTP_PORT: '2525', MAIL_HTTP_PORT: '8125' })).toEqual({ ok: true, config: { smtpPort: 2525, httpPort: 8125 } });
  });

  it.each(['65536', '-1', '1e3', '0x1F', '25.5', 'smtp', '99999999'])('refuses MAIL_SMTP_PORT=%j and names the variable', (value) => {
    const result = readMailServerConfig({ MAIL_SMTP_PORT: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^MAIL_SMTP_PORT must be a port number/);
  });

  it('names MAIL_HTTP_PORT when that one is wrong', () => {
    const result = readMailServerConfig({ MAIL_SMTP_PORT: '1025', MAIL_HTTP_PORT: 'eighty' });
    expect(result).toEqual({ ok: false, error: 'MAIL_HTTP_PORT must be a port number from 0 to 65535, got "eighty"' });
  });
});
