/**
 * Virtual cardholders' side of whole-system runs (the benchmarks, the
 * reliability suite): the shop registers orders through the SDK, and each
 * cardholder's wallet trusts what a checkout page hands it.
 */
import { certificateToBase64, parseCertificate } from '@/lib/pki';
import type { WalletTrust } from '@/lib/checkout/run-wallet';
import type { ServerPosClient } from '@/sdk';

export interface PendingOrder {
  id: string;
  token: string;
  description: string;
  shopOrderRef: string;
}

/** The trust material a checkout page hands its wallet: the CA's root and current CRLs. */
export async function walletTrust(caUrl: string): Promise<WalletTrust> {
  const published = (await (await fetch(`${caUrl}/ca/certificates`)).json()) as { root: string };
  const { crls } = (await (await fetch(`${caUrl}/ca/crls`)).json()) as { crls: string[] };
  return { root: certificateToBase64(parseCertificate(published.root)), crls };
}

/** Registers `count` orders of one teapot (12,800 JPY) through the POS API, `parallel` at a time. */
export async function registerOrders(client: ServerPosClient, count: number, prefix: string, options: { parallel?: number; autoCapture?: boolean } = {}): Promise<PendingOrder[]> {
  const orders: PendingOrder[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.parallel ?? 16 }, async () => {
      while (next < count) {
        const shopOrderRef = `${prefix}-${next++}`;
        const order = await client.createOrder({
          shopOrderRef,
          currency: 'JPY',
          lineItems: [{ name: 'Teapot', unitAmount: 12_800, quantity: 1 }],
          successUrl: 'https://shop.example.test/thanks',
          failureUrl: 'https://shop.example.test/sorry',
          ...(options.autoCapture !== undefined ? { autoCapture: options.autoCapture } : {}),
        });
        orders.push({ id: order.id, token: new URL(order.checkoutUrl).pathname.split('/').pop()!, description: order.description, shopOrderRef });
      }
    }),
  );
  return orders;
}
