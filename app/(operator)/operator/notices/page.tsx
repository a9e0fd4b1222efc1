import type { Metadata } from 'next';
import { Megaphone } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { formatDateTime } from '@/components/format';
import { NoticeForm } from '@/components/operator/notice-form';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { listNoticesForOperator, type NoticeTarget } from '@/lib/notices/list-notices-for-operator';
import type { NoticeStatus } from '@/lib/notices/notice-status';
import { listAcquirers } from '@/lib/operator/list-acquirers';
import { publishNoticeAction, withdrawNoticeAction } from './actions';

export const metadata: Metadata = { title: 'Notices' };

const kindLabels = { NOTICE: 'Notice', ALERT: 'Alert', ADVERTISEMENT: 'Advertisement', INFORMATION: 'Information panel' } as const;
const statusVariants = { scheduled: 'info', live: 'success', ended: 'neutral', withdrawn: 'neutral' } as const satisfies Record<NoticeStatus, string>;

function targetText(target: NoticeTarget): string {
  if (target.type === 'all') return 'All stores';
  if (target.type === 'store') return `Store ${target.storeName}`;
  return target.acquirers.length === 0 ? 'Stores of acquirers no longer listed' : `Stores of ${target.acquirers.map((acquirer) => acquirer.name).join(', ')}`;
}

export default async function OperatorNoticesPage() {
  await requireOperator();
  const [notices, acquirers] = await Promise.all([listNoticesForOperator(), listAcquirers()]);
  return (
    <div className="space-y-6">
      <PageHeader title="Notices" description="Notices, alerts, advertisements and third-party information panels shown at the top of the store console, to all stores or to the stores of some acquirers." />
      <Card>
        <CardHeader>
          <CardTitle>Publish a notice</CardTitle>
          <CardDescription>Stores see it on their console from its start until its end or until you withdraw it; each store can dismiss it for itself. Times are UTC.</CardDescription>
        </CardHeader>
        <CardContent>
          <NoticeForm acquirers={acquirers.map(({ id, name, code }) => ({ id, name, code }))} action={publishNoticeAction} />
        </CardContent>
      </Card>
      {notices.length === 0 ? (
        <EmptyState icon={Megaphone} title="No notices yet" description="Notices you publish are listed here with their schedule and how many stores dismissed them." />
      ) : (
        <Table aria-label="Notices" data-testid="notices-table">
          <TableHeader>
            <TableRow>
              <TableHead>Notice</TableHead>
              <TableHead>Shown to</TableHead>
              <TableHead>Schedule (UTC)</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Dismissed by</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {notices.map((notice) => (
              <TableRow key={notice.id} data-testid={`notice-row-${notice.id}`}>
                <TableCell className="max-w-md">
                  <p className="font-medium text-slate-900">{notice.title}</p>
                  <p className="text-xs text-slate-500">
                    {kindLabels[notice.kind]}
                    {notice.linkUrl ? <span className="ml-1 break-all">· {notice.linkUrl}</span> : null}
                  </p>
                </TableCell>
                <TableCell>{targetText(notice.target)}</TableCell>
                <TableCell className="whitespace-nowrap text-xs">
                  {formatDateTime(notice.publishedAt)}
                  <span className="block text-slate-500">{notice.expiresAt ? `until ${formatDateTime(notice.expiresAt)}` : 'no end'}</span>
                </TableCell>
                <TableCell>
                  <Badge variant={statusVariants[notice.status]}>{notice.status.charAt(0).toUpperCase() + notice.status.slice(1)}</Badge>
                  {notice.withdrawnAt ? <span className="block text-xs text-slate-500">{formatDateTime(notice.withdrawnAt)}</span> : null}
                </TableCell>
                <TableCell data-testid="notice-dismissals">
                  {notice.dismissals} store{notice.dismissals === 1 ? '' : 's'}
                </TableCell>
                <TableCell>
                  {notice.status === 'scheduled' || notice.status === 'live' ? (
                    <ActionForm action={withdrawNoticeAction} hidden={{ noticeId: notice.id }} label="Withdraw" pendingLabel="Withdrawing…" variant="destructive" />
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
