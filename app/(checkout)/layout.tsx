import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'Checkout',
  // A checkout link is a customer's own: search engines have no business with it.
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

/** The hosted checkout: no console navigation, no sign-in; the page draws its own frame (or none, when embedded). */
export default function CheckoutLayout({ children }: { children: ReactNode }) {
  return <div className="min-h-screen bg-slate-50 text-slate-900">{children}</div>;
}
