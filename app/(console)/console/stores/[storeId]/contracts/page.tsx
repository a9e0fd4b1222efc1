import type { Metadata } from 'next';
import { Building2 } from 'lucide-react';
import { ApplyContractForm } from '@/components/console/apply-contract-form';
import { ContractStatus } from '@/components/console/contract-status';
import { formatDate } from '@/components/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { getStoreHeader } from '@/lib/stores/get-store-overview';
import { listContracts } from '@/lib/stores/list-contracts';
import { applyForContractAction } from './actions';

export const metadata: Metadata = { title: 'Acquirers' };

export default async function ContractsPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const [store, { contracts, available }] = await Promise.all([getStoreHeader(storeId), listContracts({ storeId })]);
  const canApply = store.status === 'PENDING' || store.status === 'ACTIVE';
  return (
    <div className="space-y-6">
      <PageHeader
        title="Acquirers"
        description="Your merchant contracts, as each acquirer answered. A verified acquirer e-mails you a one-time certificate acquisition number: enter it under Certificates when you register your POS for that acquirer."
      />
      <Card>
        <CardHeader>
          <CardTitle>Your contracts</CardTitle>
        </CardHeader>
        <CardContent>
          {contracts.length === 0 ? (
            <EmptyState icon={Building2} title="No acquirer contracts yet" description="Apply below to the acquirers you have merchant contracts with." />
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Acquirer</TableHead>
                  <TableHead>Brands</TableHead>
                  <TableHead>Merchant number</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Dates</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {contracts.map((contract) => (
                  <TableRow key={contract.id} data-testid="contract-row">
                    <TableCell className="font-medium">{contract.acquirer.name}</TableCell>
                    <TableCell>{contract.acquirer.brands.join(', ')}</TableCell>
                    <TableCell className="font-mono text-xs">{contract.merchantNumber}</TableCell>
                    <TableCell>
                      <ContractStatus status={contract.status} rejectionReason={contract.rejectionReason} />
                    </TableCell>
                    <TableCell className="text-xs text-slate-600">
                      <div>Applied {formatDate(contract.appliedAt)}</div>
                      {contract.verifiedAt ? <div>Verified {formatDate(contract.verifiedAt)}</div> : null}
                      {contract.withdrawalRequestedAt ? <div>Withdrawal requested {formatDate(contract.withdrawalRequestedAt)}</div> : null}
                      {contract.withdrawnAt ? <div>Withdrawn {formatDate(contract.withdrawnAt)}</div> : null}
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
          <CardTitle>Apply to another acquirer</CardTitle>
          <CardDescription>
            For an acquirer you have a merchant contract with. We send your store&apos;s details to it for verification and link every one of your POSes to it; its answer arrives by e-mail.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {!canApply ? (
            <p className="text-sm text-slate-600">A {store.status === 'SUSPENDED' ? 'suspended' : 'withdrawn'} store cannot apply to acquirers.</p>
          ) : available.length === 0 ? (
            <p className="text-sm text-slate-600">You have applied to every acquirer ServerPOS works with.</p>
          ) : (
            <ApplyContractForm storeId={storeId} acquirers={available} action={applyForContractAction} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
