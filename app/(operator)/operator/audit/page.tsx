import type { Metadata } from 'next';
import { ScrollText } from 'lucide-react';
import { formatDateTime } from '@/components/format';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { auditFilterSchema, listAuditEvents } from '@/lib/audit/list-audit-events';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OperatorAuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator();
  const filter = auditFilterSchema.parse(await searchParams);
  const events = await listAuditEvents(filter);
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Who did what, newest first (up to 200 events). Audit records never hold secrets." />
      <form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Action starts with
          <Input name="action" defaultValue={filter.action ?? ''} maxLength={80} placeholder="e.g. auth." />
        </label>
        <label className="flex min-w-80 flex-col gap-1 text-sm font-medium text-slate-700">
          Store id
          <Input name="storeId" defaultValue={filter.storeId ?? ''} maxLength={36} placeholder="UUID" />
        </label>
        <Button type="submit">Filter</Button>
      </form>
      {events.length === 0 ? (
        <EmptyState icon={ScrollText} title="No events" description="Nothing recorded matches these filters." />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Actor</TableHead>
              <TableHead>Store</TableHead>
              <TableHead>Target</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.map((event) => (
              <TableRow key={event.id}>
                <TableCell className="whitespace-nowrap">{formatDateTime(event.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">{event.action}</TableCell>
                <TableCell className="text-xs">
                  {event.actorType.toLowerCase().replaceAll('_', ' ')}
                  {event.actorId ? <span className="block font-mono text-slate-500">{event.actorId}</span> : null}
                </TableCell>
                <TableCell>{event.store?.name ?? <span className="text-slate-500">—</span>}</TableCell>
                <TableCell className="font-mono text-xs">{event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
