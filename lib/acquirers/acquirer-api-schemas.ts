/**
 * The acquirer admin API's request and answer shapes, as zod schemas: the routes validate with them and
 * lib/acquirers/openapi.ts documents them, so the document says what the code does.
 */
import { z } from 'zod';
import { suspensionReasonSchema } from '@/lib/stores/suspend-store';

export const storeStatusSchema = z.enum(['PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN']);
export const contractStatusSchema = z.enum(['APPLIED', 'VERIFIED', 'REJECTED', 'WITHDRAWING', 'WITHDRAWN']);

export const merchantNumberParamsSchema = z.object({
  merchantNumber: z.string().min(1).max(40).meta({ description: 'Your merchant number for the store, percent-encoded in the path.', example: 'M-SAKURA-0001' }),
});

export const acquirerStoreSchema = z
  .object({
    merchantNumber: z.string().meta({ example: 'M-SAKURA-0001' }),
    storeId: z.uuid().meta({ description: 'ServerPOS’s id of the store.' }),
    storeName: z.string().meta({ example: 'Sakura Books' }),
    storeStatus: storeStatusSchema.meta({ description: 'SUSPENDED: no new authorisation through any acquirer; captures, voids and refunds still work.' }),
    contractStatus: contractStatusSchema.meta({ description: 'Your contract with the store in ServerPOS.' }),
    suspension: z
      .object({
        by: z.enum(['STORE', 'ACQUIRER', 'OPERATOR']),
        byYou: z.boolean().meta({ description: 'You suspended it, so you may lift it (DELETE …/suspension).' }),
        reason: z.string(),
        since: z.iso.datetime(),
      })
      .nullable()
      .meta({ description: 'Set while the store is suspended.' }),
    storeInfoVersion: z.number().int().meta({ description: 'ServerPOS’s version of the store information.' }),
  })
  .meta({ id: 'AcquirerStore' });
export type AcquirerStoreView = z.infer<typeof acquirerStoreSchema>;

export const listStoresQuerySchema = z.strictObject({
  status: storeStatusSchema.optional().meta({ description: 'Only stores in this status.' }),
  contractStatus: contractStatusSchema.optional().meta({ description: 'Only stores whose contract with you is in this status.' }),
  cursor: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'Pass nextCursor of the previous page.').optional().meta({ description: 'nextCursor of the previous page.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: '1–200 stores per page (default 50).' }),
});

export const listStoresResponseSchema = z
  .object({
    stores: z.array(acquirerStoreSchema).meta({ description: 'In merchant-number order.' }),
    nextCursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last one.' }),
  })
  .meta({ id: 'AcquirerStoreList' });

export const storeResponseSchema = z.object({ store: acquirerStoreSchema });
export const changeResponseSchema = z.object({
  store: acquirerStoreSchema,
  changed: z.boolean().meta({ description: 'False when the store already was in the state asked for (a repeat is safe).' }),
});

export const suspendBodySchema = z.object({ reason: suspensionReasonSchema.meta({ description: '1–500 characters, shown to the store.' }) });

export const storeInfoBodySchema = z.object({
  version: z.number().int().min(1).max(1_000_000_000).meta({ description: 'Your store-information version after the change.' }),
  name: z.string().min(1).max(120),
  contactEmail: z.string().max(254).optional(),
  phone: z.string().max(40).optional(),
  postalAddress: z.string().max(500).optional(),
  websiteUrl: z.string().max(500).optional(),
});
export const storeInfoResponseSchema = z.object({
  outcome: z.enum(['applied', 'unchanged', 'conflict_resolved']).meta({
    description: 'applied: your version was newer and is now ServerPOS’s; unchanged: ServerPOS already had it; conflict_resolved: the same version with other content — ServerPOS’s copy wins as the next version and is sent to you.',
  }),
  storeInfoVersion: z.number().int(),
});

export const enrolmentBodySchema = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('verified'),
    acquisitionNumber: z.string().trim().min(1).max(200).optional().meta({ description: 'A one-time certificate acquisition number for the store’s first POS; without one, ServerPOS fetches a number from your registry when the store registers a POS.' }),
  }),
  z.strictObject({
    decision: z.literal('rejected'),
    reason: z.string().trim().min(1).max(460).optional().meta({ description: 'Shown to the store.' }),
  }),
]);
export const enrolmentResponseSchema = changeResponseSchema;
export const withdrawalResponseSchema = changeResponseSchema;
