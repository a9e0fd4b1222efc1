import { formatMoney } from '@/components/format';
import type { CheckoutLineItem } from '@/lib/checkout/get-checkout-page';

/** The order as the shop registered it: items, quantities and the total the customer is asked to pay. */
export function OrderSummary(props: { storeName: string; description: string; lineItems: CheckoutLineItem[]; amount: bigint; currency: string }) {
  return (
    <section aria-labelledby="order-summary-heading" className="space-y-3">
      <h2 id="order-summary-heading" className="text-sm font-semibold text-slate-900">
        Your order from <span data-testid="checkout-store-name">{props.storeName}</span>
      </h2>
      {props.lineItems.length > 0 ? (
        <table className="w-full text-sm" data-testid="order-lines">
          <caption className="sr-only">Items in your order</caption>
          <thead className="sr-only">
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {props.lineItems.map((item, index) => (
              <tr key={index}>
                <td className="py-2 pr-3 text-slate-900">
                  {item.name}
                  {item.quantity > 1 ? <span className="block text-xs text-slate-500">{formatMoney(item.unitAmount, props.currency)} each</span> : null}
                </td>
                <td className="py-2 pr-3 text-right text-slate-600 tabular-nums">× {item.quantity}</td>
                <td className="py-2 text-right text-slate-900 tabular-nums">{formatMoney(item.amount, props.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="whitespace-pre-line text-sm text-slate-700">{props.description}</p>
      )}
      <p className="flex items-baseline justify-between border-t border-slate-300 pt-3 text-base font-semibold">
        <span>Total</span>
        <span className="tabular-nums" data-testid="order-total">
          {formatMoney(props.amount, props.currency)}
        </span>
      </p>
    </section>
  );
}
