import type { Db } from '@/lib/db/client';
import { currentSigningKey } from '@/lib/webhooks/current-signing-key';
import { isDeliverableWebhookUrl, webhookBodyText, webhookOutboxPayloadSchema } from '@/lib/webhooks/schemas';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhookBody } from '@/lib/webhooks/signature';

/** A shop that has not answered within this long has not acknowledged; the delivery is retried. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export type WebhookAttempt = { sent: false; reason: 'event_missing' | 'already_delivered' | 'no_url' | 'url_refused' } | { sent: true; ok: boolean; statusCode: number | null; error: string | null };

/** A failed attempt the queue should retry; its message names no URL and holds nothing secret. */
export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/**
 * Worker: POSTs one webhook event to its POS's current webhook URL, signed now (a fresh `t` on every
 * attempt, so a retry hours later still passes the shop's five-minute window), and records the attempt
 * in the delivery log. Anything but a 2xx within WEBHOOK_TIMEOUT_MS throws, so the queue retries with
 * backoff. Redirects are not followed: a 3xx is not an acknowledgement.
 *
 * Delivered-ness is per event: an automatic message for an event that some delivery already got through
 * (a redelivery, or this message before a worker died) sends nothing; a redelivery the store asked for
 * (`manual`) always sends.
 */
export async function deliverWebhook(options: { prisma: Db; storeId: string | null; payload: unknown; timeoutMs?: number; now?: () => Date }): Promise<WebhookAttempt> {
  const { prisma } = options;
  const { eventId, manual } = webhookOutboxPayloadSchema.parse(options.payload);
  const event = await prisma.webhookEvent.findFirst({
    where: { id: eventId, ...(options.storeId ? { storeId: options.storeId } : {}) },
    select: { id: true, storeId: true, payload: true, pos: { select: { webhookUrl: true } } },
  });
  if (!event) return { sent: false, reason: 'event_missing' };
  if (!manual && (await prisma.webhookDelivery.count({ where: { eventId: event.id, ok: true } })) > 0) return { sent: false, reason: 'already_delivered' };

  const record = (data: { url: string; statusCode: number | null; ok: boolean; error: string | null; latencyMs: number | null }) =>
    prisma.webhookDelivery.create({ data: { eventId: event.id, storeId: event.storeId, manual, ...data, error: data.error?.slice(0, 500) ?? null } });

  const url = event.pos.webhookUrl;
  // Nothing to retry in either case: the attempt is logged for the console and the message is done.
  if (!url) {
    await record({ url: '', statusCode: null, ok: false, error: 'The POS has no webhook URL; nothing was sent.', latencyMs: null });
    return { sent: false, reason: 'no_url' };
  }
  if (!isDeliverableWebhookUrl(url)) {
    await record({ url: url.slice(0, 2000), statusCode: null, ok: false, error: 'Only http:// and https:// webhook URLs without credentials are delivered; nothing was sent.', latencyMs: null });
    return { sent: false, reason: 'url_refused' };
  }

  const rawBody = webhookBodyText(event.payload);
  const { kid, privateKey } = await currentSigningKey(prisma);
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'ServerPOS-Webhooks/1',
        [EVENT_ID_HEADER]: event.id,
        [SIGNATURE_HEADER]: signWebhookBody({ rawBody, privateKey, kid, now: options.now?.() ?? new Date() }),
      },
      body: rawBody,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    statusCode = response.status;
    // The answer's body means nothing here; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (statusCode < 200 || statusCode > 299) error = `The shop answered HTTP ${statusCode}.`;
  } catch (failure) {
    error = describeFetchFailure(failure, timeoutMs);
  }
  const latencyMs = Math.round(performance.now() - started);
  const ok = error === null;
  await record({ url, statusCode, ok, error, latencyMs });
  if (!ok) throw new WebhookDeliveryError(error!);
  return { sent: true, ok, statusCode, error };
}

/** Why no answer came, in words safe for the console and the logs: a code, never the URL. */
function describeFetchFailure(failure: unknown, timeoutMs: number): string {
  if (failure instanceof Error && (failure.name === 'TimeoutError' || failure.name === 'AbortError')) return `No answer within ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}.`;
  const cause = failure instanceof Error ? (failure.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(cause.code) ? cause.code : null;
  return code ? `The request failed (${code}).` : 'The request failed before an answer came.';
}
