import { z } from 'zod';
import { describeOrder, ORDER_DESCRIPTION_MAX_LENGTH } from '@/lib/payments/order-description';
import { supportedCurrencies } from '@/lib/payments/currencies';
import { emailSchema } from '@/lib/stores/schemas';
import { EARLIEST_DAY, httpUrlProblem } from '@/lib/validation';

/**
 * The POS API's orders and payments, as zod schemas: the request schemas validate what the shop sends
 * (and are shared with the domain functions), the view schemas describe what it gets back. Both feed the
 * OpenAPI document (lib/payments/openapi.ts), so the document cannot drift from what is checked and sent.
 */

/** Largest unit price, in minor units. */
export const MAX_UNIT_AMOUNT = 10_000_000_000;
/** Largest order total, in minor units; the SET messages carry amounts up to this. */
export const MAX_ORDER_AMOUNT = 1_000_000_000_000;
export const MAX_LINE_ITEMS = 100;
export const MAX_QUANTITY = 1000;
export const MAX_URL_LENGTH = 2000;

/**
 * The shop's own reference: printable ASCII, no leading or trailing space, so it reads the same in a log,
 * a URL (percent-encoded) and the console. Unique per POS.
 */
export const shopOrderRefSchema = z
  .string({ error: 'Enter the shop’s order reference.' })
  .min(1, 'Enter the shop’s order reference.')
  .max(64, 'Use at most 64 characters.')
  .regex(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/, 'Use printable ASCII characters only, not starting or ending with a space.')
  .meta({ description: 'The shop’s own reference for the order: 1–64 printable ASCII characters, unique per POS.', example: 'ORD-2026-000123' });

export const currencySchema = z
  .enum(supportedCurrencies, { error: `Use one of the supported currencies: ${supportedCurrencies.join(', ')}.` })
  .meta({ description: 'ISO 4217 currency code. Amounts are integer minor units of it (JPY has none, USD/EUR/GBP two).', example: 'JPY' });

// Characters that would break the one-line-per-item description or disguise it: C0/C1 controls, DEL, line and paragraph separators.
const lineBreaking = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const lineItemNameSchema = z
  .string({ error: 'Enter the item’s name.' })
  .trim()
  .min(1, 'Enter the item’s name.')
  .max(120, 'Use at most 120 characters.')
  .refine((value) => !lineBreaking.test(value), 'Remove control characters and line breaks.')
  // One spelling per name, so the description the wallet hashes does not depend on how the shop's text was composed.
  .transform((value) => value.normalize('NFC'))
  .meta({ description: 'What the customer buys, 1–120 characters, no line breaks.', example: 'Green tea' });

export const lineItemSchema = z.strictObject({
  name: lineItemNameSchema,
  unitAmount: z
    .number({ error: 'Enter the unit price as an integer in minor units.' })
    .int('Enter the unit price as an integer in minor units.')
    .min(0, 'The unit price cannot be negative.')
    .max(MAX_UNIT_AMOUNT, `The unit price is at most ${MAX_UNIT_AMOUNT} minor units.`)
    .meta({ description: 'Unit price in minor units of the order’s currency (0–10^10).', example: 640 }),
  quantity: z
    .number({ error: 'Enter the quantity as a whole number.' })
    .int('Enter the quantity as a whole number.')
    .min(1, 'The quantity is at least 1.')
    .max(MAX_QUANTITY, `The quantity is at most ${MAX_QUANTITY}.`)
    .meta({ description: 'How many (1–1000).', example: 2 }),
});

const returnUrlSchema = (which: string) =>
  z
    .string({ error: `Enter the ${which} URL.` })
    .trim()
    .min(1, `Enter the ${which} URL.`)
    .max(MAX_URL_LENGTH, `Use at most ${MAX_URL_LENGTH} characters.`)
    .superRefine((value, context) => {
      const problem = httpUrlProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });

