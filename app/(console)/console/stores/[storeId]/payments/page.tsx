import type { Metadata } from 'next';
import { CreditCard, Download } from 'lucide-react';
import Link from 'next/link';
import { PaymentFiltersForm } from '@/components/console/payment-filters-form';
import { StatusBadge } from '@/components/console/status-badge';
import { formatDateTime, formatMoney } from '@/components/format';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { affiliatePaymentTags } from '@/lib/affiliates/affiliate-payment-tags';
import { requireStoreUser } from '@/lib/auth/current';
import { isAppError } from '@/lib/errors';
import { listPaymentFilterOptions, listStorePayments, type StorePaymentPage } from '@/lib/payments/list-store-payments';

export const metadata: Metadata = { title: 'Payments' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function PaymentsPage({ params, searchParams }: { params: Promise<{ storeId: string }>; searchParams: SearchParams }) {
  const { storeId } = await params;
  const user = await requireStoreUser(storeId);
  const query = await searchParams;
  const base = `/console/stores/${storeId}/payments`;
  const options = await listPaymentFilterOptions(storeId);
  let page: StorePaymentPage | null = null;
  let problem: string | null = null;
  try {
    page = await listStorePayments({ storeId, actor: { type: 'STORE_USER', id: user.userId }, query });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'validation_failed') throw error;
    problem = error.fields?.map((field) => `${field.path}: ${field.message}`).join(' ') ?? error.message;
  }
  const tags = page ? await affiliatePaymentTags(storeId, page.payments) : new Map<string, string>();
  const values = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, (Array.isArray(value) ? value[0] : value) ?? '']));
  const filterQuery = page?.filterQuery ?? '';
  const filtered = filterQuery !== '';
  const withQuery = (path: string, extra: Record<string, string> = {}) => {
    const search = new URLSearchParams(filterQuery);
    for (const [name, value] of Object.entries(extra)) search.set(name, value);
    return search.size > 0 ? `${path}?${search}` : path;
  };

  return (
    <div className="space-y-6">
      <PageHeader
        title="Payments"
        description="Payments through all of your POSes and acquirers, newest first; times in UTC."
        actions={
          page ? (
            <Button asChild variant="outline">
              {/* A file download, not a page: a plain link, so the browser saves what the route streams. */}
              <a href={withQuery(`${base}/export`)} download>
                <Download className="size-4" aria-hidden />
                Export CSV
              </a>
            </Button>
          ) : null
        }
      />
      <PaymentFiltersForm action={base} values={values} options={options} filtered={filtered || Object.keys(query).length > 0} />
      {problem ? (
        <Alert variant="error">
          <AlertDescription>Check the filters. {problem}</AlertDescription>
        </Alert>
      ) : null}
      {!page ? null : page.payments.length === 0 ? (
        <EmptyState
          icon={CreditCard}
          title={filtered || page.filters.cursor ? 'No matching payments' : 'No payments yet'}
          description={filtered || page.filters.cursor ? 'No payment matches these filters.' : 'Payments appear here as soon as customers pay through your hosted checkout.'}
        />
      ) : (
        <Table aria-label="Payments" data-testid="payments-table">
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>Order</TableHead>
              <TableHead>POS</TableHead>
              <TableHead>Acquirer</TableHead>
              <TableHead>Card</TableHead>
              <TableHead className="text-right">Amount</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {page.payments.map((payment) => (
              <TableRow key={payment.id} data-testid="payment-row">
                <TableCell className="whitespace-nowrap">{formatDateTime(payment.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">
                  <Link href={`${base}/${payment.id}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
                    {payment.order.shopOrderRef}
                  </Link>
                  {tags.has(payment.id) ? (
                    <Badge variant="info" className="ml-2 font-sans" data-testid="affiliate-tag">
                      {tags.get(payment.id)}
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell>{payment.pos.name}</TableCell>
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
      {page && (page.filters.cursor || page.nextCursor) ? (
        <nav aria-label="Payment pages" className="flex gap-3">
          {page.filters.cursor ? (
            <Button asChild variant="outline">
              <Link href={withQuery(base)}>Newest payments</Link>
            </Button>
          ) : null}
          {page.nextCursor ? (
            <Button asChild variant="outline">
              <Link href={withQuery(base, { cursor: page.nextCursor })}>Older payments</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
