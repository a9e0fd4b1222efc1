import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { PaymentStatus } from '@/lib/db/generated/prisma/enums';
import { exportPaymentsCsv, PAYMENT_CSV_HEADER } from '@/lib/payments/export-payments-csv';
import { listStorePayments } from '@/lib/payments/list-store-payments';
import { createPos } from '@/lib/pos/create-pos';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { linkAcquirer, seedOrder } from '@/lib/testing/pos-api-fixtures';

/** A store with two POSes, each linked to an acquirer of its own. */
async function storeWithTwoPoses() {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  const web = await createPos({ storeId: owner.storeId, actor, input: { name: 'Web shop' } });
  const phone = await createPos({ storeId: owner.storeId, actor, input: { name: 'Phone "orders", Tokyo' } });
  const webAcquirer = await linkAcquirer({ storeId: owner.storeId, posId: web.posId, status: 'REGISTERED' });
  const phoneAcquirer = await linkAcquirer({ storeId: owner.storeId, posId: phone.posId, status: 'REGISTERED' });
  return { ...owner, actor, web: { posId: web.posId, acquirerId: webAcquirer.acquirerId }, phone: { posId: phone.posId, acquirerId: phoneAcquirer.acquirerId } };
}

async function payment(
  store: { storeId: string },
  pos: { posId: string; acquirerId: string },
  options: { shopOrderRef?: string; status?: PaymentStatus; brand?: string; amount?: bigint; currency?: string; createdAt?: Date; maskedPan?: string } = {},
) {
  const order = await seedOrder({ storeId: store.storeId, posId: pos.posId, ...(options.shopOrderRef ? { shopOrderRef: options.shopOrderRef } : {}) });
  return db().payment.create({
    data: {
      storeId: store.storeId,
      posId: pos.posId,
      orderId: order.id,
      acquirerId: pos.acquirerId,
      xid: randomUUID().replaceAll('-', ''),
      brand: options.brand ?? 'VISA',
      amount: options.amount ?? 1580n,
      currency: options.currency ?? 'JPY',
      status: options.status ?? 'AUTHORIZED',
      maskedPan: options.maskedPan ?? '411111******1111',
      authCode: 'A1B2C3',
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    },
    select: { id: true, createdAt: true },
  });
}

