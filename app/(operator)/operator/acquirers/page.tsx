import type { Metadata } from 'next';
import { Landmark } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import { BinRangeForm } from '@/components/operator/bin-range-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { listBinRanges } from '@/lib/acquirers/list-bin-ranges';
import { requireOperator } from '@/lib/auth/current';
import { listAcquirers } from '@/lib/operator/list-acquirers';
import { addBinRangeAction, deleteBinRangeAction } from './actions';

export const metadata: Metadata = { title: 'Acquirers' };

export default async function OperatorAcquirersPage() {
  await requireOperator();
  const [acquirers, binRanges] = await Promise.all([listAcquirers(), listBinRanges()]);
  return (
    <div className="space-y-6">
      <PageHeader title="Acquirers" description="The settlement institutions ServerPOS connects stores to, and their payment gateways." />
      {acquirers.length === 0 ? (
        <EmptyState icon={Landmark} title="No acquirers yet" description="Acquirers appear here once they are onboarded with their gateway and certificates." />
      ) : (
        <Table aria-label="Acquirers" data-testid="acquirers-table">
          <TableHeader>
            <TableRow>
              <TableHead>Acquirer</TableHead>
              <TableHead>Code</TableHead>
              <TableHead>Brands</TableHead>
              <TableHead>Gateway</TableHead>
              <TableHead>Store contracts</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {acquirers.map((acquirer) => (
              <TableRow key={acquirer.id}>
                <TableCell className="font-medium">{acquirer.name}</TableCell>
                <TableCell className="font-mono text-xs">{acquirer.code}</TableCell>
                <TableCell>{acquirer.brands.join(', ')}</TableCell>
                <TableCell className="font-mono text-xs">{acquirer.gatewayUrl}</TableCell>
                <TableCell>{acquirer._count.contracts}</TableCell>
                <TableCell>
                  <StatusBadge status={acquirer.status} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {acquirers.length > 0 ? (
        <section className="space-y-4" aria-labelledby="bin-routing">
          <div className="space-y-1">
            <h2 id="bin-routing" className="text-lg font-semibold text-slate-900">
              BIN routing
            </h2>
            <p className="max-w-3xl text-sm text-slate-600">
              When a store’s POS can pay a brand through several acquirers, the checkout sends the card to the acquirer whose range below holds the card’s BIN (its first six digits), the narrowest range first;
              equal ranges go to the acquirer first by name. A card no range holds goes to the first of those acquirers by name. Ranges of 7 or 8 digits apply only to wallets that send that many digits.
            </p>
          </div>
          {acquirers.map((acquirer) => {
            const ranges = binRanges.filter((range) => range.acquirerId === acquirer.id);
            return (
              <Card key={acquirer.id} role="region" aria-labelledby={`bin-ranges-${acquirer.id}`} data-testid={`bin-ranges-${acquirer.code}`}>
                <CardHeader>
                  <CardTitle id={`bin-ranges-${acquirer.id}`}>BIN ranges of {acquirer.name}</CardTitle>
                  <CardDescription>{ranges.length === 0 ? 'None: cards reach this acquirer only as the fallback.' : `${ranges.length} range${ranges.length === 1 ? '' : 's'}.`}</CardDescription>
                </CardHeader>
                <CardContent className="space-y-4">
                  {ranges.length > 0 ? (
                    <Table aria-label={`BIN ranges of ${acquirer.name}`}>
                      <TableHeader>
                        <TableRow>
                          <TableHead>Brand</TableHead>
                          <TableHead>First BIN</TableHead>
                          <TableHead>Last BIN</TableHead>
                          <TableHead>
                            <span className="sr-only">Actions</span>
                          </TableHead>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {ranges.map((range) => (
                          <TableRow key={range.id} data-testid={`bin-range-${range.brand}-${range.binFrom}-${range.binTo}`}>
                            <TableCell>{range.brand}</TableCell>
                            <TableCell className="font-mono text-xs">{range.binFrom}</TableCell>
                            <TableCell className="font-mono text-xs">{range.binTo}</TableCell>
                            <TableCell>
                              <ActionForm action={deleteBinRangeAction} hidden={{ binRangeId: range.id }} label="Delete" pendingLabel="Deleting…" variant="destructive" />
                            </TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  ) : null}
                  <BinRangeForm acquirerId={acquirer.id} acquirerName={acquirer.name} brands={acquirer.brands} action={addBinRangeAction} />
                </CardContent>
              </Card>
            );
          })}
        </section>
      ) : null}
    </div>
  );
}
