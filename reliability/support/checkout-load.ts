import { runWallet, walletParty, type WalletTrust } from '@/lib/checkout/run-wallet';
import type { PendingOrder } from '@/lib/testing/cardholders';
import { recordingFetch } from './recorder';

const CARD = { kind: 'card' as const, pan: '4111111111111111', expiry: '2031-12', cvc: '123' };
const CUSTOMER = { name: 'Reliability Cardholder', email: 'cardholder@reliability.example' };

/** What one cardholder was told in the end, after however many attempts. */
export interface Told {
  order: PendingOrder;
  /** approved, declined, failed, unknown, or the code of the last refusal (e.g. invalid_state_transition: already paid). */
  outcome: string;
  attempts: number;
  /** The app instance that gave the last answer. */
  servedBy: string;
}

/** Answers that say the service was not there (a stopped instance, a restart): try again, nothing was charged or the outcome is open. */
const TRY_AGAIN = new Set(['network_error', 'unexpected_answer', 'internal_error', 'service_unavailable', 'acquirer_unavailable', 'certificate_unavailable']);

/**
 * One cardholder paying one order as a persistent person would: on an
 * answer that says the service was not reachable, or an unconfirmed outcome,
 * they try again (a fresh checkout of the same order, on the next app
 * instance) until they are told approved, declined or failed, or that the
 * order is already paid or its payment already made. Every answer is
 * recorded for the secret scan.
 */
export async function payPersistently(appUrls: string[], trust: WalletTrust, order: PendingOrder, options: { first?: number; maxAttempts?: number } = {}): Promise<Told> {
  const maxAttempts = options.maxAttempts ?? 12;
  let outcome = 'not_tried';
  let servedBy = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const baseUrl = (servedBy = appUrls[((options.first ?? 0) + attempt - 1) % appUrls.length]!);
    try {
      const result = await runWallet({ token: order.token, orderId: order.id, description: order.description, brand: 'VISA', account: CARD, customer: CUSTOMER, party: walletParty(trust), fetch: recordingFetch(), baseUrl });
      outcome = result.status === 'error' ? result.code : result.status;
      if (result.status === 'approved' || result.status === 'declined' || result.status === 'failed') return { order, outcome, attempts: attempt, servedBy };
      if (result.status === 'error' && !TRY_AGAIN.has(result.code)) return { order, outcome, attempts: attempt, servedBy };
    } catch (error) {
      outcome = `exception:${error instanceof Error ? error.message.slice(0, 60) : String(error)}`;
    }
    await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
  }
  return { order, outcome, attempts: maxAttempts, servedBy };
}

/** `concurrency` cardholders at once, each taking the next order until none is left; spread over the app instances. */
export async function runCheckouts(appUrls: string[], trust: WalletTrust, orders: PendingOrder[], concurrency: number): Promise<Told[]> {
  const told: Told[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (next < orders.length) told.push(await payPersistently(appUrls, trust, orders[next++]!, { first: lane }));
    }),
  );
  return told;
}