/** RFC 4180 as a spreadsheet reads it: quoted fields may hold commas, quotes (doubled) and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else field += char;
  }
  expect(field, 'the file ends with CRLF').toBe('');
  return rows;
}

async function exported(options: Parameters<typeof exportPaymentsCsv>[0]) {
  const { body, filename } = await exportPaymentsCsv(options);
  const text = await new Response(body).text();
  const [header, ...rows] = parseCsv(text);
  return { filename, text, header, rows: rows.map((values) => Object.fromEntries(PAYMENT_CSV_HEADER.map((name, index) => [name, values[index]]))) };
}

describe('the console payments list', () => {
  it('filters by POS, status, brand, acquirer, days and order reference, as query parameters', async () => {
    const store = await storeWithTwoPoses();
    const day = (date: string) => new Date(`${date}T12:00:00Z`);
    const a = await payment(store, store.web, { status: 'CAPTURED', brand: 'VISA', createdAt: day('2026-11-20'), shopOrderRef: 'WEB-1' });
    const b = await payment(store, store.web, { status: 'DECLINED', brand: 'MASTER', createdAt: day('2026-11-21') });
    const c = await payment(store, store.phone, { status: 'CAPTURED', brand: 'MASTER', createdAt: day('2026-11-22') });
    const list = async (query: Record<string, string>) => (await listStorePayments({ storeId: store.storeId, actor: store.actor, query })).payments.map((row) => row.id);

    expect(await list({})).toEqual([c.id, b.id, a.id]);
    expect(await list({ posId: store.web.posId })).toEqual([b.id, a.id]);
    expect(await list({ status: 'CAPTURED' })).toEqual([c.id, a.id]);
    expect(await list({ brand: 'master' })).toEqual([c.id, b.id]);
    expect(await list({ acquirerId: store.phone.acquirerId })).toEqual([c.id]);
    // Whole UTC days, both ends included.
    expect(await list({ from: '2026-11-21', to: '2026-11-21' })).toEqual([b.id]);
    expect(await list({ from: '2026-11-21' })).toEqual([c.id, b.id]);
    expect(await list({ to: '2026-11-20' })).toEqual([a.id]);
    expect(await list({ shopOrderRef: 'WEB-1' })).toEqual([a.id]);
    expect(await list({ posId: store.web.posId, status: 'CAPTURED', brand: 'VISA' })).toEqual([a.id]);
    // An empty field of the GET form is no filter.
    expect(await list({ posId: '', status: '', from: '' })).toEqual([c.id, b.id, a.id]);
    expect((await listStorePayments({ storeId: store.storeId, actor: store.actor, query: { status: 'CAPTURED', posId: '' } })).filterQuery).toBe('status=CAPTURED');
  });

  it('refuses a filter value it cannot read, naming the parameter, rather than listing everything', async () => {
    const store = await storeWithTwoPoses();
    const list = (query: Record<string, string>) => listStorePayments({ storeId: store.storeId, actor: store.actor, query });
    await expect(list({ status: 'PAID' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'status' }] });
    await expect(list({ posId: 'web' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'posId' }] });
    await expect(list({ from: '2026-02-30' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'from' }] });
    // Year 0 has a YYYY-MM-DD form but no PostgreSQL timestamp: refused, in the export before its first byte.
    await expect(list({ to: '0000-01-01' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'to' }] });
    await expect(exportPaymentsCsv({ storeId: store.storeId, actor: store.actor, query: new URLSearchParams({ to: '0000-01-01' }) })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'to' }] });
    await expect(list({ from: '2026-11-22', to: '2026-11-21' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'to' }] });
    await expect(list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'cursor' }] });
  });

  it('pages by cursor without repeating or skipping payments created in the same millisecond', async () => {
    const store = await storeWithTwoPoses();
    const at = new Date('2026-11-23T09:00:00.000Z');
    const ids = [];
    for (let index = 0; index < 5; index++) ids.push((await payment(store, store.web, { createdAt: at })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listStorePayments({ storeId: store.storeId, actor: store.actor, query: cursor ? { cursor } : {}, pageSize: 2 });
      seen.push(...page.payments.map((row) => row.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it('lists only the store’s own payments: another store’s POS or acquirer matches nothing', async () => {
    const mine = await storeWithTwoPoses();
    const theirs = await storeWithTwoPoses();
    await payment(theirs, theirs.web);
    const own = await payment(mine, mine.web);
    const list = async (query: Record<string, string>) => (await listStorePayments({ storeId: mine.storeId, actor: mine.actor, query })).payments.map((row) => row.id);
    expect(await list({})).toEqual([own.id]);
    expect(await list({ posId: theirs.web.posId })).toEqual([]);
    expect(await list({ acquirerId: theirs.web.acquirerId })).toEqual([]);
  });
});

describe('the CSV export', () => {
  it('writes every matching payment, quoted per RFC 4180, amounts in major units, formulas defused, no card data beyond the masked number', async () => {
    const store = await storeWithTwoPoses();
    const plain = await payment(store, store.web, { shopOrderRef: 'ORD-1', amount: 12_800n, createdAt: new Date('2026-11-20T01:00:00Z') });
    const usd = await payment(store, store.phone, { shopOrderRef: '=HYPERLINK("http://evil.example","open")', amount: 1_234n, currency: 'USD', createdAt: new Date('2026-11-20T02:00:00Z') });
    const minus = await payment(store, store.phone, { shopOrderRef: '-1+1', brand: 'MASTER', maskedPan: '555555******4444', createdAt: new Date('2026-11-20T03:00:00Z') });

    const csv = await exported({ storeId: store.storeId, actor: store.actor, query: new URLSearchParams(), now: new Date('2026-11-25T10:00:00Z') });
    expect(csv.filename).toBe('payments-2026-11-25.csv');
    expect(csv.header).toEqual(PAYMENT_CSV_HEADER);
    expect(csv.rows.map((row) => row.payment_id)).toEqual([minus.id, usd.id, plain.id]);
    expect(csv.rows[2]).toMatchObject({ shop_order_ref: 'ORD-1', pos: 'Web shop', currency: 'JPY', amount: '12800', masked_pan: '411111******1111', status: 'AUTHORIZED', created_at: '2026-11-20T01:00:00.000Z' });
    expect(csv.rows[1]).toMatchObject({ shop_order_ref: '\'=HYPERLINK("http://evil.example","open")', pos: 'Phone "orders", Tokyo', currency: 'USD', amount: '12.34', captured_amount: '0.00' });
    expect(csv.rows[0]).toMatchObject({ shop_order_ref: "'-1+1", brand: 'MASTER', masked_pan: '555555******4444' });
    // The raw text: the POS name quoted with its quotes doubled, the formula behind an apostrophe inside quotes.
    expect(csv.text).toContain('"Phone ""orders"", Tokyo"');
    expect(csv.text).toContain('"\'=HYPERLINK(""http://evil.example"",""open"")"');
    expect(csv.text.split('\r\n')[0]).toBe(PAYMENT_CSV_HEADER.join(','));
    expect(csv.text).not.toMatch(/\b4111111111111111\b/);

    const audit = await db().auditEvent.findFirstOrThrow({ where: { storeId: store.storeId, action: 'payment.exported' } });
    expect(audit).toMatchObject({ actorType: 'STORE_USER', actorId: store.userId });
  });

  it('takes the list’s filters, ignores its cursor, and streams through more rows than one page', async () => {
    const store = await storeWithTwoPoses();
    const at = new Date('2026-11-21T00:00:00.000Z');
    const web = [];
    for (let index = 0; index < 7; index++) web.push((await payment(store, store.web, { createdAt: new Date(at.getTime() + (index % 3)) })).id);
    await payment(store, store.phone);
    const page = await listStorePayments({ storeId: store.storeId, actor: store.actor, query: { posId: store.web.posId }, pageSize: 2 });

    const csv = await exported({ storeId: store.storeId, actor: store.actor, query: new URLSearchParams({ posId: store.web.posId, cursor: page.nextCursor! }), pageSize: 3 });
    const ids = csv.rows.map((row) => row.payment_id);
    expect(ids).toHaveLength(7);
    expect(new Set(ids)).toEqual(new Set(web));

    const empty = await exported({ storeId: store.storeId, actor: store.actor, query: new URLSearchParams({ status: 'REFUNDED' }), pageSize: 3 });
    expect(empty.rows).toEqual([]);
    expect(empty.text).toBe(`${PAYMENT_CSV_HEADER.join(',')}\r\n`);
  });

  it('exports only the store’s own payments, and refuses bad filters before writing anything', async () => {
    const mine = await storeWithTwoPoses();
    const theirs = await storeWithTwoPoses();
    const own = await payment(mine, mine.web);
    await payment(theirs, theirs.web);
    expect((await exported({ storeId: mine.storeId, actor: mine.actor, query: new URLSearchParams() })).rows.map((row) => row.payment_id)).toEqual([own.id]);
    expect((await exported({ storeId: mine.storeId, actor: mine.actor, query: new URLSearchParams({ posId: theirs.web.posId }) })).rows).toEqual([]);

    const before = await db().auditEvent.count({ where: { storeId: mine.storeId, action: 'payment.exported' } });
    await expect(exportPaymentsCsv({ storeId: mine.storeId, actor: mine.actor, query: new URLSearchParams({ to: 'yesterday' }) })).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
    await expect(exportPaymentsCsv({ storeId: 'not-a-store', actor: mine.actor, query: new URLSearchParams() })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await db().auditEvent.count({ where: { storeId: mine.storeId, action: 'payment.exported' } })).toBe(before);
  });
});
