import Link from 'next/link';
import { Button } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-lg flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-slate-600">There is nothing here, or it belongs to someone else. Check the address, or go back to your console.</p>
      <Button asChild>
        <Link href="/console">Go to the console</Link>
      </Button>
    </main>
  );
}
