/**
 * E-mails ServerPOS sends, rendered to text and HTML. Every value that came
 * from a user is escaped in the HTML part.
 */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function layout(title: string, paragraphs: string[], action?: { label: string; url: string }): string {
  const body = paragraphs.map((paragraph) => `<p style="margin:0 0 16px">${escapeHtml(paragraph)}</p>`).join('');
  const button = action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(action.url)}" style="background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>`
    : '';
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;background:#f8fafc;padding:24px"><div style="max-width:560px;margin:auto;background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:24px"><h1 style="font-size:18px;margin:0 0 16px">${escapeHtml(title)}</h1>${body}${button}<p style="color:#64748b;font-size:12px;margin-top:32px">ServerPOS — hosted payment POS</p></div></body></html>`;
}

export function verifyEmailMessage(input: { name: string; storeName: string; verifyUrl: string; expiresInHours: number }): RenderedEmail {
  const lines = [
    `Hello ${input.name},`,
    `Thank you for signing up "${input.storeName}" with ServerPOS. Confirm your e-mail address to activate your account.`,
    `The link works once and expires in ${input.expiresInHours} hours. If you did not sign up, ignore this e-mail.`,
  ];
  return {
    subject: 'Confirm your e-mail address for ServerPOS',
    text: `${lines.join('\n\n')}\n\nConfirm: ${input.verifyUrl}\n`,
    html: layout('Confirm your e-mail address', lines, { label: 'Confirm e-mail address', url: input.verifyUrl }),
  };
}

export function accountExistsMessage(input: { loginUrl: string }): RenderedEmail {
  const lines = [
    'Someone tried to sign up for ServerPOS with this e-mail address, which already has an account.',
    'If it was you, sign in instead. If it was not, you can ignore this e-mail: nothing has changed.',
  ];
  return {
    subject: 'You already have a ServerPOS account',
    text: `${lines.join('\n\n')}\n\nSign in: ${input.loginUrl}\n`,
    html: layout('You already have an account', lines, { label: 'Sign in', url: input.loginUrl }),
  };
}

export function accountLockedMessage(input: { lockedMinutes: number }): RenderedEmail {
  const lines = [
    `Your ServerPOS account was locked for ${input.lockedMinutes} minutes after too many failed sign-in attempts.`,
    'If this was not you, someone may be guessing your password: change it after the lock ends.',
  ];
  return {
    subject: 'Your ServerPOS account was locked',
    text: lines.join('\n\n') + '\n',
    html: layout('Account locked', lines),
  };
}

export function certificateExpiringMessage(input: {
  storeName: string;
  posName: string;
  acquirerName: string;
  acquirerCode: string;
  usage: 'SIGNATURE' | 'KEY_EXCHANGE';
  serialNumber: string;
  notAfter: Date;
  thresholdDays: number;
  certificatesUrl: string;
}): RenderedEmail {
  const within = `${input.thresholdDays} day${input.thresholdDays === 1 ? '' : 's'}`;
  const validUntil = `${input.notAfter.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const lines = [
    `A certificate of "${input.storeName}" expires within ${within}. Renew it before then: once it expires, the POS can no longer take payments through ${input.acquirerName} with it.`,
    `POS: ${input.posName}`,
    `Acquirer: ${input.acquirerName} (${input.acquirerCode})`,
    `Usage: ${input.usage === 'SIGNATURE' ? 'signature' : 'key exchange'}`,
    `Serial number: ${input.serialNumber}`,
    `Valid until: ${validUntil}`,
  ];
  return {
    subject: `Certificate expires within ${within}: ${input.posName} · ${input.acquirerName}`,
    text: `${lines.join('\n\n')}\n\nRenew: ${input.certificatesUrl}\n`,
    html: layout('A certificate expires soon', lines, { label: 'Open certificates', url: input.certificatesUrl }),
  };
}
