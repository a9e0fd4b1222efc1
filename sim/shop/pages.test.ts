import { describe, expect, it } from 'vitest';
import type { OrderWithPayments, Payment } from '../../sdk';
import { describeOrderState, ordersPage, returnPage } from './pages';

const frame = { shopName: 'Sakura <Books>', title: 'Orders', cartCount: 2 };
const payment: Payment = {
  id: 'p1',
  orderId: 'o1',
  shopOrderRef: 'SB-1',
  status: 'DECLINED',
  amount: 1320,
  capturedAmount: 0,
  refundedAmount: 0,
  currency: 'JPY',
  brand: 'VISA',
  maskedPan: null,
  declineCode: 'do_not_honor',
  declineMessage: { en: 'Declined <b>by</b> the issuer.', ja: '発行会社により拒否されました。' },
  authCode: null,
  handlingNumber: null,
  createdAt: '2031-01-01T00:00:00.000Z',
  updatedAt: '2031-01-01T00:00:00.000Z',
};
const order: OrderWithPayments = {
  id: 'o1',
  shopOrderRef: 'SB-1',
  status: 'OPEN',
  amount: 1320,
  currency: 'JPY',
  lineItems: [{ name: 'Kokoro', unitAmount: 1320, quantity: 1 }],
  description: '1 × Kokoro @ 1320 JPY',
  autoCapture: false,
  expiresAt: '2031-01-01T01:00:00.000Z',
  checkoutUrl: 'https://pay.example/checkout/abc"def',
  createdAt: '2031-01-01T00:00:00.000Z',
  viaPosId: null,
  payments: [payment],
};

describe('the shop’s pages', () => {
  it('escape what came from elsewhere: shop name, ServerPOS’s messages, URLs', () => {
    const html = returnPage(frame, order);
    expect(html).toContain('<h1>Payment declined</h1>');
    expect(html).toContain('Declined &#60;b&#62;by&#60;/b&#62; the issuer.');
    expect(html).toContain('href="https://pay.example/checkout/abc&#34;def"');
    expect(html).toContain('Sakura &#60;Books&#62;');
    expect(html).not.toContain('<b>by</b>');
  });

  it('offer capture and void for an authorised payment, refund for a captured one, nothing for a declined one', () => {
    const base = { sessionId: 's', lines: [], amount: 1320, currency: 'JPY' as const, createdAt: '2031-01-01T00:00:00.000Z', orderId: 'o1', checkoutUrl: null, registrationError: null, orderStatus: 'PAID' as const };
    const known = (ref: string, status: Payment['status']) => ({ ...base, ref, payment: { id: ref, status, brand: 'VISA', declineCode: null, declineMessage: null, updatedAt: base.createdAt } });
    const html = ordersPage(frame, [known('SB-A', 'AUTHORIZED'), known('SB-C', 'CAPTURED'), known('SB-D', 'DECLINED')], []);
    const buttons = [...html.matchAll(/aria-label="(\w+) (SB-\w)"/g)].map((match) => `${match[1]} ${match[2]}`);
    expect(buttons).toEqual(['Capture SB-A', 'Void SB-A', 'Refund SB-C']);
  });

  it('describe a status by ServerPOS’s payment first, then the order', () => {
    expect(describeOrderState('PAID', { status: 'AUTHORIZED' })).toBe('Paid (authorized)');
    expect(describeOrderState('OPEN', { status: 'DECLINED' })).toBe('Declined (can pay again)');
    expect(describeOrderState('OPEN', { status: 'UNKNOWN' })).toBe('Being confirmed');
    expect(describeOrderState('OPEN', null)).toBe('Awaiting payment');
    expect(describeOrderState('EXPIRED', null)).toBe('Expired');
    expect(describeOrderState(null, null, 'refused')).toBe('Not registered');
  });
});
