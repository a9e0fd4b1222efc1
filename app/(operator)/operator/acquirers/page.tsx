import type { Metadata } from 'next';
import Link from 'next/link';
import { Landmark } from 'lucide-react';
import { StatusBadge } from '@/components/console/status-badge';
import { AcquirerForm } from '@/components/operator/acquirer-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { acquirerBrands } from '@/lib/acquirers/acquirer-schema';
import { requireOperator } from '@/lib/auth/current';
import { listAcquirers } from '@/lib/operator/list-acquirers';
import { createAcquirerAction } from './actions';

export const metadata: Metadata = { title: 'Acquirers' };

export default async function OperatorAcquirersPage() {
  await requireOperator();
  const acquirers = await listAcquirers();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Acquirers"
        description="The settlement institutions ServerPOS connects stores to, and their payment gateways. Open one for its settings, BIN ranges, gateway certificates and API credentials."
      />
      {acquirers.length === 0 ? (
        <EmptyState icon={Landmark} title="No acquirers yet" description="Add the first acquirer below with its gateway, registry and brands." />
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
              <TableRow key={acquirer.id} data-testid={`acquirer-${acquirer.code}`}>
                <TableCell className="font-medium">
                  <Link className="text-brand-600 hover:underline" href={`/operator/acquirers/${acquirer.id}`}>
                    {acquirer.name}
                  </Link>
                </TableCell>
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
      <Card>
        <CardHeader>
          <CardTitle>Add an acquirer</CardTitle>
          <CardDescription>Active at once: stores can apply to it. Add its BIN ranges and issue its API credentials on its own page.</CardDescription>
        </CardHeader>
        <CardContent>
          <AcquirerForm mode="create" brands={acquirerBrands} action={createAcquirerAction} />
        </CardContent>
      </Card>
    </div>
  );
}
