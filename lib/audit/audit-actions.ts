/**
 * How audit events read to the people of a store: a label per known action, the groups the audit log
 * filters by, and the only `data` fields the store's own log may show. An action without a label shows
 * its code alone; a data field not listed here is never shown, whatever it holds (some events carry ids
 * of other tenants or internal details, e.g. the applicant store of a refused merchant-number claim).
 */

export const auditActionLabels: Record<string, string> = {
  'auth.login': 'Signed in',
  'auth.login_failed': 'Sign-in failed',
  'auth.account_locked': 'Account locked after failed sign-ins',
  'auth.email_verified': 'E-mail address confirmed',
  'auth.password_reset_requested': 'Password reset requested',
  'auth.password_reset_unavailable': 'Password reset requested, but no recovery PIN is set',
  'auth.password_reset_failed': 'Password reset attempt failed',
  'auth.password_reset': 'Password reset',
  'store.signed_up': 'Store signed up',
  'store.sign_up_existing_email': 'Sign-up attempted with this account’s e-mail address',
  'store.profile_updated': 'Store information updated',
  'store.info_changed_by_acquirer': 'Store information changed by an acquirer',
  'store.info_conflict_resolved': 'Store information conflict resolved',
  'store.suspended': 'Store suspended',
  'store.resumed': 'Store resumed',
  'contract.applied': 'Applied to an acquirer',
  'contract.verified': 'Acquirer verified the contract',
  'contract.rejected': 'Acquirer rejected the application',
  'contract.application_not_accepted': 'Application not accepted',
  'contract.rejected_application_released': 'Rejected application released',
  'contract.merchant_number_claim_refused': 'Someone else tried to enrol this store’s merchant number',
  'contract.recovery_pin_set': 'Recovery PIN set',
  'contract.recovery_pin_locked': 'Recovery PIN locked after wrong answers',
  'certificate.issued': 'Certificates issued',
  'certificate.renewed': 'Certificates renewed',
  'certificate.revoked': 'Certificate revoked',
  'certificate.deleted': 'Certificates deleted',
  'certificate.renew_all_started': '“Renew all” started',
  'certificate.renew_all_finished': '“Renew all” finished',
  'certificate.expiry_alert_sent': 'Expiry warning e-mailed',
  'certificate.expired': 'Certificate expired',
  'pos.created': 'POS added',
  'pos.renamed': 'POS renamed',
  'pos.disabled': 'POS disabled',
  'pos.enabled': 'POS enabled',
  'pos.acquirer_added': 'Acquirer added to a POS',
  'pos.acquirer_removed': 'Acquirer removed from a POS',
  'pos.api_key_created': 'POS API key created',
  'pos.api_key_revoked': 'POS API key revoked',
  'pos.api_key_rotated': 'POS API key rotated',
  'order.created': 'Order registered by the shop',
  'affiliate.granted': 'Another store allowed to sell through a POS',
  'affiliate.revoked': 'Another store’s permission to sell through a POS withdrawn',
  'affiliate.grant_received': 'Allowed to sell through another store’s POS',
  'affiliate.grant_revoked': 'Permission to sell through another store’s POS withdrawn',
  'affiliate.order_created': 'Order placed on a POS by an affiliated store',
  'pos.webhook_url_set': 'Webhook URL of a POS set',
  'pos.webhook_url_cleared': 'Webhook URL of a POS cleared',
  'webhook.redelivery_requested': 'Webhook event redelivery requested',
  'store.settlement_emails_changed': 'Settlement e-mails turned on or off',
  'store.checkout_frame_origins_changed': 'Sites allowed to embed the checkout changed',
  'order.expired': 'Order expired unpaid',
  'pos.capture_mode_changed': 'POS capture mode changed',
  'payment.exported': 'Payments exported (CSV)',
  'acquirer.connection_tested': 'Acquirer gateway connection tested',
  'statistics.exported': 'Statistics exported (CSV)',
  'capture_batch.closed': 'Capture batch closed',
  'capture_batch.answered': 'Capture batch answered by the acquirer',
  'capture_batch.failed': 'Capture batch refused by the acquirer',
  'notice.dismissed': 'Notice dismissed',
  'acquirer.created': 'Acquirer onboarded',
  'acquirer.updated': 'Acquirer settings changed',
  'acquirer.bin_range_added': 'BIN range added',
  'acquirer.bin_range_deleted': 'BIN range deleted',
  'acquirer.api_credential_issued': 'Acquirer API credential issued',
  'acquirer.api_credential_rotated': 'Acquirer API credential rotated',
  'acquirer.api_credential_revoked': 'Acquirer API credential revoked',
};