/** POST /api/v1/pos/orders. Unknown fields are refused, so a misspelt optional field is not silently ignored. */
export const createOrderSchema = z
  .strictObject({
    shopOrderRef: shopOrderRefSchema,
    currency: currencySchema,
    lineItems: z
      .array(lineItemSchema, { error: 'Send the line items as a list.' })
      .min(1, 'An order has at least one line item.')
      .max(MAX_LINE_ITEMS, `An order has at most ${MAX_LINE_ITEMS} line items.`)
      .meta({ description: 'What is bought, 1–100 lines. The order’s amount is their total, computed by ServerPOS.' }),
    successUrl: returnUrlSchema('success').meta({
      description: 'Where the customer’s browser goes after a successful payment (absolute http/https URL, at most 2000 characters).',
      example: 'https://shop.example/orders/ORD-2026-000123/thanks',
    }),
    failureUrl: returnUrlSchema('failure').meta({
      description: 'Where the customer’s browser goes when the payment fails or is abandoned.',
      example: 'https://shop.example/cart',
    }),
    expiresInMinutes: z
      .number({ error: 'Enter the expiry as a whole number of minutes.' })
      .int('Enter the expiry as a whole number of minutes.')
      .min(5, 'An order stays payable for at least 5 minutes.')
      .max(1440, 'An order stays payable for at most 1440 minutes (a day).')
      .default(60)
      .meta({ description: 'How long the order can be paid, in minutes (5–1440).', example: 60 }),
    autoCapture: z
      .boolean({ error: 'Send autoCapture as true or false.' })
      .default(false)
      .meta({ description: 'Capture at once when authorised; otherwise the shop captures later.' }),
    customerEmail: emailSchema.optional().meta({ description: 'The customer’s e-mail address, if the shop has it.', example: 'customer@example.com' }),
    viaPosId: z
      .uuid({ error: 'Give viaPosId as the id of a POS another store lets yours use (see your Affiliates page).' })
      .optional()
      .meta({
        description:
          'Sell through another store’s POS that store has granted yours (an affiliate grant): the order is placed on that POS, paid under its store’s acquirer contracts and tagged with your store. The grant’s period, currency and maximum per payment are checked now (422 affiliate_limit); its brands and daily total at the checkout. A POS your store holds no grant for is 404. Omit to use the calling POS.',
        example: '0b8f9a4e-2c1d-4e5f-9a7b-3c2d1e0f4a5b',
      }),
  })
  .superRefine((order, context) => {
    const amount = orderTotal(order.lineItems);
    if (amount === 0) context.addIssue({ code: 'custom', path: ['lineItems'], message: 'The order total is 0: an order must be for more than nothing.' });
    if (amount > MAX_ORDER_AMOUNT) context.addIssue({ code: 'custom', path: ['lineItems'], message: `The order total is ${amount} minor units; it may be at most ${MAX_ORDER_AMOUNT}.` });
    const description = describeOrder(order.lineItems, order.currency);
    if (description.length > ORDER_DESCRIPTION_MAX_LENGTH) {
      context.addIssue({
        code: 'custom',
        path: ['lineItems'],
        message: `The line items describe to ${description.length} characters; at most ${ORDER_DESCRIPTION_MAX_LENGTH} fit. Shorten names or combine lines.`,
      });
    }
  })
  .meta({ id: 'CreateOrderRequest' });

export type CreateOrderInput = z.infer<typeof createOrderSchema>;

/**
 * The sum of unitAmount × quantity. Exact as a JS number: at most 100 × 10^10 × 1000 = 10^15, below 2^53.
 */
export function orderTotal(lineItems: readonly { unitAmount: number; quantity: number }[]): number {
  return lineItems.reduce((total, item) => total + item.unitAmount * item.quantity, 0);
}

// ─────────────────────────────── what the API answers ───────────────────────────────

const timestamp = (description: string) => z.iso.datetime().meta({ description, example: '2026-11-25T03:47:09.123Z' });
const minorUnits = (description: string) => z.number().int().min(0).meta({ description, example: 1280 });

export const orderStatusSchema = z
  .enum(['OPEN', 'PAID', 'EXPIRED', 'CANCELLED'])
  .meta({ id: 'OrderStatus', description: 'OPEN until paid; EXPIRED from expiresAt on if unpaid.' });

export const paymentStatusSchema = z
  .enum(['PENDING', 'AUTHORIZING', 'AUTHORIZED', 'DECLINED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'FAILED', 'UNKNOWN'])
  .meta({ id: 'PaymentStatus' });

export const lineItemViewSchema = z
  .object({ name: z.string(), unitAmount: minorUnits('Unit price in minor units.'), quantity: z.number().int().min(1) })
  .meta({ id: 'LineItem' });

export const orderViewSchema = z
  .object({
    id: z.uuid().meta({ description: 'ServerPOS’s id of the order.' }),
    shopOrderRef: z.string(),
    status: orderStatusSchema,
    amount: minorUnits('The total, computed by ServerPOS from the line items, in minor units.'),
    currency: currencySchema,
    lineItems: z.array(lineItemViewSchema),
    description: z.string().meta({
      description: 'The line items as text, one line per item ("2 × Green tea @ 640 JPY"), joined by "\\n". What the customer agrees to; the wallet hashes exactly this text.',
      example: '2 × Green tea @ 640 JPY',
    }),
    autoCapture: z.boolean(),
    expiresAt: timestamp('Until when the order can be paid.'),
    checkoutUrl: z.url().meta({ description: 'Send the customer’s browser here to pay. It names the order by a random token only.', example: 'https://pay.example/checkout/3q2-7wEjP0l6i3G8l3Ew6o0kzcJx1yQ9tHf5bY2mN4s' }),
    createdAt: timestamp('When the order was registered.'),
    viaPosId: z.uuid().nullable().meta({ description: 'The other store’s POS the order was placed through under an affiliate grant (its `viaPosId`); null for an order on the calling POS.' }),
  })
  .meta({ id: 'Order' });

export const paymentViewSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    shopOrderRef: z.string(),
    status: paymentStatusSchema,
    amount: minorUnits('The amount authorised or asked for, in minor units.'),
    capturedAmount: minorUnits('Captured so far, in minor units.'),
    refundedAmount: minorUnits('Refunded so far, in minor units.'),
    currency: currencySchema,
    brand: z.string().nullable().meta({ example: 'VISA' }),
    maskedPan: z.string().nullable().meta({ description: 'At most the first six and last four digits; ServerPOS never sees a card number in clear.', example: '411111******1111' }),
    declineCode: z.string().nullable().meta({ example: 'insufficient_funds' }),
    declineMessage: z
      .object({ en: z.string(), ja: z.string() })
      .nullable()
      .meta({ description: 'The acquirer’s reason for a decline, in English and Japanese.' }),
    authCode: z.string().nullable(),
    handlingNumber: z.string().nullable().meta({ description: 'Single-use number the shop gets instead of any card data.' }),
    createdAt: timestamp('When the payment was started.'),
    updatedAt: timestamp('When the payment last changed.'),
  })
  .meta({ id: 'Payment' });

