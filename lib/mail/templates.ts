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

/** An acquirer verified the store's application; carries the one-time certificate acquisition number, which nothing else keeps in clear. */
export function contractVerifiedMessage(input: { storeName: string; acquirerName: string; merchantNumber: string; acquisitionNumber: string | null; certificatesUrl: string }): RenderedEmail {
  // Without a number (the acquirer confirmed through its admin API), the first registration fetches one from the acquirer.
  const lines = input.acquisitionNumber
    ? [
        `${input.acquirerName} has verified "${input.storeName}" (merchant number ${input.merchantNumber}) for ServerPOS.`,
        `Your one-time certificate acquisition number for ${input.acquirerName} is: ${input.acquisitionNumber}`,
        `Enter it when you register your POS for this acquirer under Certificates in the ServerPOS console. It can be used once; keep it to yourself until then.`,
      ]
    : [
        `${input.acquirerName} has verified "${input.storeName}" (merchant number ${input.merchantNumber}) for ServerPOS.`,
        `Register your POS for this acquirer under Certificates in the ServerPOS console; no acquisition number is needed.`,
      ];
  return {
    subject: input.acquisitionNumber ? `${input.acquirerName} verified your store: your certificate acquisition number` : `${input.acquirerName} verified your store`,
    text: `${lines.join('\n\n')}\n\nCertificates: ${input.certificatesUrl}\n`,
    html: layout(`${input.acquirerName} verified your store`, lines, { label: 'Open certificates', url: input.certificatesUrl }),
  };
}

/** An acquirer confirmed the store's withdrawal; when it was the last contract, the store is closed. */
export function withdrawalConfirmedMessage(input: { storeName: string; acquirerName: string; merchantNumber: string; storeClosed: boolean; consoleUrl: string }): RenderedEmail {
  const lines = [
    `${input.acquirerName} has confirmed that "${input.storeName}" (merchant number ${input.merchantNumber}) has withdrawn. ServerPOS no longer processes payments for you through ${input.acquirerName}; the certificates for it were revoked and their private keys destroyed.`,
    input.storeClosed
      ? 'This was your last acquirer: your store is now closed in ServerPOS. You can still sign in to read your payment history, certificates and audit log; nothing can be changed any more.'
      : 'Your other acquirers are not affected.',
  ];
  return {
    subject: input.storeClosed ? 'Your store has withdrawn from ServerPOS' : `Withdrawal from ${input.acquirerName} confirmed`,
    text: `${lines.join('\n\n')}\n\nConsole: ${input.consoleUrl}\n`,
    html: layout(input.storeClosed ? 'Your store has withdrawn' : 'Withdrawal confirmed', lines, { label: 'Open the console', url: input.consoleUrl }),
  };
}

/** The store's application to an acquirer was not accepted (the acquirer's answer, or one ServerPOS could not forward). */
export function contractRejectedMessage(input: { storeName: string; acquirerName: string; merchantNumber: string; reason: string; contractsUrl: string }): RenderedEmail {
  const lines = [
    `The application of "${input.storeName}" to ${input.acquirerName} with merchant number ${input.merchantNumber} could not be accepted.`,
    `Reason: ${input.reason}`,
    `Check the merchant number and the store name on your contract with ${input.acquirerName}; you can apply again from the Acquirers page of the console.`,
  ];
  return {
    subject: `Your application to ${input.acquirerName} could not be accepted`,
    text: `${lines.join('\n\n')}\n\nAcquirers: ${input.contractsUrl}\n`,
    html: layout(`Application to ${input.acquirerName} not accepted`, lines, { label: 'Open acquirers', url: input.contractsUrl }),
  };
}

