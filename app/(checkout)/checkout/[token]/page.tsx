import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { OrderSummary } from '@/components/checkout/order-summary';
import { Wallet } from '@/components/checkout/wallet';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Card, CardContent } from '@/components/ui/card';
import { getCheckoutPage, type CheckoutUnpayableReason } from '@/lib/checkout/get-checkout-page';
import { isAppError } from '@/lib/errors';

const unpayableText: Record<CheckoutUnpayableReason, { title: string; text: string }> = {
  paid: { title: 'This order is already paid', text: 'There is nothing more to pay. The shop has your payment.' },
  expired: { title: 'This checkout link has expired', text: 'The order can no longer be paid. Return to the shop and place it again.' },
  cancelled: { title: 'This order was cancelled', text: 'The shop cancelled this order, so it cannot be paid. Return to the shop to order again.' },
  store_unavailable: { title: 'This shop cannot take payments right now', text: 'The order cannot be paid at the moment. Please try again later, or contact the shop.' },
  service_unavailable: { title: 'Payments are unavailable for a moment', text: 'The order cannot be paid right now. Please reload this page in a few minutes.' },
};

/**
 * The hosted checkout (`/checkout/<token>`), open to anyone holding the link.
 * With `?embed=1` it renders without its frame, for shops that put it in an
 * iframe (only the origins in CHECKOUT_FRAME_ANCESTORS may).
 */
export default async function CheckoutPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const [{ token }, query] = await Promise.all([params, searchParams]);
  const embed = query.embed === '1';
  let page;
  try {
    page = await getCheckoutPage({ token });
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }

  const summary = <OrderSummary storeName={page.storeName} description={page.order.description} lineItems={page.order.lineItems} amount={page.order.amount} currency={page.order.currency} />;
  const body =
    page.state === 'payable' ? (
      <Wallet
        token={token}
        orderId={page.order.id}
        description={page.order.description}
        amount={Number(page.order.amount)}
        currency={page.order.currency}
        brands={page.brands}
        trust={page.trust}
        embed={embed}
      />
    ) : (
      <section className="space-y-4" data-testid="checkout-unpayable" data-reason={page.reason}>
        <h2 className="text-xl font-semibold tracking-tight">{unpayableText[page.reason].title}</h2>
        <Alert variant="warning">
          <AlertDescription>{unpayableText[page.reason].text}</AlertDescription>
        </Alert>
        <a href={page.returnUrl} target={embed ? '_top' : undefined} className="inline-block text-sm font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800">
          Return to the shop
        </a>
      </section>
    );

  if (embed) {
    return (
      <main className="space-y-6 bg-white p-4">
        {summary}
        {body}
      </main>
    );
  }
  return <CheckoutFrame storeName={page.storeName} summary={summary} body={body} />;
}

function CheckoutFrame(props: { storeName: string; summary: ReactNode; body: ReactNode }) {
  return (
    <div className="mx-auto flex min-h-screen max-w-xl flex-col px-4 py-8">
      <header className="mb-6">
        <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Secure checkout</p>
        <h1 className="text-2xl font-semibold tracking-tight">Pay {props.storeName}</h1>
      </header>
      <main className="flex-1">
        <Card>
          <CardContent className="space-y-8 pt-6">
            {props.summary}
            {props.body}
          </CardContent>
        </Card>
      </main>
      <footer className="mt-6 text-center text-xs text-slate-500">Payments processed by ServerPOS for {props.storeName}.</footer>
    </div>
  );
}
