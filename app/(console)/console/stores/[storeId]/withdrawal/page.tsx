import type { Metadata } from 'next';
import { StatusBadge } from '@/components/console/status-badge';
import { WithdrawalForm } from '@/components/console/withdrawal-form';
import { formatDateTime } from '@/components/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { getStoreHeader } from '@/lib/stores/get-store-overview';
import { listContracts } from '@/lib/stores/list-contracts';
import { withdrawAction } from './actions';

export const metadata: Metadata = { title: 'Withdrawal' };

export default async function WithdrawalPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const [{ status: storeStatus }, { contracts }] = await Promise.all([getStoreHeader(storeId), listContracts({ storeId })]);
  const withdrawable = contracts.filter((contract) => contract.status === 'APPLIED' || contract.status === 'VERIFIED');
  return (
    <div className="space-y-6">
      <PageHeader title="Withdrawal" description="Leave some of your acquirers, or all of them. It works the same way for every acquirer." />
      <Card>
        <CardHeader>
          <CardTitle>Your contracts</CardTitle>
        </CardHeader>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Acquirer</TableHead>
                <TableHead>Merchant number</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Withdrawal</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {contracts.map((contract) => (
                <TableRow key={contract.id}>
                  <TableCell className="font-medium">{contract.acquirer.name}</TableCell>
                  <TableCell>{contract.merchantNumber}</TableCell>
                  <TableCell>
                    <StatusBadge status={contract.status} />
                  </TableCell>
                  <TableCell className="text-sm text-slate-600">
                    {contract.withdrawnAt ? `Confirmed ${formatDateTime(contract.withdrawnAt)}` : contract.withdrawalRequestedAt ? `Requested ${formatDateTime(contract.withdrawalRequestedAt)}, waiting for the acquirer` : '—'}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      {storeStatus === 'WITHDRAWN' ? (
        <Card>
          <CardHeader>
            <CardTitle>Your store has withdrawn</CardTitle>
            <CardDescription>
              You can still sign in to read your payment history, certificates, store information and audit log. Nothing can be changed, no payment can be taken, and your POS API keys no longer work.
            </CardDescription>
          </CardHeader>
        </Card>
      ) : withdrawable.length === 0 ? null : (
        <Card>
          <CardHeader>
            <CardTitle>Withdraw</CardTitle>
            <CardDescription>
              Each acquirer you leave confirms the withdrawal. Payments through it stop at once, its certificates are revoked at the certificate authority and the private keys are destroyed; records stay for audit. When you leave your last acquirer, your store
              closes.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <WithdrawalForm storeId={storeId} action={withdrawAction} contracts={withdrawable.map((contract) => ({ acquirerId: contract.acquirer.id, acquirerName: contract.acquirer.name, merchantNumber: contract.merchantNumber }))} />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
