import { z } from 'zod';
import { paymentViewSchema } from '@/lib/payments/schemas';
import { httpUrlProblem } from '@/lib/validation';
import type { WebhookJwks } from '@/lib/webhooks/signature';

/** The kinds of event a shop is told of, one per outcome a payment can reach. */
export const webhookEventTypes = ['payment.authorized', 'payment.declined', 'payment.failed', 'payment.captured', 'payment.voided', 'payment.refunded'] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The outbox kind that delivers one webhook event (see lib/jobs/outbox-handlers.ts). */
export const WEBHOOK_OUTBOX_KIND = 'webhook';

/** An outbox message of kind 'webhook': the event to send, and whether a store user asked for it. */
export const webhookOutboxPayloadSchema = z.object({ eventId: z.uuid(), manual: z.boolean().default(false) });
export type WebhookOutboxPayload = z.input<typeof webhookOutboxPayloadSchema>;

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** The console's webhook URL form: an http(s) URL, or empty to stop webhooks for the POS. */
export const webhookUrlInputSchema = z.object({
  webhookUrl: z
    .string({ error: 'Enter the webhook URL, or leave it empty.' })
    .trim()
    .max(MAX_WEBHOOK_URL_LENGTH, `Use at most ${MAX_WEBHOOK_URL_LENGTH} characters.`)
    .superRefine((value, context) => {
      const problem = value === '' ? null : httpUrlProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .transform((value) => (value === '' ? null : value)),
});

/** True for a URL ServerPOS will POST to; anything else found in the database is refused at send time. */
export function isDeliverableWebhookUrl(value: string): boolean {
  return value.length <= MAX_WEBHOOK_URL_LENGTH && httpUrlProblem(value) === null;
}

/** The body of every webhook POST (documented in the OpenAPI document's webhooks). */
export const webhookEventBodySchema = z
  .object({
    id: z.uuid().meta({ description: 'The event’s id, also sent as ServerPOS-Event-Id. Deliveries are at least once: de-duplicate by it.' }),
    type: z.enum(webhookEventTypes).meta({
      description:
        'payment.authorized, payment.declined, payment.failed (refused by the acquirer, or an unknown outcome reversed), payment.captured, payment.voided, payment.refunded.',
    }),
    createdAt: z.iso.datetime().meta({ description: 'When the event happened.', example: '2026-11-25T03:47:09.123Z' }),
    data: z.object({
      // As GET /api/v1/pos/payments/{paymentId} showed it when the event happened.
      payment: paymentViewSchema,
      order: z.object({ id: z.uuid(), shopOrderRef: z.string() }),
    }),
  })
  .meta({ id: 'WebhookEvent' });

export type WebhookEventBody = z.infer<typeof webhookEventBodySchema>;

/** The exact text to POST for a stored event (kept as a JSON string; an object only if written by hand). */
export function webhookBodyText(payload: unknown): string {
  return typeof payload === 'string' ? payload : JSON.stringify(payload);
}

/** GET /api/v1/pos/webhook-keys: the JWKS (RFC 7517) of the keys webhooks are signed with. */
export const webhookKeysSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal('OKP'),
        crv: z.literal('Ed25519'),
        x: z.string().meta({ description: 'The public key, base64url (RFC 8037).', example: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }),
        kid: z.string().meta({ description: 'Named by `kid=` in ServerPOS-Signature.', example: 'webhook-key-1' }),
        alg: z.literal('EdDSA'),
        use: z.literal('sig'),
      }),
    ),
  })
  .meta({ id: 'WebhookKeys' });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const webhookKeysMatch: Same<z.infer<typeof webhookKeysSchema>, WebhookJwks> = true;
void webhookKeysMatch;
