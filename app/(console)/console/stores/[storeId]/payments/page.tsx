import type { Metadata } from 'next';
import { CreditCard } from 'lucide-react';
import Link from 'next/link';
import { StatusBadge } from '@/components/console/status-badge';
import { formatDateTime, formatMoney } from '@/components/format';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { listRecentPayments } from '@/lib/payments/list-payments';

export const metadata: Metadata = { title: 'Payments' };

export default async function PaymentsPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const payments = await listRecentPayments(storeId);
  return (
    <div className="space-y-6">
      <PageHeader title="Payments" description="The latest payments through all of your POSes and acquirers." />
      {payments.length === 0 ? (
        <EmptyState icon={CreditCard} title="No payments yet" description="Payments appear here as soon as customers pay through your hosted checkout." />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>Order</TableHead>
              <TableHead>Acquirer</TableHead>
              <TableHead>Card</TableHead>
              <TableHead className="text-right">Amount</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {payments.map((payment) => (
              <TableRow key={payment.id}>
                <TableCell>{formatDateTime(payment.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">
                  <Link href={`/console/stores/${storeId}/payments/${payment.id}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
                    {payment.order.shopOrderRef}
                  </Link>
                </TableCell>
                <TableCell>{payment.acquirer?.name ?? '—'}</TableCell>
                <TableCell className="font-mono text-xs">{payment.brand ? `${payment.brand} ${payment.maskedPan ?? ''}` : '—'}</TableCell>
                <TableCell className="text-right tabular-nums">{formatMoney(payment.amount, payment.currency)}</TableCell>
                <TableCell>
                  <StatusBadge status={payment.status} />
                  {payment.declineCode ? <span className="ml-2 text-xs text-slate-600">{payment.declineCode}</span> : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
