import { z } from 'zod';
import { passwordSchema } from '@/lib/auth/password';
import { pinSchema } from '@/lib/auth/pin';

/** Printable text: no control characters, trimmed, within a length. */
export function textField(label: string, max: number) {
  return z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Use at most ${max} characters.`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Remove control characters.');
}

export const emailSchema = z
  .string({ error: 'Enter an e-mail address.' })
  .trim()
  .max(254, 'Use at most 254 characters.')
  .pipe(z.email('Enter a valid e-mail address.'))
  .transform((value) => value.toLowerCase());

/** An acquirer's short code, e.g. "ACQ-CARD"; whether ServerPOS works with it is checked against the database. */
export const acquirerCodeSchema = z
  .string({ error: 'Choose an acquirer.' })
  .trim()
  .min(1, 'Choose an acquirer.')
  .max(40, 'Choose an acquirer.');

/** A merchant number as the acquirer prints it on the contract; kept in capitals so one number has one spelling. */
export const merchantNumberSchema = z
  .string({ error: 'Enter the merchant number.' })
  .trim()
  .min(1, 'Enter the merchant number.')
  .max(40, 'Use at most 40 characters.')
  .regex(/^[A-Za-z0-9-]*$/, 'Use letters, digits and hyphens only.')
  .transform((value) => value.toUpperCase());

/** One acquirer contract to apply for: the merchant number and the PIN the store registers for it. */
export const contractApplicationSchema = z.object({
  acquirerCode: acquirerCodeSchema,
  merchantNumber: merchantNumberSchema,
  pin: pinSchema,
});
export type ContractApplicationInput = z.infer<typeof contractApplicationSchema>;

/**
 * A row of the enrolment form: one per acquirer, left empty for an acquirer the
 * store has no contract with. Half a row (a number without a PIN or the
 * reverse) is an error on the missing half. Skipped rows become null and are
 * dropped only after the whole list is checked, so every issue keeps the
 * index of the row it belongs to — the form's field names.
 */
const enrolmentRowSchema = z
  .object({
    acquirerCode: acquirerCodeSchema,
    merchantNumber: z.string({ error: 'Enter the merchant number.' }).trim().default(''),
    pin: z.string({ error: 'Enter a PIN of 4 to 8 digits.' }).default(''),
  })
  .superRefine((row, context) => {
    if (row.merchantNumber === '' && row.pin === '') return;
    const merchantNumber = merchantNumberSchema.safeParse(row.merchantNumber);
    if (!merchantNumber.success) {
      const message = row.merchantNumber === '' ? 'Enter the merchant number that goes with this PIN.' : merchantNumber.error.issues[0]!.message;
      context.addIssue({ code: 'custom', path: ['merchantNumber'], message });
    }
    const pin = pinSchema.safeParse(row.pin);
    if (!pin.success) {
      const message = row.pin === '' ? 'Enter the PIN you register for this merchant number.' : pin.error.issues[0]!.message;
      context.addIssue({ code: 'custom', path: ['pin'], message });
    }
  })
  .transform((row): ContractApplicationInput | null =>
    row.merchantNumber === '' && row.pin === '' ? null : { acquirerCode: row.acquirerCode, merchantNumber: row.merchantNumber.toUpperCase(), pin: row.pin },
  );

export const MAX_ENROLMENT_CONTRACTS = 20;

export const enrolmentContractsSchema = z
  .array(enrolmentRowSchema, { error: 'List the acquirers you have merchant contracts with.' })
  .max(MAX_ENROLMENT_CONTRACTS, `List at most ${MAX_ENROLMENT_CONTRACTS} acquirers.`)
  .superRefine((rows, context) => {
    const seen = new Set<string>();
    rows.forEach((row, index) => {
      if (!row) return;
      if (seen.has(row.acquirerCode)) context.addIssue({ code: 'custom', path: [index, 'acquirerCode'], message: 'This acquirer is listed twice.' });
      seen.add(row.acquirerCode);
    });
    if (seen.size === 0) context.addIssue({ code: 'custom', path: [], message: 'Enter the merchant number and PIN for at least one acquirer.' });
  })
  .transform((rows) => rows.filter((row): row is ContractApplicationInput => row !== null));

/** Enrolment: the store, its owner's account, and the acquirers it has merchant contracts with. */
export const signUpSchema = z.object({
  storeName: textField('the store name', 120),
  ownerName: textField('your name', 120),
  email: emailSchema,
  password: passwordSchema,
  contracts: enrolmentContractsSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const storeProfileSchema = z.object({
  name: textField('the store name', 120),
  contactEmail: emailSchema,
  phone: z
    .string()
    .trim()
    .max(40, 'Use at most 40 characters.')
    .refine((value) => value === '' || /^\+?[0-9 ()-]{6,40}$/.test(value), 'Enter a phone number of digits, spaces and + ( ) -.'),
  postalAddress: z
    .string()
    // A submitted <textarea> sends its line breaks as CRLF; keep them as the plain newlines the form counted.
    .overwrite((value) => value.replace(/\r\n?/g, '\n'))
    .trim()
    .max(500, 'Use at most 500 characters.')
    .refine((value) => !/[\u0000-\u0009\u000b-\u001f\u007f]/.test(value), 'Remove control characters.'),
  websiteUrl: z
    .string()
    .trim()
    .max(500, 'Use at most 500 characters.')
    .refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), 'Enter an http:// or https:// address.'),
  certificateAlertDays: z.coerce
    .number({ error: 'Enter a number of days.' })
    .int('Enter a whole number of days.')
    .min(1, 'Use 1 day or more.')
    .max(365, 'Use 365 days or fewer.'),
});
export type StoreProfileInput = z.infer<typeof storeProfileSchema>;

/**
 * Store information as an acquirer sends it (pulled from its registry, or pushed through the acquirer
 * API). Only the name is always there; an optional field left out means "not kept by this acquirer",
 * not "removed". Other keys (its status, say) are ignored.
 */
export const acquirerStoreInfoSchema = z.object({
  version: z.number({ error: 'Send the version as a number.' }).int().min(1).max(1_000_000_000),
  name: storeProfileSchema.shape.name,
  contactEmail: storeProfileSchema.shape.contactEmail.optional(),
  phone: storeProfileSchema.shape.phone.optional(),
  postalAddress: storeProfileSchema.shape.postalAddress.optional(),
  websiteUrl: storeProfileSchema.shape.websiteUrl.optional(),
});
export type AcquirerStoreInfoInput = z.infer<typeof acquirerStoreInfoSchema>;
