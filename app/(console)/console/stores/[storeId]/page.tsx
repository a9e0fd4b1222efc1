import type { Metadata } from 'next';
import Link from 'next/link';
import { Building2 } from 'lucide-react';
import { ContractStatus } from '@/components/console/contract-status';
import { StatusBadge } from '@/components/console/status-badge';
import { StoreNotices } from '@/components/console/store-notices';
import { daysUntil, formatDate } from '@/components/format';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { getStoreOverview } from '@/lib/stores/get-store-overview';
import { dismissNoticeAction } from './notice-actions';

export const metadata: Metadata = { title: 'Overview' };

export default async function StoreOverviewPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const { store, contracts, notices, expiringCertificates, posCount } = await getStoreOverview(storeId);
  return (
    <div className="space-y-6">
      <PageHeader title="Overview" description="Your store's status, acquirers and what needs attention." />
      <StoreNotices storeId={storeId} notices={notices} dismissAction={dismissNoticeAction} />
      {store.status === 'SUSPENDED' ? (
        <Alert variant="error">
          <AlertTitle>This store is suspended</AlertTitle>
          <AlertDescription>No payment can be authorised through any acquirer. {store.suspendedReason ?? ''}</AlertDescription>
        </Alert>
      ) : null}
      {expiringCertificates.length > 0 ? (
        <Card data-testid="expiring-certificates">
          <CardHeader>
            <CardTitle>Certificates expiring within {store.certificateAlertDays} days</CardTitle>
            <CardDescription>Renew them on the Certificates page before they end.</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="list-disc pl-5 text-sm">
              {expiringCertificates.map((certificate) => (
                <li key={certificate.id}>
                  {certificate.posAcquirer.pos.name} · {certificate.posAcquirer.acquirer.name} · {certificate.usage === 'SIGNATURE' ? 'signature' : 'key exchange'} — {formatDate(certificate.notAfter)} ({daysUntil(certificate.notAfter)} days)
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Status" value={<StatusBadge status={store.status} />} />
        <Stat label="POSes" value={posCount} />
        <Stat label="Acquirer contracts" value={contracts.length} />
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Acquirers</CardTitle>
          <CardDescription>
            Your merchant contracts and where each one stands.{' '}
            <Link href={`/console/stores/${storeId}/contracts`} className="font-medium text-brand-600 hover:underline">
              Manage acquirers
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent>
          {contracts.length === 0 ? (
            <EmptyState icon={Building2} title="No acquirer contracts yet" description="Enrol with the acquirers you have merchant contracts with to start taking payments." />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Acquirer</TableHead>
                  <TableHead>Brands</TableHead>
                  <TableHead>Merchant number</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {contracts.map((contract) => (
                  <TableRow key={contract.id}>
                    <TableCell className="font-medium">{contract.acquirer.name}</TableCell>
                    <TableCell>{contract.acquirer.brands.join(', ')}</TableCell>
                    <TableCell className="font-mono text-xs">{contract.merchantNumber}</TableCell>
                    <TableCell>
                      <ContractStatus status={contract.status} rejectionReason={contract.rejectionReason} />
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
