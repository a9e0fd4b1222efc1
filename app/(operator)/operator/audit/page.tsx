import type { Metadata } from 'next';
import Link from 'next/link';
import { ScrollText } from 'lucide-react';
import { formatDateTime } from '@/components/format';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { auditActorTypes, listOperatorAuditEvents, type OperatorAuditFilter } from '@/lib/audit/list-operator-audit-events';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const actorTypeLabels: Record<(typeof auditActorTypes)[number], string> = {
  OPERATOR: 'Operator',
  STORE_USER: 'Store user',
  ACQUIRER: 'Acquirer',
  POS_API_KEY: 'POS API key',
  SYSTEM: 'System',
  ANONYMOUS: 'Anonymous',
};

/** The same filters with another cursor (or none), as a link. */
function pageHref(filter: OperatorAuditFilter, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) if (name !== 'cursor' && value) params.set(name, value);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `/operator/audit?${query}` : '/operator/audit';
}

export default async function OperatorAuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator();
  const { events, nextCursor, filter, ignored } = await listOperatorAuditEvents({ filter: await searchParams });
  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Who did what, newest first, 100 events a page. Days are UTC. Audit records never hold secrets." />
      <form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Action starts with
          <Input name="action" defaultValue={filter.action ?? ''} maxLength={80} placeholder="e.g. auth." />
        </label>
        <label className="flex min-w-80 flex-col gap-1 text-sm font-medium text-slate-700">
          Store id
          <Input name="storeId" defaultValue={filter.storeId ?? ''} maxLength={36} placeholder="UUID" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Actor type
          <Select name="actorType" defaultValue={filter.actorType ?? ''}>
            <option value="">Any</option>
            {auditActorTypes.map((type) => (
              <option key={type} value={type}>
                {actorTypeLabels[type]}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex min-w-80 flex-col gap-1 text-sm font-medium text-slate-700">
          Actor id
          <Input name="actorId" defaultValue={filter.actorId ?? ''} maxLength={64} placeholder="UUID" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          From
          <Input name="from" type="date" defaultValue={filter.from ?? ''} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          To
          <Input name="to" type="date" defaultValue={filter.to ?? ''} />
        </label>
        <Button type="submit">Filter</Button>
        <Link className="pb-2 text-sm text-brand-600 hover:underline" href="/operator/audit">
          Clear
        </Link>
      </form>
      {ignored.length > 0 ? (
        <Alert variant="warning" data-testid="ignored-filters">
          <AlertDescription>
            <p>Some filters were left out:</p>
            <ul className="list-disc pl-5">
              {ignored.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          </AlertDescription>
        </Alert>
      ) : null}
      {events.length === 0 ? (
        <EmptyState icon={ScrollText} title="No events" description="Nothing recorded matches these filters." />
      ) : (
        <Table aria-label="Audit events" data-testid="audit-events">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Actor</TableHead>
              <TableHead>Store</TableHead>
              <TableHead>Target</TableHead>
              <TableHead>From</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.map((event) => (
              <TableRow key={event.id}>
                <TableCell className="whitespace-nowrap">{formatDateTime(event.createdAt)}</TableCell>
                <TableCell>
                  <span className="font-mono text-xs">{event.action}</span>
                  {event.actionLabel ? <span className="block text-xs text-slate-600">{event.actionLabel}</span> : null}
                </TableCell>
                <TableCell className="text-xs" data-testid="audit-actor">
                  {actorTypeLabels[event.actorType]}
                  {event.actorName ? <span className="block text-slate-700">{event.actorName}</span> : null}
                  {event.actorId ? <span className="block font-mono text-slate-500">{event.actorId}</span> : null}
                </TableCell>
                <TableCell>
                  {event.store ? (
                    <Link className="text-brand-600 hover:underline" href={`/operator/stores/${event.store.id}`}>
                      {event.store.name}
                    </Link>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </TableCell>
                <TableCell className="font-mono text-xs">{event.targetType ? `${event.targetType} ${event.targetId ?? ''}` : '—'}</TableCell>
                <TableCell className="font-mono text-xs">{event.ipAddress ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className="flex gap-4 text-sm">
        {filter.cursor ? (
          <Link className="font-medium text-brand-600 hover:underline" href={pageHref(filter, null)}>
            Newest
          </Link>
        ) : null}
        {nextCursor ? (
          <Link className="font-medium text-brand-600 hover:underline" href={pageHref(filter, nextCursor)}>
            Older
          </Link>
        ) : null}
      </div>
    </div>
  );
}
