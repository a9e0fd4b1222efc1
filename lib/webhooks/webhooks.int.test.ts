import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as webhookKeysRoute } from '@/app/api/v1/pos/webhook-keys/route';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { createPrismaClient, db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { outboxHandlers } from '@/lib/jobs/outbox-handlers';
import { unwrapPrivateKey } from '@/lib/keys/vault';
import { createMailer } from '@/lib/mail/transport';
import { getPayment } from '@/lib/payments/get-payment';
import { resolveUnknownPayments } from '@/lib/payments/resolve-unknown-payments';
import { settlePayment } from '@/lib/payments/settle-payment';
import { setSettlementEmails } from '@/lib/stores/set-settlement-emails';
import { card, customer, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { outboxEmailsTo } from '@/lib/testing/fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';
import { findOrCreateCurrentKid, webhookKeyVaultId } from '@/lib/webhooks/current-signing-key';
import { deliverWebhook, WebhookDeliveryError } from '@/lib/webhooks/deliver-webhook';
import { listWebhookEvents } from '@/lib/webhooks/list-webhook-events';
import { redeliverWebhookEvent } from '@/lib/webhooks/redeliver-webhook-event';
import { WEBHOOK_OUTBOX_KIND, webhookBodyText, type WebhookEventBody } from '@/lib/webhooks/schemas';
import { setWebhookUrl } from '@/lib/webhooks/set-webhook-url';
import { verifyWebhookSignature, type WebhookJwks } from '@/lib/webhooks/signature';

let world: SimWorld;
let shop: Awaited<ReturnType<typeof startShop>>;

beforeAll(async () => {
  world = await startSimWorld();
  shop = await startShop();
});

afterAll(async () => {
  await shop?.close();
  await world?.stop();
});

/** The published keys, exactly as a shop gets them from the route. */
async function fetchJwks(): Promise<{ jwks: WebhookJwks; cacheControl: string | null }> {
  const response = await webhookKeysRoute(new Request('http://localhost/api/v1/pos/webhook-keys'), { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  return { jwks: (await response.json()) as WebhookJwks, cacheControl: response.headers.get('cache-control') };
}

interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
  verification: ReturnType<typeof verifyWebhookSignature>;
}

/**
 * A shop's webhook endpoint on a free local port: it verifies every delivery against the JWKS the route
 * publishes (fetching it again on an unknown kid, as receivers must) and answers `status` — or nothing
 * at all while `hang` is set.
 */
async function startShop() {
  const received: Received[] = [];
  const state = { status: 200, hang: false, jwks: { keys: [] } as WebhookJwks };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const header = request.headers['serverpos-signature'] as string | undefined;
        let verification = verifyWebhookSignature({ header, rawBody, keys: state.jwks.keys });
        if (!verification.ok && verification.reason === 'unknown_key') {
          state.jwks = (await fetchJwks()).jwks;
          verification = verifyWebhookSignature({ header, rawBody, keys: state.jwks.keys });
        }
        received.push({ headers: request.headers, rawBody, verification });
        if (state.hang) return;
        response.writeHead(state.status, { 'content-type': 'text/plain' }).end('thanks');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/serverpos?shop=tsuki`,
    received,
    state,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An approved payment of a store whose POS sends its webhooks to `url` (none when null). */
async function paidThrough(url: string | null, pan = '4111111111111111') {
  const store = await storeWithOrder(world);
  const actor = { type: 'STORE_USER' as const, id: store.userId };
  if (url) await setWebhookUrl({ storeId: store.storeId, actor, posId: store.posId, input: { webhookUrl: url } });
  const { preq } = await walletPurchase(store.token, store.order.id, card(pan));
  const outcome = await payCheckout({ token: store.token, preq: preq.raw, customer });
  const payment = await db().payment.findFirstOrThrow({ where: { orderId: store.order.id } });
  return { ...store, actor, outcome, payment };
}

const eventsOf = (paymentId: string) => db().webhookEvent.findMany({ where: { paymentId }, orderBy: { createdAt: 'asc' } });
const webhookMessagesFor = async (eventId: string) =>
  (await db().outboxMessage.findMany({ where: { kind: WEBHOOK_OUTBOX_KIND, payload: { path: ['eventId'], equals: eventId } }, orderBy: { createdAt: 'asc' } })).map((message) => ({
    ...message,
    payload: message.payload as { eventId: string; manual?: boolean },
  }));
const deliveriesOf = (eventId: string) => db().webhookDelivery.findMany({ where: { eventId }, orderBy: { createdAt: 'asc' } });

/** Runs the outbox handler for `kind` as the worker does. */
async function runOutbox(message: { id: string; storeId: string | null; payload: unknown }) {
  const mailer = createMailer(env().SMTP_URL, env().MAIL_FROM);
  try {
    await outboxHandlers[WEBHOOK_OUTBOX_KIND]!.deliver(message, { prisma: db(), mailer });
  } finally {
    mailer.close();
  }
}

describe('webhooks to the shop', () => {
  it('records a payment.authorized event with the payment as the POS API shows it, and queues it in the same transaction', async () => {
    const { payment, posId, storeId, order, outcome } = await paidThrough(shop.url);
    expect(outcome.status).toBe('approved');
    const [event, ...more] = await eventsOf(payment.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: 'payment.authorized', storeId, posId });
    const body = JSON.parse(webhookBodyText(event!.payload)) as WebhookEventBody;
    expect(body).toEqual({
      id: event!.id,
      type: 'payment.authorized',
      createdAt: event!.createdAt.toISOString(),
      data: { payment: await getPayment({ storeId, posId, paymentId: payment.id }), order: { id: order.id, shopOrderRef: order.shopOrderRef } },
    });
    expect(body.data.payment.status).toBe('AUTHORIZED');
    const messages = await webhookMessagesFor(event!.id);
    expect(messages).toMatchObject([{ storeId, status: 'PENDING', payload: { eventId: event!.id } }]);
  });

  it('delivers through the outbox handler to a real HTTP endpoint that verifies the signature with the published JWKS', async () => {
    const { payment } = await paidThrough(shop.url);
    const [event] = await eventsOf(payment.id);
    const [message] = await webhookMessagesFor(event!.id);
    const before = shop.received.length;
    await runOutbox(message!);

    const [delivery] = shop.received.slice(before);
    expect(delivery!.verification).toMatchObject({ ok: true });
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['serverpos-event-id']).toBe(event!.id);
    expect(delivery!.rawBody).toBe(webhookBodyText(event!.payload));
    const { jwks, cacheControl } = await fetchJwks();
    expect(cacheControl).toBe('public, max-age=300');
    expect(jwks.keys).toEqual(expect.arrayContaining([{ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: delivery!.verification.ok ? delivery!.verification.kid : '', alg: 'EdDSA', use: 'sig' }]));
    expect(JSON.stringify(jwks)).not.toMatch(/"d"/);
    expect(await deliveriesOf(event!.id)).toMatchObject([{ url: shop.url, statusCode: 200, ok: true, error: null, manual: false }]);

    // Delivered-ness is per event: the same automatic message again (a worker died before recording it) sends nothing more.
    expect(await deliverWebhook({ prisma: db(), storeId: message!.storeId, payload: message!.payload })).toEqual({ sent: false, reason: 'already_delivered' });
    expect(shop.received.length).toBe(before + 1);
  });

  it('records a refused delivery and throws so the queue retries; a redelivery the store asks for is a new, manual attempt', async () => {
    const { payment, storeId, actor } = await paidThrough(shop.url);
    const [event] = await eventsOf(payment.id);
    const [message] = await webhookMessagesFor(event!.id);
    shop.state.status = 500;
    try {
      await expect(runOutbox(message!)).rejects.toThrow(WebhookDeliveryError);
      await expect(runOutbox(message!)).rejects.toThrow('The shop answered HTTP 500.');
    } finally {
      shop.state.status = 200;
    }
    const failed = await deliveriesOf(event!.id);
    expect(failed).toMatchObject([
      { statusCode: 500, ok: false, error: 'The shop answered HTTP 500.', manual: false },
      { statusCode: 500, ok: false, manual: false },
    ]);
    expect(failed.every((attempt) => attempt.latencyMs !== null && attempt.latencyMs >= 0)).toBe(true);

    const { outboxMessageId } = await redeliverWebhookEvent({ storeId, actor, eventId: event!.id });
    const messages = await webhookMessagesFor(event!.id);
    expect(messages.map((row) => row.payload)).toEqual([{ eventId: event!.id }, { eventId: event!.id, manual: true }]);
    const redelivery = messages.find((row) => row.id === outboxMessageId)!;
    await runOutbox(redelivery);
    expect((await deliveriesOf(event!.id)).at(-1)).toMatchObject({ statusCode: 200, ok: true, manual: true });
    expect(shop.received.at(-1)!.verification.ok).toBe(true);
    expect(await db().auditEvent.findFirst({ where: { storeId, action: 'webhook.redelivery_requested', targetId: event!.id } })).toMatchObject({ actorType: 'STORE_USER', actorId: actor.id });

    const [listed] = await listWebhookEvents({ storeId, paymentId: payment.id });
    expect(listed).toMatchObject({ id: event!.id, state: 'delivered', attempts: 3, shopOrderRef: expect.any(String), lastDelivery: { ok: true, manual: true } });
  });

  it('gives up on a shop that does not answer in time, and records it without the URL in the error', async () => {
    const { payment } = await paidThrough(shop.url);
    const [event] = await eventsOf(payment.id);
    const [message] = await webhookMessagesFor(event!.id);
    shop.state.hang = true;
    try {
      await expect(deliverWebhook({ prisma: db(), storeId: message!.storeId, payload: message!.payload, timeoutMs: 300 })).rejects.toThrow('No answer within 300 ms.');
    } finally {
      shop.state.hang = false;
    }
    expect(await deliveriesOf(event!.id)).toMatchObject([{ statusCode: null, ok: false, error: 'No answer within 300 ms.' }]);
  });

  it('records the event of a POS without a webhook URL but queues nothing; a URL set later lets the store redeliver it', async () => {
    const { payment, storeId, posId, actor } = await paidThrough(null, '4000000000009995');
    const [event] = await eventsOf(payment.id);
    expect(event).toMatchObject({ type: 'payment.declined', storeId, posId });
    expect((JSON.parse(webhookBodyText(event!.payload)) as WebhookEventBody).data.payment).toMatchObject({ status: 'DECLINED', declineCode: 'insufficient_funds' });
    expect(await webhookMessagesFor(event!.id)).toEqual([]);
    await expect(redeliverWebhookEvent({ storeId, actor, eventId: event!.id })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect((await listWebhookEvents({ storeId, paymentId: payment.id }))[0]).toMatchObject({ state: 'no_url', attempts: 0 });

    await setWebhookUrl({ storeId, actor, posId, input: { webhookUrl: shop.url } });
    await redeliverWebhookEvent({ storeId, actor, eventId: event!.id });
    const [message] = await webhookMessagesFor(event!.id);
    await runOutbox(message!);
    expect(await deliveriesOf(event!.id)).toMatchObject([{ ok: true, manual: true, statusCode: 200 }]);
  });

  it('lets no other store redeliver an event or see it: not_found, and nothing queued', async () => {
    const owner = await paidThrough(shop.url);
    const [event] = await eventsOf(owner.payment.id);
    const other = await storeWithOrder(world);
    const otherActor = { type: 'STORE_USER' as const, id: other.userId };
    const queued = await db().outboxMessage.count({ where: { kind: WEBHOOK_OUTBOX_KIND } });
    await expect(redeliverWebhookEvent({ storeId: other.storeId, actor: otherActor, eventId: event!.id })).rejects.toMatchObject({ code: 'not_found' });
    // The other store's user naming the owner's store is not found either, exactly like a store that does not exist.
    await expect(redeliverWebhookEvent({ storeId: owner.storeId, actor: otherActor, eventId: event!.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(redeliverWebhookEvent({ storeId: owner.storeId, actor: owner.actor, eventId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().outboxMessage.count({ where: { kind: WEBHOOK_OUTBOX_KIND } })).toBe(queued);
    expect(await listWebhookEvents({ storeId: other.storeId })).toEqual([]);
    await expect(setWebhookUrl({ storeId: other.storeId, actor: otherActor, posId: owner.posId, input: { webhookUrl: 'https://evil.example/hook' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().pos.findUniqueOrThrow({ where: { id: owner.posId } })).toMatchObject({ webhookUrl: shop.url });
  });

  it('takes only http(s) URLs without credentials, at most 2000 characters, audits a change, and clears with an empty value', async () => {
    const { storeId, posId, userId } = await storeWithOrder(world);
    const actor = { type: 'STORE_USER' as const, id: userId };
    const set = (webhookUrl: string) => setWebhookUrl({ storeId, actor, posId, input: { webhookUrl } });
    for (const bad of ['ftp://shop.example/hook', 'javascript:alert(1)', 'shop.example/hook', 'https://user:secret@shop.example/hook', `https://shop.example/${'a'.repeat(2000)}`]) {
      await expect(set(bad), bad.slice(0, 40)).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'webhookUrl', message: expect.any(String) }] });
    }
    expect(await set('  https://shop.example/hooks/serverpos?token=kept-out-of-the-audit  ')).toEqual({ webhookUrl: 'https://shop.example/hooks/serverpos?token=kept-out-of-the-audit', changed: true });
    expect(await set('https://shop.example/hooks/serverpos?token=kept-out-of-the-audit')).toMatchObject({ changed: false });
    expect(await set('')).toEqual({ webhookUrl: null, changed: true });
    const audit = await db().auditEvent.findMany({ where: { storeId, action: { startsWith: 'pos.webhook_url' } }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((row) => [row.action, row.data])).toEqual([
      ['pos.webhook_url_set', { posName: 'Web shop', webhookOrigin: 'https://shop.example' }],
      ['pos.webhook_url_cleared', { posName: 'Web shop' }],
    ]);
    expect(await db().pos.findUniqueOrThrow({ where: { id: posId } })).toMatchObject({ webhookUrl: null });
  });

  it('refuses at send time a URL that is not http(s), without sending', async () => {
    const { payment, posId } = await paidThrough(shop.url);
    const [event] = await eventsOf(payment.id);
    await db().pos.update({ where: { id: posId }, data: { webhookUrl: 'file:///etc/passwd' } });
    const before = shop.received.length;
    expect(await deliverWebhook({ prisma: db(), storeId: event!.storeId, payload: { eventId: event!.id } })).toEqual({ sent: false, reason: 'url_refused' });
    expect(shop.received.length).toBe(before);
    expect(await deliveriesOf(event!.id)).toMatchObject([{ ok: false, statusCode: null, error: expect.stringContaining('Only http:// and https://') }]);
  });

  it('tells the shop of an unknown outcome once it is settled: payment.authorized after the inquiry finds it', async () => {
    const store = await storeWithOrder(world);
    await setWebhookUrl({ storeId: store.storeId, actor: { type: 'STORE_USER', id: store.userId }, posId: store.posId, input: { webhookUrl: shop.url } });
    const admin = world.sims.acquirers['ACQ-CARD']!.adminUrl;
    const { preq } = await walletPurchase(store.token, store.order.id, card('4111111111111111'));
    await fetch(`${admin}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropReplyRate: 1 }) });
    try {
      expect(await payCheckout({ token: store.token, preq: preq.raw, customer })).toMatchObject({ status: 'unknown' });
    } finally {
      await fetch(`${admin}/faults`, { method: 'DELETE' });
    }
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: store.order.id } });
    expect(await eventsOf(payment.id)).toEqual([]);
    await resolveUnknownPayments(db());
    const events = await eventsOf(payment.id);
    expect(events.map((event) => event.type)).toEqual(['payment.authorized']);
    expect(await webhookMessagesFor(events[0]!.id)).toHaveLength(1);
  });
});

describe('settlement e-mails to the store', () => {
  it('e-mails the store and tells the shop for a completed capture, and only tells the shop once the store turned the e-mails off', async () => {
    const { payment, storeId, actor, email, order } = await paidThrough(shop.url);
    expect(await settlePayment('capture', { storeId, paymentId: payment.id, actor, amount: 5_000n })).toMatchObject({ result: 'succeeded' });
    const mails = await outboxEmailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.storeId).toBe(storeId);
    expect(mails[0]!.email.subject).toBe(`Capture completed: 5000 JPY for order ${order.shopOrderRef}`);
    expect(mails[0]!.email.text).toContain(`Payment id: ${payment.id}`);
    // The masked number when the gateway gave one (first six and last four at most), never more.
    expect(mails[0]!.email.text).toContain(`Card: ${['VISA', payment.maskedPan].filter(Boolean).join(' ')}\n`);
    expect(mails[0]!.email.text).not.toContain('4111111111111111');
    expect((await eventsOf(payment.id)).map((event) => event.type)).toEqual(['payment.authorized', 'payment.captured']);

    expect(await setSettlementEmails({ storeId, actor, input: {} })).toEqual({ settlementEmails: false, changed: true });
    expect(await db().auditEvent.findFirst({ where: { storeId, action: 'store.settlement_emails_changed' } })).toMatchObject({ data: { settlementEmails: false } });
    await settlePayment('capture', { storeId, paymentId: payment.id, actor });
    await settlePayment('refund', { storeId, paymentId: payment.id, actor, amount: 1_000n });
    expect(await outboxEmailsTo(email)).toHaveLength(1);
    expect((await eventsOf(payment.id)).map((event) => event.type)).toEqual(['payment.authorized', 'payment.captured', 'payment.captured', 'payment.refunded']);

    expect(await setSettlementEmails({ storeId, actor, input: { settlementEmails: 'on' } })).toEqual({ settlementEmails: true, changed: true });
    await settlePayment('refund', { storeId, paymentId: payment.id, actor });
    expect((await outboxEmailsTo(email)).map((mail) => mail.email.subject)).toEqual([
      `Capture completed: 5000 JPY for order ${order.shopOrderRef}`,
      `Refund completed: 11800 JPY for order ${order.shopOrderRef}`,
    ]);
  });

  it('e-mails a void, and nothing for a refusal the acquirer gives', async () => {
    const { payment, storeId, actor, email } = await paidThrough(shop.url);
    expect(await settlePayment('void', { storeId, paymentId: payment.id, actor })).toMatchObject({ result: 'succeeded', status: 'VOIDED' });
    expect((await outboxEmailsTo(email)).map((mail) => mail.email.subject)).toEqual([expect.stringMatching(/^Void completed: 12800 JPY/)]);
    expect((await eventsOf(payment.id)).map((event) => event.type)).toEqual(['payment.authorized', 'payment.voided']);
    await expect(settlePayment('capture', { storeId, paymentId: payment.id, actor })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect(await outboxEmailsTo(email)).toHaveLength(1);
  });
});

describe('the signing key', () => {
  it('is created once when instances race for it, kept only wrapped, and published with the retired ones', async () => {
    // Retire whatever earlier tests made (there is one at least), so this test sees the creation itself; twice, as after two rotations.
    const earlier = await findOrCreateCurrentKid(db());
    const clients = [db(), createPrismaClient(env().DATABASE_URL, 2), createPrismaClient(env().DATABASE_URL, 2)];
    let retired = 0;
    let kids: string[] = [];
    try {
      for (let round = 0; round < 2; round++) {
        retired += (await db().webhookSigningKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: new Date() } })).count;
        kids = await Promise.all(clients.flatMap((client) => [findOrCreateCurrentKid(client), findOrCreateCurrentKid(client)]));
        expect(new Set(kids).size, `round ${round}: ${kids.join(', ')}`).toBe(1);
        expect(await db().webhookSigningKey.count({ where: { retiredAt: null } })).toBe(1);
      }
    } finally {
      await Promise.all(clients.slice(1).map((client) => client.$disconnect()));
    }
    const current = await db().webhookSigningKey.findMany({ where: { retiredAt: null } });
    expect(current).toHaveLength(1);
    const key = current[0]!;
    expect(key).toMatchObject({ algorithm: 'Ed25519', publicJwk: { kty: 'OKP', crv: 'Ed25519', kid: key.id } });
    // The stored bytes are ciphertext bound to the kid: they open under its vault id only.
    const pkcs8 = unwrapPrivateKey(key.encryptedPrivateKey, key.masterKeyVersion, webhookKeyVaultId(key.id));
    expect(pkcs8.length).toBe(48);
    expect(() => unwrapPrivateKey(key.encryptedPrivateKey, key.masterKeyVersion, webhookKeyVaultId('webhook-key-999'))).toThrow();
    const { jwks } = await fetchJwks();
    expect(jwks.keys.map((jwk) => jwk.kid)).toContain(key.id);
    expect(retired).toBeGreaterThanOrEqual(2);
    expect(kids[0]).not.toBe(earlier);
    // The retired key is still published: deliveries signed with it before the change still verify.
    expect(jwks.keys.map((jwk) => jwk.kid)).toContain(earlier);
    expect(jwks.keys).toHaveLength(await db().webhookSigningKey.count());
  });
});
