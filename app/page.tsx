import Link from 'next/link';
import { CreditCard, KeyRound, ShieldCheck, Store } from 'lucide-react';
import { Button } from '@/components/ui/button';

const features = [
  { icon: Store, title: 'One POS per store, hosted', text: 'Every store gets its own virtual POS — several, if it sells in several places — with nothing to install.' },
  { icon: KeyRound, title: 'Certificates handled', text: 'Key pairs and certificates per acquirer, renewed in one action, with alerts long before they expire.' },
  { icon: CreditCard, title: 'Any acquirer, one connection', text: 'One API and one SDK whatever acquirer a store uses; card data is sealed for the gateway alone.' },
  { icon: ShieldCheck, title: 'Built for trust', text: 'Private keys encrypted at rest, every change audited, and no card number ever seen in clear.' },
];

export default function HomePage() {
  return (
    <main className="mx-auto max-w-5xl px-6 py-16">
      <header className="flex items-center justify-between">
        <span className="text-lg font-semibold tracking-tight">ServerPOS</span>
        <nav className="flex gap-2">
          <Button asChild variant="ghost">
            <Link href="/login">Sign in</Link>
          </Button>
          <Button asChild>
            <Link href="/signup">Sign up your store</Link>
          </Button>
        </nav>
      </header>
      <section className="mt-20 max-w-2xl">
        <h1 className="text-4xl font-semibold tracking-tight text-slate-900">The payment POS your store does not have to run.</h1>
        <p className="mt-4 text-lg text-slate-600">
          ServerPOS runs a secure, SET-style POS for every store it hosts and talks to each acquirer&apos;s payment gateway on the store&apos;s behalf.
        </p>
      </section>
      <section className="mt-16 grid gap-6 sm:grid-cols-2">
        {features.map(({ icon: Icon, title, text }) => (
          <div key={title} className="rounded-lg border border-slate-200 bg-white p-6">
            <Icon className="size-6 text-brand-600" aria-hidden />
            <h2 className="mt-3 font-semibold">{title}</h2>
            <p className="mt-1 text-sm text-slate-600">{text}</p>
          </div>
        ))}
      </section>
      <footer className="mt-16 text-sm text-slate-500">
        Operator? <Link className="text-brand-600 underline" href="/login?as=operator">Sign in to the operator console</Link>.
      </footer>
    </main>
  );
}