/** The audit log's "Activity" filter: an action prefix each. */
export const auditActionGroups = [
  { prefix: 'auth.', label: 'Sign-in and account' },
  { prefix: 'store.', label: 'Store information and status' },
  { prefix: 'contract.', label: 'Acquirer contracts' },
  { prefix: 'certificate.', label: 'Certificates' },
  { prefix: 'pos.', label: 'POSes and API keys' },
  { prefix: 'order.', label: 'Orders' },
  { prefix: 'affiliate.', label: 'Affiliates' },
  { prefix: 'webhook.', label: 'Webhooks' },
  { prefix: 'capture_batch.', label: 'Capture batches' },
  { prefix: 'notice.', label: 'Notices' },
] as const;

type Format = (value: string | number | boolean | Array<string | number | boolean>) => string;

const plain: Format = (value) => (Array.isArray(value) ? value.join(', ') : String(value));
const yesNo: Format = (value) => (value === true ? 'yes' : value === false ? 'no' : plain(value));

/** The `data` fields a store may see in its own audit log, with their labels. */
const visibleDataFields: Record<string, { label: string; format?: Format }> = {
  acquirerCode: { label: 'Acquirer' },
  merchantNumber: { label: 'Merchant number' },
  code: { label: 'Acquirer’s answer' },
  storeInfoVersion: { label: 'Version' },
  fields: { label: 'Fields' },
  source: { label: 'By', format: (value) => plain(value).toLowerCase() },
  reason: { label: 'Reason' },
  serialNumber: { label: 'Serial' },
  serialNumbers: { label: 'Serials' },
  notAfter: { label: 'Valid until', format: (value) => plain(value).slice(0, 16).replace('T', ' ') + ' UTC' },
  thresholdDays: { label: 'Warning', format: (value) => `${plain(value)} days before` },
  items: { label: 'Items' },
  succeeded: { label: 'Succeeded' },
  failed: { label: 'Failed' },
  failedLoginCount: { label: 'Failed sign-ins in a row' },
  failedAttempts: { label: 'Failed attempts' },
  lockMinutes: { label: 'Locked for', format: (value) => `${plain(value)} minutes` },
  sessionsEnded: { label: 'Sessions ended' },
  replaced: { label: 'Replaced an earlier PIN', format: yesNo },
  previousVersion: { label: 'Previous version' },
  conflictingVersion: { label: 'Conflicting version' },
  posName: { label: 'POS' },
  fromName: { label: 'Old name' },
  toName: { label: 'New name' },
  // Key prefixes are public (shown in the console); the secret part is never in audit data.
  prefix: { label: 'Key', format: (value) => `spk_${plain(value)}_…` },
  replacedPrefix: { label: 'Replaced key', format: (value) => `spk_${plain(value)}_…` },
  shopOrderRef: { label: 'Order reference' },
  // In minor units, with the currency beside it.
  amount: { label: 'Amount' },
  currency: { label: 'Currency' },
  // An affiliate grant's other party (the two stores know each other's names) and its terms.
  otherStoreName: { label: 'Other store' },
  brands: { label: 'Brands' },
  maxAmount: { label: 'Most per payment' },
  dailyLimit: { label: 'Most per day' },
  validFrom: { label: 'First day (UTC)' },
  validUntil: { label: 'Last day (UTC)' },
  viaPosId: { label: 'Through another store’s POS' },
  // The URL's scheme and host only: its path or query may hold a token the shop chose.
  webhookOrigin: { label: 'Webhook address' },
  eventType: { label: 'Event' },
  settlementEmails: { label: 'Settlement e-mails', format: (value) => (value === true ? 'on' : value === false ? 'off' : plain(value)) },
  // Origins are public (they are the shop's own web addresses); the checkout page sends them to every browser.
  frameOriginsBefore: { label: 'Before', format: (value) => (Array.isArray(value) && value.length === 0 ? 'none' : plain(value)) },
  frameOriginsAfter: { label: 'After', format: (value) => (Array.isArray(value) && value.length === 0 ? 'none' : plain(value)) },
  captureMode: { label: 'Captures', format: (value) => (value === 'DAILY_BATCH' ? 'in the daily batch' : value === 'IMMEDIATE' ? 'at once' : plain(value)) },
  noticeTitle: { label: 'Notice' },
};

const MAX_VALUE_LENGTH = 200;

function isShowable(value: unknown): value is string | number | boolean | Array<string | number | boolean> {
  const primitive = (item: unknown) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean';
  return primitive(value) || (Array.isArray(value) && value.length <= 50 && value.every(primitive));
}

/** The whitelisted fields of an event's `data`, labelled and formatted; everything else is left out. */
export function visibleAuditDetails(data: unknown): { label: string; value: string }[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const details: { label: string; value: string }[] = [];
  for (const [key, field] of Object.entries(visibleDataFields)) {
    const value = (data as Record<string, unknown>)[key];
    if (!isShowable(value)) continue;
    const text = (field.format ?? plain)(value);
    details.push({ label: field.label, value: text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text });
  }
  return details;
}
