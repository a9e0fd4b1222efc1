import type { Metadata } from 'next';
import Link from 'next/link';
import { ScrollText } from 'lucide-react';
import { formatDateTime } from '@/components/format';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { auditActionGroups } from '@/lib/audit/audit-actions';
import { listStoreAuditEvents } from '@/lib/audit/list-audit-events';
import { requireStoreUser } from '@/lib/auth/current';

export const metadata: Metadata = { title: 'Audit log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function StoreAuditPage({ params, searchParams }: { params: Promise<{ storeId: string }>; searchParams: SearchParams }) {
  const { storeId } = await params;
  const user = await requireStoreUser(storeId);
  const { events, nextCursor, filter } = await listStoreAuditEvents({ storeId, actor: { type: 'STORE_USER', id: user.userId }, filter: await searchParams });
  const base = `/console/stores/${storeId}/audit`;
  const filterQuery = { ...(filter.action ? { action: filter.action } : {}), ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}) };
  const olderHref = nextCursor ? `${base}?${new URLSearchParams({ ...filterQuery, cursor: nextCursor })}` : null;
  const newestHref = `${base}${Object.keys(filterQuery).length > 0 ? `?${new URLSearchParams(filterQuery)}` : ''}`;
  const filtered = Object.keys(filterQuery).length > 0;

  return (
    <div className="space-y-6">
      <PageHeader title="Audit log" description="Who did what in your store, when, and from where. Newest first; times in UTC." />
      <form method="get" action={base} role="search" aria-label="Filter the audit log" className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Activity
          <Select name="action" defaultValue={filter.action ?? ''}>
            <option value="">All activity</option>
            {auditActionGroups.map((group) => (
              <option key={group.prefix} value={group.prefix}>
                {group.label}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          From
          <Input type="date" name="from" defaultValue={filter.from ?? ''} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          To
          <Input type="date" name="to" defaultValue={filter.to ?? ''} />
        </label>
        <Button type="submit">Filter</Button>
        {filtered ? (
          <Button asChild variant="ghost">
            <Link href={base}>Clear filters</Link>
          </Button>
        ) : null}
      </form>
      {events.length === 0 ? (
        <EmptyState icon={ScrollText} title="No events" description={filtered || filter.cursor ? 'Nothing recorded matches these filters.' : 'Sign-ins, changes and alerts of your store will be listed here.'} />
      ) : (
        <Table data-testid="audit-log">
          <TableHeader>
            <TableRow>
              <TableHead>When</TableHead>
              <TableHead>Who</TableHead>
              <TableHead>What</TableHead>
              <TableHead>Target</TableHead>
              <TableHead>From where</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {events.map((event) => (
              <TableRow key={event.id} data-testid="audit-event" data-action={event.action}>
                <TableCell className="whitespace-nowrap align-top">{formatDateTime(event.createdAt)}</TableCell>
                <TableCell className="align-top text-sm">
                  {event.actor.label}
                  {event.actor.detail ? <span className="block text-xs text-slate-600">{event.actor.detail}</span> : null}
                </TableCell>
                <TableCell className="align-top text-sm">
                  {event.actionLabel ?? <span className="text-slate-600">Other activity</span>}
                  <span className="block font-mono text-xs text-slate-500">{event.action}</span>
                  {event.details.length > 0 ? (
                    <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs text-slate-600">
                      {event.details.map((detail) => (
                        <div key={detail.label} className="contents">
                          <dt className="font-medium">{detail.label}</dt>
                          <dd className="break-all">{detail.value}</dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </TableCell>
                <TableCell className="align-top text-xs">
                  {event.target ? (
                    <>
                      {event.target.type}
                      <span className="block break-all text-slate-600">{event.target.label ?? <span className="font-mono">{event.target.id ?? ''}</span>}</span>
                    </>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </TableCell>
                <TableCell className="align-top text-xs">
                  {event.origin.ipAddress || event.origin.userAgentSummary ? (
                    <>
                      {event.origin.ipAddress ? <span className="block font-mono">{event.origin.ipAddress}</span> : null}
                      {event.origin.userAgentSummary ? (
                        <span className="block text-slate-600" title={event.origin.userAgent ?? undefined}>
                          {event.origin.userAgentSummary}
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {filter.cursor || olderHref ? (
        <nav aria-label="Audit log pages" className="flex gap-3">
          {filter.cursor ? (
            <Button asChild variant="outline">
              <Link href={newestHref}>Newest events</Link>
            </Button>
          ) : null}
          {olderHref ? (
            <Button asChild variant="outline">
              <Link href={olderHref}>Older events</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