/** Someone else tried to enrol a merchant number this store holds; they were told nothing about this store. */
export function merchantNumberClaimedMessage(input: { storeName: string; acquirerName: string; merchantNumber: string }): RenderedEmail {
  const lines = [
    `Someone applied to ServerPOS with the merchant number ${input.merchantNumber} at ${input.acquirerName}, which is enrolled for "${input.storeName}".`,
    'The application was not accepted and nothing about your store was shown. If you did not expect this, tell your acquirer: someone may know your merchant number.',
  ];
  return {
    subject: `Someone tried to enrol your merchant number at ${input.acquirerName}`,
    text: lines.join('\n\n') + '\n',
    html: layout('An application used your merchant number', lines),
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

export function passwordResetMessage(input: { name: string; storeName: string; resetUrl: string; expiresInMinutes: number }): RenderedEmail {
  const lines = [
    `Hello ${input.name},`,
    `Someone asked to reset the ServerPOS password for "${input.storeName}". To choose a new one, open the link and enter the merchant number and recovery PIN of one of your acquirer contracts.`,
    `The link works once and expires in ${input.expiresInMinutes} minutes. If you did not ask for it, ignore this e-mail: your password stays as it is.`,
  ];
  return {
    subject: 'Reset your ServerPOS password',
    text: `${lines.join('\n\n')}\n\nReset your password: ${input.resetUrl}\n`,
    html: layout('Reset your password', lines, { label: 'Choose a new password', url: input.resetUrl }),
  };
}

/** Recovery needs a PIN registered for one of the store's contracts; without one only the operator can help. */
export function passwordResetNeedsOperatorMessage(input: { name: string; storeName: string }): RenderedEmail {
  const lines = [
    `Hello ${input.name},`,
    `Someone asked to reset the ServerPOS password for "${input.storeName}". Your store has no recovery PIN registered with any of its acquirers, so the password cannot be reset online.`,
    'Contact the ServerPOS operator to confirm who you are and regain access. If you did not ask for this, ignore this e-mail: your password stays as it is.',
  ];
  return {
    subject: 'Resetting your ServerPOS password needs the operator',
    text: lines.join('\n\n') + '\n',
    html: layout('Password reset needs the operator', lines),
  };
}

export function passwordChangedMessage(input: { name: string; storeName: string; loginUrl: string }): RenderedEmail {
  const lines = [
    `Hello ${input.name},`,
    `The ServerPOS password for "${input.storeName}" was just changed with a reset link, and everyone signed in with the old password was signed out.`,
    'If this was not you, suspend processing at once from the Security page of the console (or ask the operator to) and contact your acquirers: someone knows your recovery PIN.',
  ];
  return {
    subject: 'Your ServerPOS password was changed',
    text: `${lines.join('\n\n')}\n\nSign in: ${input.loginUrl}\n`,
    html: layout('Your password was changed', lines, { label: 'Sign in', url: input.loginUrl }),
  };
}

export function recoveryPinLockedMessage(input: { storeName: string; acquirerName: string; lockedMinutes: number }): RenderedEmail {
  const lines = [
    `The recovery PIN of "${input.storeName}" for ${input.acquirerName} was locked for ${input.lockedMinutes} minutes after too many wrong PINs in a password reset.`,
    'If this was not you, someone has a password-reset link for your account and is guessing your PIN: change your recovery PINs and your password.',
  ];
  return {
    subject: 'A recovery PIN of your ServerPOS store was locked',
    text: lines.join('\n\n') + '\n',
    html: layout('Recovery PIN locked', lines),
  };
}

export function storeSuspendedMessage(input: { storeName: string; suspendedBy: string; reason: string; canResumeInConsole: boolean; securityUrl: string }): RenderedEmail {
  const lines = [
    `Processing for "${input.storeName}" was suspended by ${input.suspendedBy}. No payment is authorised through any acquirer until it is resumed.`,
    `Reason: ${input.reason}`,
    input.canResumeInConsole
      ? 'Everyone signed in to the store console was signed out. To resume processing, sign in again and open the Security page.'
      : `Only ${input.suspendedBy} can lift this suspension. Contact them if you have questions.`,
  ];
  return {
    subject: `Processing for ${input.storeName} is suspended`,
    text: `${lines.join('\n\n')}\n\nSecurity: ${input.securityUrl}\n`,
    html: layout('Processing is suspended', lines, { label: 'Open the Security page', url: input.securityUrl }),
  };
}

export function storeResumedMessage(input: { storeName: string; resumedBy: string }): RenderedEmail {
  const lines = [
    `Processing for "${input.storeName}" was resumed by ${input.resumedBy}. Payments are authorised again.`,
    'If you did not expect this, suspend processing again from the Security page of the console and contact the operator.',
  ];
  return {
    subject: `Processing for ${input.storeName} is resumed`,
    text: lines.join('\n\n') + '\n',
    html: layout('Processing is resumed', lines),
  };
}

/** A capture, void or refund completed at the acquirer; the store may turn these off in its settings. No card data beyond the masked number. */
export function settlementCompletedMessage(input: {
  storeName: string;
  kind: 'capture' | 'void' | 'refund';
  /** Already in major units with the currency's decimals, e.g. "12800" (JPY) or "6.40" (USD). */
  amount: string;
  currency: string;
  paymentId: string;
  shopOrderRef: string;
  posName: string;
  card: string | null;
  paymentUrl: string;
  settingsUrl: string;
}): RenderedEmail {
  const what = { capture: 'Capture', void: 'Void', refund: 'Refund' }[input.kind];
  const lines = [
    `${what} completed for "${input.storeName}": ${input.amount} ${input.currency} for order ${input.shopOrderRef}.`,
    `Order reference: ${input.shopOrderRef}`,
    `Amount: ${input.amount} ${input.currency}`,
    `Payment id: ${input.paymentId}`,
    `POS: ${input.posName}`,
    ...(input.card ? [`Card: ${input.card}`] : []),
    `You receive this e-mail for every completed capture, void and refund. To stop them, turn off settlement e-mails in your store settings: ${input.settingsUrl}`,
  ];
  return {
    subject: `${what} completed: ${input.amount} ${input.currency} for order ${input.shopOrderRef}`,
    text: `${lines.join('\n\n')}\n\nPayment: ${input.paymentUrl}\n`,
    html: layout(`${what} completed`, lines, { label: 'Open the payment', url: input.paymentUrl }),
  };
}

/** Another store granted this store the use of one of its POSes, or withdrew it: the affiliate's owners learn of it, with the POS id its shop sells through. */
export function affiliateGrantChangedMessage(input: {
  storeName: string;
  grantorName: string;
  posName: string;
  posId: string;
  change: 'granted' | 'revoked';
  /** The grant's terms in words, one per line (granted only). */
  terms: string[];
  affiliatesUrl: string;
}): RenderedEmail {
  const lines =
    input.change === 'granted'
      ? [
          `"${input.grantorName}" lets "${input.storeName}" sell through its POS "${input.posName}".`,
          ...input.terms,
          `Your shop places orders there with its own POS API key and "viaPosId": "${input.posId}". Such payments are tagged, and both stores see them.`,
        ]
      : [`"${input.grantorName}" has withdrawn the permission for "${input.storeName}" to sell through its POS "${input.posName}". Orders through it are refused from now on; payments already made stand.`];
  const title = input.change === 'granted' ? 'A store lets you use its POS' : 'A store withdrew the use of its POS';
  return {
    subject: input.change === 'granted' ? `${input.grantorName} lets you sell through its POS "${input.posName}"` : `${input.grantorName} withdrew the use of its POS "${input.posName}"`,
    text: `${lines.join('\n\n')}\n\nAffiliates: ${input.affiliatesUrl}\n`,
    html: layout(title, lines, { label: 'Open Affiliates', url: input.affiliatesUrl }),
  };
}
