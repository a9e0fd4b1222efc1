import type { Metadata } from 'next';
import Link from 'next/link';
import { Store } from 'lucide-react';
import { StatusBadge } from '@/components/console/status-badge';
import { formatDate } from '@/components/format';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { searchStores, storeSearchSchema } from '@/lib/operator/search-stores';

export const metadata: Metadata = { title: 'Stores' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OperatorStoresPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator();
  const query = storeSearchSchema.parse(await searchParams);
  const stores = await searchStores(query);
  return (
    <div className="space-y-6">
      <PageHeader title="Stores" description="Every store on ServerPOS, newest first (up to 100)." />
      <form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
          Name or e-mail
          <Input name="q" defaultValue={query.q ?? ''} maxLength={120} placeholder="e.g. Sakura" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <Select name="status" defaultValue={query.status ?? ''}>
            <option value="">Any</option>
            <option value="PENDING">Pending</option>
            <option value="ACTIVE">Active</option>
            <option value="SUSPENDED">Suspended</option>
            <option value="WITHDRAWN">Withdrawn</option>
          </Select>
        </label>
        <Button type="submit">Search</Button>
      </form>
      {stores.length === 0 ? (
        <EmptyState icon={Store} title="No stores found" description="No store matches this search. Clear the filters to see every store." />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Store</TableHead>
              <TableHead>Contact</TableHead>
              <TableHead>POSes</TableHead>
              <TableHead>Contracts</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Signed up</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {stores.map((store) => (
              <TableRow key={store.id}>
                <TableCell className="font-medium">
                  <Link className="text-brand-600 hover:underline" href={`/operator/stores/${store.id}`}>
                    {store.name}
                  </Link>
                </TableCell>
                <TableCell>{store.contactEmail}</TableCell>
                <TableCell>{store._count.poses}</TableCell>
                <TableCell>{store._count.contracts}</TableCell>
                <TableCell>
                  <StatusBadge status={store.status} />
                </TableCell>
                <TableCell>{formatDate(store.createdAt)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
