import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@/sdk';

export interface ReceivedWebhook {
  type: string;
  paymentId: string | null;
  /** Verified deliveries of this event id: deliveries are at least once, so more than one is allowed. */
  deliveries: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every verified event by id: what a shop de-duplicating by id would act on, once each. */
  events: Map<string, ReceivedWebhook>;
  /** Deliveries whose signature did not verify (refused with 400; there should be none). */
  refused: number;
  close(): Promise<void>;
}

/**
 * A shop's webhook endpoint in the test's process: every delivery is
 * verified with the SDK against ServerPOS's published keys (fetched once
 * from `appUrl` and pinned, so a delivery verifies while an app instance is
 * down), counted by event id, and answered 200. Events are acted on once per
 * id, as the SDK tells shops to do.
 */
export async function startWebhookReceiver(appUrl: string): Promise<WebhookReceiver> {
  const keys = (await (await fetch(`${appUrl}/api/v1/pos/webhook-keys`)).json()) as Parameters<typeof verifyWebhook>[0]['keys'] & object;
  const events = new Map<string, ReceivedWebhook>();
  const receiver = { events, refused: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      verifyWebhook({ rawBody, headers: request.headers, keys })
        .then((event) => {
          const known = events.get(event.id);
          if (known) known.deliveries += 1;
          else events.set(event.id, { type: event.type, paymentId: event.data.payment?.id ?? null, deliveries: 1 });
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
        })
        .catch(() => {
          receiver.refused += 1;
          response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"unverified"}');
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    events,
    get refused() {
      return receiver.refused;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
