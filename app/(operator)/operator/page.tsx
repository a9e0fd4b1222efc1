import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { requireOperator } from '@/lib/auth/current';
import { getOperatorOverview } from '@/lib/operator/get-operator-overview';

export const metadata: Metadata = { title: 'Operator overview' };

export default async function OperatorOverviewPage() {
  await requireOperator();
  const overview = await getOperatorOverview();
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Stores, acquirers and outgoing messages across ServerPOS." />
      <section aria-label="Stores by status" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Active stores" value={overview.stores.active} />
        <Stat label="Pending stores" value={overview.stores.pending} hint="Signed up, e-mail or acquirer verification outstanding" />
        <Stat label="Suspended stores" value={overview.stores.suspended} />
        <Stat label="Withdrawn stores" value={overview.stores.withdrawn} />
      </section>
      <section aria-label="Platform" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Acquirers" value={overview.acquirers} />
        <Stat label="Sign-ups, last 7 days" value={overview.recentSignUps} />
        <Stat label="Outbox waiting" value={overview.outbox.pending} hint="E-mails and notifications not yet delivered" />
        <Stat label="Outbox failed" value={overview.outbox.failed} hint="Gave up after every retry" />
      </section>
      <Card>
        <CardHeader>
          <CardTitle>Where to go next</CardTitle>
          <CardDescription>Every change made anywhere in ServerPOS is in the audit log.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-4 text-sm">
          <Link className="font-medium text-brand-600 hover:underline" href="/operator/stores">
            Find a store
          </Link>
          <Link className="font-medium text-brand-600 hover:underline" href="/operator/acquirers">
            Acquirers
          </Link>
          <Link className="font-medium text-brand-600 hover:underline" href="/operator/audit">
            Audit log
          </Link>
        </CardContent>
      </Card>
    </div>
  );
}
