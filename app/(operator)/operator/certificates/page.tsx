import type { Metadata } from 'next';
import Link from 'next/link';
import { ShieldCheck } from 'lucide-react';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { listExpiringCertificates, type ExpiryWindow } from '@/lib/operator/list-expiring-certificates';
import { cn } from '@/lib/utils/cn';

export const metadata: Metadata = { title: 'Certificate expiry' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const windows: { value: ExpiryWindow; label: string }[] = [
  { value: '7', label: 'Within 7 days' },
  { value: '30', label: 'Within 30 days' },
  { value: '90', label: 'Within 90 days' },
  { value: 'expired', label: 'Expired' },
];

export default async function OperatorCertificatesPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator();
  const { rows, total, nextCursor, filter } = await listExpiringCertificates({ filter: await searchParams });
  const expired = filter.window === 'expired';
  return (
    <div className="space-y-6">
      <PageHeader
        title="Certificate expiry"
        description="Certificates in use across every store: those ending soon, soonest first, or those that ended without a renewal, most recent first. Stores are e-mailed 30, 14, 7 and 1 days before."
      />
      <nav aria-label="Window" className="flex flex-wrap gap-2">
        {windows.map((window) => (
          <Link
            key={window.value}
            href={`/operator/certificates?window=${window.value}`}
            aria-current={filter.window === window.value ? 'page' : undefined}
            className={cn(
              'rounded-md border px-3 py-1.5 text-sm font-medium',
              filter.window === window.value ? 'border-brand-600 bg-brand-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50',
            )}
          >
            {window.label}
          </Link>
        ))}
      </nav>
      <p className="text-sm text-slate-600" data-testid="certificate-count">
        {total === 0 ? 'None.' : `${total} certificate${total === 1 ? '' : 's'}${total > rows.length || filter.cursor ? `; showing ${rows.length} on this page` : ''}.`}
      </p>
      {rows.length === 0 ? (
        <EmptyState icon={ShieldCheck} title={expired ? 'No expired certificate' : 'Nothing ends in this window'} description="Every certificate in use is valid beyond it." />
      ) : (
        <Table aria-label="Certificates by expiry" data-testid="expiring-certificates">
          <TableHeader>
            <TableRow>
              <TableHead>Store</TableHead>
              <TableHead>POS</TableHead>
              <TableHead>Acquirer</TableHead>
              <TableHead>Usage</TableHead>
              <TableHead>Serial</TableHead>
              <TableHead>Not after</TableHead>
              <TableHead>Days left</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.id}>
                <TableCell className="font-medium">
                  <Link className="text-brand-600 hover:underline" href={`/operator/stores/${row.store.id}`}>
                    {row.store.name}
                  </Link>
                </TableCell>
                <TableCell>{row.pos.name}</TableCell>
                <TableCell>{row.acquirer.code}</TableCell>
                <TableCell>{row.usage === 'SIGNATURE' ? 'signature' : 'key exchange'}</TableCell>
                <TableCell className="font-mono text-xs">{row.serialNumber}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(row.notAfter)}</TableCell>
                <TableCell>
                  <Badge variant={row.daysLeft <= 0 ? 'danger' : row.daysLeft <= 7 ? 'danger' : row.daysLeft <= 30 ? 'warning' : 'neutral'}>{row.daysLeft <= 0 ? 'ended' : `${row.daysLeft}`}</Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className="flex gap-4 text-sm">
        {filter.cursor ? (
          <Link className="font-medium text-brand-600 hover:underline" href={`/operator/certificates?window=${filter.window}`}>
            First page
          </Link>
        ) : null}
        {nextCursor ? (
          <Link className="font-medium text-brand-600 hover:underline" href={`/operator/certificates?window=${filter.window}&cursor=${nextCursor}`}>
            Next page
          </Link>
        ) : null}
      </div>
    </div>
  );
}
