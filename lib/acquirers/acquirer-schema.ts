import { z } from 'zod';
import { httpUrlProblem } from '@/lib/validation';

/** The brands an acquirer can take: card brands, and BANK for account transfers. */
export const acquirerBrands = ['VISA', 'MASTER', 'JCB', 'BANK'] as const;
export type AcquirerBrand = (typeof acquirerBrands)[number];

/**
 * An absolute http(s) URL without credentials, kept without trailing slashes: ServerPOS appends paths to it
 * (`<gatewayUrl>/certificates`), and a doubled slash would name another resource at some gateways.
 */
const serviceUrl = (what: string) =>
  z
    .string({ error: `Enter the ${what} URL.` })
    .trim()
    .min(1, `Enter the ${what} URL.`)
    .max(500, 'Use at most 500 characters.')
    .superRefine((value, context) => {
      const problem = httpUrlProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => value.replace(/\/+$/, ''));

const name = z
  .string({ error: 'Enter the acquirer’s name.' })
  .trim()
  .min(1, 'Enter the acquirer’s name.')
  .max(120, 'Use at most 120 characters.')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Remove control characters.');

const brands = z
  .array(z.enum(acquirerBrands, { error: 'Choose brands from the list.' }), { error: 'Choose at least one brand.' })
  .min(1, 'Choose at least one brand.')
  // Kept in the list's order, once each, so the same choice always reads the same.
  .transform((chosen) => acquirerBrands.filter((brand) => chosen.includes(brand)));

/** The registry URL is optional: an empty field clears it. */
const optionalRegistryUrl = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : null))
  .pipe(z.union([z.null(), serviceUrl('registry')]));

/**
 * A new acquirer as the operator's form sends it. The code is the acquirer's stable public id (gateway
 * certificates name it, acquirers sign API requests with it): capital letters, digits and hyphens.
 */
export const createAcquirerSchema = z.object({
  code: z
    .string({ error: 'Enter a code.' })
    .trim()
    .toUpperCase()
    .min(1, 'Enter a code.')
    .max(40, 'Use at most 40 characters.')
    .regex(/^[A-Z0-9][A-Z0-9-]*$/, 'Use capital letters, digits and hyphens, e.g. ACQ-CARD.'),
  name,
  gatewayUrl: serviceUrl('gateway'),
  registryUrl: optionalRegistryUrl,
  brands,
});
export type CreateAcquirerInput = z.infer<typeof createAcquirerSchema>;

/** An acquirer's settings as the operator edits them; the code never changes. */
export const updateAcquirerSchema = z.object({
  name,
  gatewayUrl: serviceUrl('gateway'),
  registryUrl: optionalRegistryUrl,
  brands,
  status: z.enum(['ACTIVE', 'DISABLED'], { error: 'Choose Active or Disabled.' }),
});
export type UpdateAcquirerInput = z.infer<typeof updateAcquirerSchema>;
