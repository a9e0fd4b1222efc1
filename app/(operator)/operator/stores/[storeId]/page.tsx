import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import { StoreInfoHistoryTable } from '@/components/console/store-info-history';
import { daysUntil, formatDate, formatDateTime } from '@/components/format';
import { OperatorSuspendForm } from '@/components/operator/operator-suspend-form';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { getStoreDetail } from '@/lib/operator/get-store-detail';
import { getStoreInfoHistory } from '@/lib/stores/get-store-info-history';
import { operatorResumeStoreAction, operatorSuspendStoreAction } from './actions';

export const metadata: Metadata = { title: 'Store' };

const none = <span className="text-slate-500">—</span>;

export default async function OperatorStorePage({ params }: { params: Promise<{ storeId: string }> }) {
  await requireOperator();
  const { storeId } = await params;
  const detail = await getStoreDetail(storeId);
  if (!detail) notFound();
  const history = await getStoreInfoHistory(detail.store.id, { limit: 20 });
  const { store, suspension } = detail;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="text-brand-600 hover:underline" href="/operator/stores">
          ← Stores
        </Link>
      </p>
      <PageHeader title={store.name} description={`Store id ${store.id} · signed up ${formatDate(store.createdAt)}`} actions={<StatusBadge status={store.status} />} />

      <Card role="region" aria-labelledby="store-status">
        <CardHeader>
          <CardTitle id="store-status">Status</CardTitle>
          <CardDescription>Suspending stops every payment of the store at every acquirer at once; the store is e-mailed the reason.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4" data-testid="store-status">
          {suspension ? (
            <Alert variant="warning" data-testid="suspension">
              <AlertTitle>Suspended by {suspension.byLabel}</AlertTitle>
              <AlertDescription className="space-y-1">
                <p>Reason: {suspension.reason || '—'}</p>
                <p>
                  Since {suspension.since ? formatDateTime(suspension.since) : 'an unknown time'}
                  {suspension.byWhom ? ` · by ${suspension.byWhom}` : ''}
                </p>
              </AlertDescription>
            </Alert>
          ) : null}
          {store.status === 'ACTIVE' ? <OperatorSuspendForm storeId={store.id} action={operatorSuspendStoreAction} /> : null}
          {suspension?.operatorMayResume ? (
            <ActionForm action={operatorResumeStoreAction} hidden={{ storeId: store.id }} label="Resume processing" pendingLabel="Resuming…" variant="default" size="default" />
          ) : null}
          {suspension && !suspension.operatorMayResume ? <p className="text-sm text-slate-600">The store suspended its own processing (e.g. a leaked password); only the store can resume it.</p> : null}
          {store.status === 'PENDING' ? <p className="text-sm text-slate-600">Not active yet: e-mail or acquirer verification is outstanding.</p> : null}
          {store.status === 'WITHDRAWN' ? <p className="text-sm text-slate-600">Withdrawn{store.withdrawnAt ? ` on ${formatDate(store.withdrawnAt)}` : ''}; its status can no longer change.</p> : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Store information</CardTitle>
          <CardDescription>Version {store.storeInfoVersion}.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium text-slate-700">Contact e-mail</dt>
            <dd>{store.contactEmail}</dd>
            <dt className="font-medium text-slate-700">Phone</dt>
            <dd>{store.phone ?? none}</dd>
            <dt className="font-medium text-slate-700">Postal address</dt>
            <dd className="whitespace-pre-line">{store.postalAddress ?? none}</dd>
            <dt className="font-medium text-slate-700">Website</dt>
            <dd>{store.websiteUrl ?? none}</dd>
            <dt className="font-medium text-slate-700">Users</dt>
            <dd>{detail.users.map((user) => `${user.name} <${user.email}> (${user.role.toLowerCase()})`).join(', ') || none}</dd>
          </dl>
          {history ? <StoreInfoHistoryTable history={history} viewer="operator" /> : null}
          {history && history.acquirers.length > 0 ? (
            <p className="text-sm text-slate-600">
              Acquirers’ copies: {history.acquirers.map((copy) => `${copy.acquirerName} v${copy.acknowledgedVersion}${copy.upToDate ? '' : ` (sending v${history.currentVersion}${copy.lastError ? `: ${copy.lastError}` : ''})`}`).join('; ')}
            </p>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Contracts</CardTitle>
        </CardHeader>
        <CardContent>
          {detail.contracts.length === 0 ? (
            <p className="text-sm text-slate-600">No acquirer contract.</p>
          ) : (
            <Table aria-label="Contracts">
              <TableHeader>
                <TableRow>
                  <TableHead>Acquirer</TableHead>
                  <TableHead>Merchant number</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Applied</TableHead>
                  <TableHead>Verified</TableHead>
                  <TableHead>Withdrawn</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {detail.contracts.map((contract) => (
                  <TableRow key={contract.id}>
                    <TableCell>
                      <Link className="text-brand-600 hover:underline" href={`/operator/acquirers/${contract.acquirer.id}`}>
                        {contract.acquirer.name}
                      </Link>
                    </TableCell>
                    <TableCell className="font-mono text-xs">{contract.merchantNumber}</TableCell>
                    <TableCell>
                      <StatusBadge status={contract.status} />
                      {contract.rejectionReason ? <span className="block text-xs text-slate-600">{contract.rejectionReason}</span> : null}
                    </TableCell>
                    <TableCell>{formatDate(contract.appliedAt)}</TableCell>
                    <TableCell>{contract.verifiedAt ? formatDate(contract.verifiedAt) : none}</TableCell>
                    <TableCell>{contract.withdrawnAt ? formatDate(contract.withdrawnAt) : contract.withdrawalRequestedAt ? `requested ${formatDate(contract.withdrawalRequestedAt)}` : none}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>POSes</CardTitle>
        </CardHeader>
        <CardContent>
          {detail.poses.length === 0 ? (
            <p className="text-sm text-slate-600">No POS.</p>
          ) : (
            <Table aria-label="POSes">
              <TableHeader>
                <TableRow>
                  <TableHead>POS</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Acquirers</TableHead>
                  <TableHead>Captures</TableHead>
                  <TableHead>Active API keys</TableHead>
                  <TableHead>Created</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {detail.poses.map((pos) => (
                  <TableRow key={pos.id}>
                    <TableCell className="font-medium">{pos.name}</TableCell>
                    <TableCell>
                      <StatusBadge status={pos.status} />
                    </TableCell>
                    <TableCell>{pos.acquirers.map((link) => `${link.acquirer.code} (${link.status.toLowerCase()})`).join(', ') || none}</TableCell>
                    <TableCell>{pos.captureMode === 'DAILY_BATCH' ? 'daily batch' : 'immediate'}</TableCell>
                    <TableCell>{pos._count.apiKeys}</TableCell>
                    <TableCell>{formatDate(pos.createdAt)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Certificates</CardTitle>
          <CardDescription>Current, pending, expired and revoked; soonest end first.</CardDescription>
        </CardHeader>
        <CardContent>
          {detail.certificates.length === 0 ? (
            <p className="text-sm text-slate-600">No certificate.</p>
          ) : (
            <Table aria-label="Certificates">
              <TableHeader>
                <TableRow>
                  <TableHead>POS</TableHead>
                  <TableHead>Acquirer</TableHead>
                  <TableHead>Usage</TableHead>
                  <TableHead>Serial</TableHead>
                  <TableHead>Not after</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {detail.certificates.map((certificate) => (
                  <TableRow key={certificate.id}>
                    <TableCell>{certificate.pos.name}</TableCell>
                    <TableCell>{certificate.acquirer.code}</TableCell>
                    <TableCell>{certificate.usage === 'SIGNATURE' ? 'signature' : 'key exchange'}</TableCell>
                    <TableCell className="font-mono text-xs">{certificate.serialNumber}</TableCell>
                    <TableCell className="whitespace-nowrap">
                      {formatDateTime(certificate.notAfter)}
                      {certificate.status === 'ACTIVE' ? <span className="block text-xs text-slate-500">{daysUntil(certificate.notAfter)} days left</span> : null}
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={certificate.status} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Recent audit events</CardTitle>
          <CardDescription>
            The latest {detail.recentAuditEvents.length}.{' '}
            <Link className="text-brand-600 hover:underline" href={`/operator/audit?storeId=${store.id}`}>
              The store’s whole audit log
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent>
          {detail.recentAuditEvents.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing recorded.</p>
          ) : (
            <Table aria-label="Recent audit events" data-testid="store-audit-events">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Actor</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {detail.recentAuditEvents.map((event) => (
                  <TableRow key={event.id}>
                    <TableCell className="whitespace-nowrap">{formatDateTime(event.createdAt)}</TableCell>
                    <TableCell>
                      <span className="font-mono text-xs">{event.action}</span>
                      {event.actionLabel ? <span className="block text-xs text-slate-600">{event.actionLabel}</span> : null}
                    </TableCell>
                    <TableCell className="text-xs">
                      {event.actorType.toLowerCase().replaceAll('_', ' ')}
                      {event.actorId ? <span className="block font-mono text-slate-500">{event.actorId}</span> : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
