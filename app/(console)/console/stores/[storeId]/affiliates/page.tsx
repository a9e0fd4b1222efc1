import type { Metadata } from 'next';
import { Handshake } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { AffiliateGrantForm } from '@/components/console/affiliate-grant-form';
import { StatusBadge } from '@/components/console/status-badge';
import { formatMoney } from '@/components/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { listAffiliateGrants, type AffiliateGrantView } from '@/lib/affiliates/list-affiliate-grants';
import { listLendablePoses } from '@/lib/affiliates/list-lendable-poses';
import { requireStoreUser } from '@/lib/auth/current';
import { supportedCurrencies } from '@/lib/payments/currencies';
import { grantAffiliateAction, revokeAffiliateGrantAction } from './actions';

export const metadata: Metadata = { title: 'Affiliates' };

const day = (value: Date) => value.toISOString().slice(0, 10);

function limit(amount: bigint | null, currency: string | null): string {
  if (amount === null) return 'no limit';
  return currency ? formatMoney(amount, currency) : amount.toString();
}

/** The terms of a grant as table cells, the same for grants given and received. */
function TermsCells({ grant }: { grant: AffiliateGrantView }) {
  return (
    <>
      <TableCell>{grant.brands.join(', ')}</TableCell>
      <TableCell className="tabular-nums">{limit(grant.maxAmount, grant.currency)}</TableCell>
      <TableCell className="tabular-nums">
        {limit(grant.dailyLimit, grant.currency)}
        <span className="block text-xs text-slate-500">used today: {limit(grant.usedToday, grant.currency)}</span>
      </TableCell>
      <TableCell className="whitespace-nowrap">
        {day(grant.validFrom)} – {day(grant.validUntil)}
      </TableCell>
      <TableCell>
        <StatusBadge status={grant.state} />
        {grant.revokedAt ? <span className="block text-xs text-slate-500">withdrawn {day(grant.revokedAt)}</span> : null}
      </TableCell>
    </>
  );
}

const termsHeads = (
  <>
    <TableHead>Brands</TableHead>
    <TableHead>Per payment</TableHead>
    <TableHead>Per day (UTC)</TableHead>
    <TableHead>Valid (UTC)</TableHead>
    <TableHead>Status</TableHead>
  </>
);

export default async function AffiliatesPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const now = new Date();
  const [{ given, received }, poses] = await Promise.all([listAffiliateGrants(storeId, now), listLendablePoses(storeId)]);
  return (
    <div className="space-y-6">
      <PageHeader title="Affiliates" description="Let other stores sell through your POSes within limits you set, and sell through the POSes other stores lend you. Such payments are tagged, and both stores see them." />
      <Card>
        <CardHeader>
          <CardTitle>Your store id</CardTitle>
          <CardDescription>Give it to a store that wants to let you use its POS.</CardDescription>
        </CardHeader>
        <CardContent>
          <code className="rounded bg-slate-100 px-2 py-1 font-mono text-sm" data-testid="own-store-id">
            {storeId}
          </code>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Let another store use a POS</CardTitle>
          <CardDescription>
            Its shop places orders on your POS with its own POS API key; the payments run under your acquirer contracts and certificates, within these limits. Only the store’s owner can grant or withdraw.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {poses.length === 0 ? (
            <p className="text-sm text-slate-600">None of your POSes is registered with an acquirer yet, so there is nothing to lend.</p>
          ) : (
            <AffiliateGrantForm storeId={storeId} poses={poses} currencies={[...supportedCurrencies]} today={day(now)} inAMonth={day(new Date(now.getTime() + 30 * 86_400_000))} action={grantAffiliateAction} />
          )}
        </CardContent>
      </Card>

      <section className="space-y-3" aria-labelledby="grants-given">
        <h2 id="grants-given" className="text-lg font-semibold text-slate-900">
          Given: stores that may use your POSes
        </h2>
        {given.length === 0 ? (
          <EmptyState icon={Handshake} title="No store may use your POSes" description="Grants you give appear here, with what each store used today." />
        ) : (
          <Table aria-label="Grants given" data-testid="grants-given">
            <TableHeader>
              <TableRow>
                <TableHead>Store</TableHead>
                <TableHead>Your POS</TableHead>
                {termsHeads}
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {given.map((grant) => (
                <TableRow key={grant.id} data-testid={`grant-given-${grant.otherStore.id}`}>
                  <TableCell className="font-medium">{grant.otherStore.name}</TableCell>
                  <TableCell>{grant.pos.name}</TableCell>
                  <TermsCells grant={grant} />
                  <TableCell>
                    {grant.state === 'ACTIVE' || grant.state === 'SCHEDULED' ? (
                      <ActionForm action={revokeAffiliateGrantAction} hidden={{ storeId, grantId: grant.id }} label="Withdraw" pendingLabel="Withdrawing…" variant="destructive" confirm={`Stop ${grant.otherStore.name} selling through ${grant.pos.name}.`} />
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>

      <section className="space-y-3" aria-labelledby="grants-received">
        <h2 id="grants-received" className="text-lg font-semibold text-slate-900">
          Received: POSes of other stores you may use
        </h2>
        <p className="max-w-3xl text-sm text-slate-600">
          Your shop sells through one of these by sending its POS id as <code className="font-mono">viaPosId</code> when it registers an order (POST /api/v1/pos/orders) with its own POS API key.
        </p>
        {received.length === 0 ? (
          <EmptyState icon={Handshake} title="No other store lends you a POS" description="When a store lets yours use one of its POSes, it appears here with its POS id and limits." />
        ) : (
          <Table aria-label="Grants received" data-testid="grants-received">
            <TableHeader>
              <TableRow>
                <TableHead>Store</TableHead>
                <TableHead>Its POS (viaPosId)</TableHead>
                {termsHeads}
              </TableRow>
            </TableHeader>
            <TableBody>
              {received.map((grant) => (
                <TableRow key={grant.id} data-testid={`grant-received-${grant.pos.id}`}>
                  <TableCell className="font-medium">{grant.otherStore.name}</TableCell>
                  <TableCell>
                    {grant.pos.name}
                    <code className="block font-mono text-xs text-slate-600">{grant.pos.id}</code>
                  </TableCell>
                  <TermsCells grant={grant} />
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </div>
  );
}