export const orderWithPaymentsViewSchema = orderViewSchema
  .extend({ payments: z.array(paymentViewSchema).meta({ description: 'Every payment attempt for the order, newest first.' }) })
  .meta({ id: 'OrderWithPayments' });

export type OrderView = z.infer<typeof orderViewSchema>;
export type PaymentView = z.infer<typeof paymentViewSchema>;
export type OrderWithPaymentsView = z.infer<typeof orderWithPaymentsViewSchema>;

export const createOrderResponseSchema = z.object({ order: orderViewSchema }).meta({ id: 'CreateOrderResponse' });
export const getOrderResponseSchema = z.object({ order: orderWithPaymentsViewSchema }).meta({ id: 'GetOrderResponse' });
export const getPaymentResponseSchema = z.object({ payment: paymentViewSchema }).meta({ id: 'GetPaymentResponse' });
export const listPaymentsResponseSchema = z
  .object({
    payments: z.array(paymentViewSchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .meta({ id: 'ListPaymentsResponse' });

/** What capture, void and refund answer: the payment as it now stands and the transaction just made. */
export const settlementResponseSchema = z
  .object({
    payment: paymentViewSchema,
    transaction: z.object({
      id: z.uuid(),
      result: z.enum(['succeeded', 'unknown', 'queued']).meta({
        description: '`unknown` when the acquirer did not answer, `queued` when the capture waits for the POS’s daily capture batch (both status 202); a refusal is a 422 instead.',
      }),
      code: z.string().meta({ description: 'The acquirer’s result code, `no_answer`, or `queued`.', example: 'captured' }),
    }),
  })
  .meta({ id: 'SettlementResponse' });

// ─────────────────────────────── listing payments ───────────────────────────────

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const queryTime = (which: string) =>
  z.iso
    .datetime({ offset: true, error: `Give ${which} as an ISO 8601 date-time, e.g. 2026-11-25T00:00:00Z.` })
    .refine((value) => value >= EARLIEST_DAY, `Give ${which} as a time from ${EARLIEST_DAY} on.`)
    .transform((value) => new Date(value));

/** GET /api/v1/pos/payments query: every value arrives as text. An unknown parameter is refused by name, so a misspelt filter does not silently list everything. */
export const listPaymentsQuerySchema = z.strictObject({
  status: paymentStatusSchema.optional().meta({ description: 'Only payments in this status.' }),
  from: queryTime('from').optional().meta({ description: 'Only payments created at or after this time (ISO 8601).' }),
  to: queryTime('to').optional().meta({ description: 'Only payments created before this time (ISO 8601).' }),
  shopOrderRef: shopOrderRefSchema.optional().meta({ description: 'Only payments for the order with this reference.' }),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `Give limit as a whole number from 1 to ${MAX_PAGE_SIZE}.`)
    .transform(Number)
    .pipe(z.number().min(1, `Give limit as a whole number from 1 to ${MAX_PAGE_SIZE}.`).max(MAX_PAGE_SIZE, `Give limit as a whole number from 1 to ${MAX_PAGE_SIZE}.`))
    .optional()
    .meta({ description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`, example: '20' }),
  cursor: z.string().max(200, 'This cursor is not one ServerPOS gave out.').optional().meta({ description: 'The `nextCursor` of the previous page.' }),
});

export type ListPaymentsQuery = z.infer<typeof listPaymentsQuerySchema>;
