import type { Metadata } from 'next';
import { Landmark } from 'lucide-react';
import { StatusBadge } from '@/components/console/status-badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { listAcquirers } from '@/lib/operator/list-acquirers';

export const metadata: Metadata = { title: 'Acquirers' };

export default async function OperatorAcquirersPage() {
  await requireOperator();
  const acquirers = await listAcquirers();
  return (
    <div className="space-y-6">
      <PageHeader title="Acquirers" description="The settlement institutions ServerPOS connects stores to, and their payment gateways." />
      {acquirers.length === 0 ? (
        <EmptyState icon={Landmark} title="No acquirers yet" description="Acquirers appear here once they are onboarded with their gateway and certificates." />
      ) : (
        <Table>
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
    </div>
  );
}
