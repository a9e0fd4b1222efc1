/**
 * The sample shop's pages: server-rendered HTML, no script. Every value that did not come from this file
 * goes through `escapeHtml`, order references and ServerPOS's decline messages included.
 */
import type { OrderWithPayments, Payment } from '../../sdk';
import { catalog, yen, type Product } from './catalog';
import type { KnownPayment, ReceivedEvent, ShopOrder } from './state';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const style = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1f2328; background: #faf8f5; }
  header { background: #8f3b52; color: #fff; padding: 0.75rem 1.5rem; display: flex; gap: 2rem; align-items: center; }
  header a { color: #fff; }
  header .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
  nav ul { list-style: none; display: flex; gap: 1.25rem; margin: 0; padding: 0; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
  .products { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
  article { background: #fff; border: 1px solid #e5ded6; border-radius: 0.5rem; padding: 1rem; }
  article h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
  .price { font-weight: 700; }
  table { border-collapse: collapse; width: 100%; background: #fff; margin: 1rem 0; }
  caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
  th, td { border-bottom: 1px solid #e5ded6; padding: 0.5rem; text-align: left; vertical-align: top; }
  td.amount, th.amount { text-align: right; }
  button, .button { background: #8f3b52; color: #fff; border: 0; border-radius: 0.375rem; padding: 0.5rem 1rem; font: inherit; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary { background: #fff; color: #8f3b52; border: 1px solid #8f3b52; }
  .notice { background: #e7f3ea; border: 1px solid #9bc8a6; padding: 0.75rem 1rem; border-radius: 0.375rem; }
  .error { background: #fbeaea; border: 1px solid #e0a3a3; padding: 0.75rem 1rem; border-radius: 0.375rem; }
  .muted { color: #656d76; font-size: 0.9rem; }
  ul.events { margin: 0; padding-left: 1rem; }
  form.inline { display: inline; }
`;

export interface PageFrame {
  shopName: string;
  title: string;
  cartCount: number;
}

function page(frame: PageFrame, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)} · ${escapeHtml(frame.shopName)}</title>
<style>${style}</style>
</head>
<body>
<header>
  <a class="brand" href="/">${escapeHtml(frame.shopName)}</a>
  <nav aria-label="Shop">
    <ul>
      <li><a href="/">Products</a></li>
      <li><a href="/cart">Cart (${frame.cartCount})</a></li>
      <li><a href="/orders">Orders</a></li>
    </ul>
  </nav>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

function message(kind: 'notice' | 'error', text: string | undefined): string {
  if (!text) return '';
  return kind === 'error' ? `<p class="error" role="alert">${escapeHtml(text)}</p>` : `<p class="notice" role="status">${escapeHtml(text)}</p>`;
}

function time(iso: string): string {
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time>`;
}

export function homePage(frame: PageFrame): string {
  const products = catalog.map((product) => productCard(product)).join('\n');
  return page(
    frame,
    `<h1>${escapeHtml(frame.shopName)}</h1>
<p>Books and coffee, paid on ServerPOS’s checkout. Prices include tax.</p>
<ul class="products" aria-label="Products">
${products}
</ul>`,
  );
}

function productCard(product: Product): string {
  const headingId = `product-${product.id}`;
  return `<li><article aria-labelledby="${headingId}">
  <h2 id="${headingId}">${escapeHtml(product.name)}</h2>
  <p class="muted">${escapeHtml(product.detail)}</p>
  <p class="price">${yen(product.unitAmount)}</p>
  <form method="post" action="/cart/add">
    <input type="hidden" name="productId" value="${escapeHtml(product.id)}">
    <button type="submit">Add to cart</button>
  </form>
</article></li>`;
}

export interface CartLine {
  product: Product;
  quantity: number;
}

export function cartPage(frame: PageFrame, lines: CartLine[], options: { notice?: string; error?: string } = {}): string {
  if (lines.length === 0) {
    return page(frame, `<h1>Your cart</h1>${message('notice', options.notice)}${message('error', options.error)}<p>Your cart is empty.</p><p><a href="/">Browse products</a></p>`);
  }
  const total = lines.reduce((sum, line) => sum + line.product.unitAmount * line.quantity, 0);
  const rows = lines
    .map(
      ({ product, quantity }) => `<tr>
  <th scope="row">${escapeHtml(product.name)}</th>
  <td class="amount">${yen(product.unitAmount)}</td>
  <td class="amount">${quantity}</td>
  <td class="amount">${yen(product.unitAmount * quantity)}</td>
  <td><form method="post" action="/cart/remove" class="inline"><input type="hidden" name="productId" value="${escapeHtml(product.id)}"><button type="submit" class="secondary" aria-label="Remove ${escapeHtml(product.name)}">Remove</button></form></td>
</tr>`,
    )
    .join('\n');
  return page(
    frame,
    `<h1>Your cart</h1>
${message('notice', options.notice)}${message('error', options.error)}
<table>
<caption>Items in your cart</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="amount">Unit price</th><th scope="col" class="amount">Quantity</th><th scope="col" class="amount">Amount</th><th scope="col"><span class="muted">Change</span></th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot><tr><th scope="row" colspan="3">Total</th><td class="amount" data-testid="cart-total">${yen(total)}</td><td></td></tr></tfoot>
</table>
<form method="post" action="/checkout">
  <button type="submit">Checkout</button>
</form>
<p class="muted">You pay on ServerPOS’s secure checkout page; this shop never sees your card.</p>`,
  );
}

/** What a status means for the customer, from what ServerPOS says (never from the URL the customer came back on). */
export function describeOrderState(orderStatus: string | null, payment: Pick<KnownPayment, 'status'> | null, registrationError?: string | null): string {
  if (registrationError) return 'Not registered';
  if (payment) {
    switch (payment.status) {
      case 'AUTHORIZED':
        return 'Paid (authorized)';
      case 'PARTIALLY_CAPTURED':
        return 'Paid (partly captured)';
      case 'CAPTURED':
        return 'Paid (captured)';
      case 'PARTIALLY_REFUNDED':
        return 'Partly refunded';
      case 'REFUNDED':
        return 'Refunded';
      case 'VOIDED':
        return 'Voided';
      case 'DECLINED':
        return orderStatus === 'OPEN' ? 'Declined (can pay again)' : 'Declined';
      case 'FAILED':
        return 'Failed';
      default:
        return 'Being confirmed';
    }
  }
  switch (orderStatus) {
    case 'OPEN':
      return 'Awaiting payment';
    case 'PAID':
      return 'Paid';
    case 'EXPIRED':
      return 'Expired';
    case 'CANCELLED':
      return 'Cancelled';
    default:
      return 'Registering';
  }
}

/** The page the customer comes back to from the checkout, showing the order as ServerPOS has it. */
export function returnPage(frame: PageFrame, order: OrderWithPayments): string {
  const latest: Payment | undefined = order.payments[0];
  const summary = `<dl>
  <dt>Order</dt><dd data-testid="order-ref">${escapeHtml(order.shopOrderRef)}</dd>
  <dt>Total</dt><dd>${yen(order.amount)}</dd>
  <dt>Status at ServerPOS</dt><dd data-testid="order-status">${escapeHtml(describeOrderState(order.status, latest ?? null))}</dd>
  ${latest?.brand ? `<dt>Paid with</dt><dd>${escapeHtml(latest.brand)}${latest.maskedPan ? ` ${escapeHtml(latest.maskedPan)}` : ''}</dd>` : ''}
</dl>`;
  let heading: string;
  let body: string;
  if (order.status === 'PAID') {
    heading = 'Payment received';
    body = `<p class="notice" role="status">Thank you! Your payment went through and your order is confirmed.</p>${summary}<p><a href="/orders">See your orders</a> · <a href="/">Continue shopping</a></p>`;
  } else if (order.status === 'OPEN' && latest?.status === 'DECLINED') {
    heading = 'Payment declined';
    const reason = latest.declineMessage
      ? `<p data-testid="decline-reason-en">${escapeHtml(latest.declineMessage.en)}</p><p lang="ja" data-testid="decline-reason-ja">${escapeHtml(latest.declineMessage.ja)}</p>`
      : `<p>The payment was declined${latest.declineCode ? ` (${escapeHtml(latest.declineCode)})` : ''}.</p>`;
    body = `<div class="error" role="alert">${reason}</div>${summary}<p><a class="button" href="${escapeHtml(order.checkoutUrl)}">Try again</a> · <a href="/cart">Back to your cart</a></p>`;
  } else if (order.status === 'OPEN' && latest && ['PENDING', 'AUTHORIZING', 'UNKNOWN'].includes(latest.status)) {
    heading = 'Payment being confirmed';
    body = `<p role="status">ServerPOS is still confirming this payment with the card company. This page shows the result once it is known: reload it in a minute.</p>${summary}`;
  } else if (order.status === 'OPEN') {
    heading = 'Payment not completed';
    body = `<p>The order is waiting for payment.</p>${summary}<p><a class="button" href="${escapeHtml(order.checkoutUrl)}">Pay now</a> · <a href="/cart">Back to your cart</a></p>`;
  } else {
    heading = order.status === 'EXPIRED' ? 'Order expired' : 'Order cancelled';
    body = `<p>This order can no longer be paid. Your cart still holds its items.</p>${summary}<p><a href="/cart">Back to your cart</a></p>`;
  }
  return page(frame, `<h1>${heading}</h1>\n${body}`);
}

export function ordersPage(frame: PageFrame, orders: readonly ShopOrder[], events: readonly ReceivedEvent[], options: { notice?: string; error?: string } = {}): string {
  const eventsOf = (ref: string) => events.filter((event) => event.shopOrderRef === ref);
  const rows = orders
    .map((order) => {
      const received = eventsOf(order.ref);
      const payment = order.payment;
      const actions: string[] = [];
      if (payment && (payment.status === 'AUTHORIZED' || payment.status === 'PARTIALLY_CAPTURED')) actions.push(actionButton(order.ref, 'capture', 'Capture'));
      if (payment && payment.status === 'AUTHORIZED') actions.push(actionButton(order.ref, 'void', 'Void'));
      if (payment && (payment.status === 'CAPTURED' || payment.status === 'PARTIALLY_REFUNDED' || payment.status === 'PARTIALLY_CAPTURED')) actions.push(actionButton(order.ref, 'refund', 'Refund'));
      return `<tr data-ref="${escapeHtml(order.ref)}">
  <th scope="row">${escapeHtml(order.ref)}</th>
  <td>${time(order.createdAt)}</td>
  <td>${order.lines.map((line) => `${line.quantity} × ${escapeHtml(line.name)}`).join('<br>')}</td>
  <td class="amount">${yen(order.amount)}</td>
  <td data-testid="order-status">${escapeHtml(describeOrderState(order.orderStatus, payment, order.registrationError))}${payment ? ` <span class="muted">${escapeHtml(payment.status)}</span>` : ''}</td>
  <td>${received.length === 0 ? '<span class="muted">none yet</span>' : `<ul class="events">${received.map((event) => `<li>${escapeHtml(event.type)} ${time(event.receivedAt)}</li>`).join('')}</ul>`}</td>
  <td>${actions.join(' ')}</td>
</tr>`;
    })
    .join('\n');
  const eventRows = events
    .map(
      (event) => `<tr>
  <td>${time(event.receivedAt)}</td>
  <td>${escapeHtml(event.type)}</td>
  <td>${escapeHtml(event.shopOrderRef)}</td>
  <td>${escapeHtml(event.paymentStatus)}</td>
  <td><code>${escapeHtml(event.id)}</code></td>
</tr>`,
    )
    .join('\n');
  return page(
    frame,
    `<h1>Orders</h1>
${message('notice', options.notice)}${message('error', options.error)}
${
  orders.length === 0
    ? '<p>No orders yet.</p>'
    : `<table>
<caption>Orders placed in this shop</caption>
<thead><tr><th scope="col">Reference</th><th scope="col">Placed</th><th scope="col">Items</th><th scope="col" class="amount">Total</th><th scope="col">Status</th><th scope="col">Webhook events</th><th scope="col"><span class="muted">Actions</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<form method="post" action="/orders/refresh"><button type="submit" class="secondary">Refresh statuses from ServerPOS</button></form>`
}
<h2>Webhook events received</h2>
<p class="muted">Only deliveries whose ServerPOS signature verified are listed, each event once.</p>
${
  events.length === 0
    ? '<p>No webhook events yet.</p>'
    : `<table>
<caption>Webhook events</caption>
<thead><tr><th scope="col">Received</th><th scope="col">Type</th><th scope="col">Order</th><th scope="col">Payment status</th><th scope="col">Event id</th></tr></thead>
<tbody>
${eventRows}
</tbody>
</table>`
}`,
  );
}

function actionButton(ref: string, action: 'capture' | 'void' | 'refund', label: string): string {
  return `<form method="post" action="/orders/${encodeURIComponent(ref)}/${action}" class="inline"><button type="submit" class="secondary" aria-label="${label} ${escapeHtml(ref)}">${label}</button></form>`;
}

export function messagePage(frame: PageFrame, heading: string, text: string): string {
  return page(frame, `<h1>${escapeHtml(heading)}</h1>\n<p>${escapeHtml(text)}</p>\n<p><a href="/">Back to the shop</a></p>`);
}
