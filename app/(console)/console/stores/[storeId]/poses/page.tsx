import type { Metadata } from 'next';
import { MonitorSmartphone } from 'lucide-react';
import { StatusBadge } from '@/components/console/status-badge';
import { formatDate } from '@/components/format';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { listPoses } from '@/lib/stores/list-poses';

export const metadata: Metadata = { title: 'POSes' };

export default async function PosesPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const poses = await listPoses(storeId);
  return (
    <div className="space-y-6">
      <PageHeader title="POSes" description="Each POS has its own API keys and its own set of acquirers — for example a web shop and phone orders." />
      {poses.length === 0 ? (
        <EmptyState icon={MonitorSmartphone} title="No POS yet" description="A POS is created when your store registers with its first acquirer." />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Acquirers</TableHead>
              <TableHead>Active API keys</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Created</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {poses.map((pos) => (
              <TableRow key={pos.id}>
                <TableCell className="font-medium">{pos.name}</TableCell>
                <TableCell>
                  {pos.acquirers.length === 0 ? (
                    <span className="text-slate-500">None</span>
                  ) : (
                    <ul className="space-y-1">
                      {pos.acquirers.map((link) => (
                        <li key={link.id} className="flex items-center gap-2">
                          {link.acquirer.name} <StatusBadge status={link.status} />
                        </li>
                      ))}
                    </ul>
                  )}
                </TableCell>
                <TableCell>{pos._count.apiKeys}</TableCell>
                <TableCell>
                  <StatusBadge status={pos.status} />
                </TableCell>
                <TableCell>{formatDate(pos.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
