import { z } from 'zod';
import { passwordSchema } from '@/lib/auth/password';

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

export const signUpSchema = z.object({
  storeName: textField('the store name', 120),
  ownerName: textField('your name', 120),
  email: emailSchema,
  password: passwordSchema,
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
