import { z } from 'zod';

const binBound = (which: string) =>
  z
    .string({ error: `Enter the ${which} BIN.` })
    .trim()
    .min(1, `Enter the ${which} BIN.`)
    .regex(/^[0-9]{6,8}$/, 'Use 6 to 8 digits.');

/**
 * A row of the operator's BIN-range table, as the operator console's form and the domain function read it.
 * Bounds are inclusive digit strings of one length (6 to 8), so they compare as text exactly as numbers do;
 * whether the brand is one the acquirer takes is checked against the database.
 */
export const addBinRangeSchema = z
  .object({
    acquirerId: z.uuid({ error: 'Choose an acquirer.' }),
    brand: z
      .string({ error: 'Choose a brand.' })
      .trim()
      .regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'Choose a brand.'),
    binFrom: binBound('first'),
    binTo: binBound('last'),
  })
  .superRefine((range, context) => {
    if (!/^[0-9]{6,8}$/.test(range.binFrom) || !/^[0-9]{6,8}$/.test(range.binTo)) return;
    if (range.binFrom.length !== range.binTo.length) {
      context.addIssue({ code: 'custom', path: ['binTo'], message: `Use as many digits as the first BIN (${range.binFrom.length}).` });
    } else if (range.binFrom > range.binTo) {
      context.addIssue({ code: 'custom', path: ['binTo'], message: 'The last BIN must not come before the first.' });
    }
  });

export type AddBinRangeInput = z.infer<typeof addBinRangeSchema>;
