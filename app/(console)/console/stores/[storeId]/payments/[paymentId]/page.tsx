import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import { WebhookEvents } from '@/components/console/webhook-events';
import { formatDateTime, formatMoney } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { affiliatePaymentTags } from '@/lib/affiliates/affiliate-payment-tags';
import { requireStoreUser } from '@/lib/auth/current';
import { describeRoutingRule } from '@/lib/checkout/route-acquirer';
import { isAppError } from '@/lib/errors';
import { getPaymentDetail } from '@/lib/payments/get-payment-detail';
import { listWebhookEvents } from '@/lib/webhooks/list-webhook-events';
import { captureAction, refundAction, voidAction } from './actions';
import { redeliverWebhookAction } from '../../webhooks/actions';

export const metadata: Metadata = { title: 'Payment' };

/** What a timeline entry adds in words: which rule routed the payment, or why it was refused. */
function eventNote(kind: string, detail: unknown): string | null {
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return null;
  const value = detail as Record<string, unknown>;
  if (kind === 'PInitRes') {
    const rule = describeRoutingRule(value.routing);
    return rule && typeof value.acquirer === 'string' ? `Routed to ${value.acquirer} by ${rule}` : null;
  }
  if (kind === 'refused' && typeof value.reason === 'string') return value.reason;
  return null;
}

export default async function PaymentPage({ params }: { params: Promise<{ storeId: string; paymentId: string }> }) {
  const { storeId, paymentId } = await params;
  await requireStoreUser(storeId);
  // Another store's payment, like one that does not exist, is the not-found page (it was a 500).
  const payment = await getPaymentDetail(storeId, paymentId).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  const affiliateTag = (await affiliatePaymentTags(storeId, [payment])).get(payment.id) ?? null;
  // The store that sold through another store's POS reads the payment; the POS's owner settles it in its console (the seller through its POS API).
  const viewerIsSeller = payment.storeId !== storeId;
  const webhookEvents = await listWebhookEvents({ storeId, paymentId: payment.id });
  const money = (value: bigint) => formatMoney(value, payment.currency);
  const customer = (payment.order.customer ?? null) as { name?: string; email?: string; phone?: string; address?: string } | null;
  const decline = payment.declineMessage as { en?: string; ja?: string } | null;
  const canCapture = payment.status === 'AUTHORIZED' || payment.status === 'PARTIALLY_CAPTURED';
  const canRefund = ['PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED'].includes(payment.status);
  const hidden = { storeId, paymentId: payment.id };
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Payment for order ${payment.order.shopOrderRef}`}
        description={`${payment.pos.name} · ${payment.acquirer?.name ?? 'no acquirer'} · ${payment.brand ?? ''}${affiliateTag ? ` · ${affiliateTag}` : ''}`}
      />
      <Card>
        <CardHeader>
          <CardTitle>Summary</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-3 text-sm sm:grid-cols-3" data-testid="payment-summary">
            <div>
              <dt className="text-slate-500">Status</dt>
              <dd>
                <StatusBadge status={payment.status} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Amount</dt>
              <dd className="tabular-nums">{money(payment.amount)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Captured / refunded</dt>
              <dd className="tabular-nums">
                {money(payment.capturedAmount)} / {money(payment.refundedAmount)}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Authorisation code</dt>
              <dd className="font-mono">{payment.authCode ?? '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Transaction id (XID)</dt>
              <dd className="break-all font-mono text-xs" data-testid="payment-xid">
                {payment.xid}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Handling number</dt>
              <dd className="font-mono text-xs">{payment.handlingNumber ?? '—'}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Customer</dt>
              <dd>{customer ? `${customer.name ?? ''} <${customer.email ?? ''}>` : '—'}</dd>
            </div>
            {affiliateTag ? (
              <div className="sm:col-span-3" data-testid="affiliate-sale">
                <dt className="text-slate-500">Affiliate sale</dt>
                <dd>
                  <Badge variant="info">{affiliateTag}</Badge>{' '}
                  {viewerIsSeller
                    ? 'Your shop sold this through another store’s POS; capture, void or refund it through your shop’s POS API.'
                    : 'Another store sold this through your POS under the permission you gave it (see Affiliates).'}
                </dd>
              </div>
            ) : null}
            {decline ? (
              <div className="sm:col-span-3" data-testid="decline-reason">
                <dt className="text-slate-500">Declined: {payment.declineCode}</dt>
                <dd>
                  {decline.en}
                  <br />
                  <span lang="ja">{decline.ja}</span>
                </dd>
              </div>
            ) : null}
          </dl>
        </CardContent>
      </Card>

      {!viewerIsSeller && (canCapture || canRefund) ? (
        <Card>
          <CardHeader>
            <CardTitle>Settle</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-6 sm:grid-cols-3">
            {canCapture ? (
              <ActionForm action={captureAction} hidden={hidden} label="Capture" pendingLabel="Capturing…" variant="default" input={{ name: 'amount', label: 'Amount to capture', hint: 'In minor units; empty for all that remains.' }} />
            ) : null}
            {payment.status === 'AUTHORIZED' ? <ActionForm action={voidAction} hidden={hidden} label="Void" pendingLabel="Voiding…" variant="destructive" confirm="Cancel the whole authorisation." /> : null}
            {canRefund ? <ActionForm action={refundAction} hidden={hidden} label="Refund" pendingLabel="Refunding…" input={{ name: 'amount', label: 'Amount to refund', hint: 'In minor units; empty for all that remains.' }} /> : null}
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Timeline</CardTitle>
        </CardHeader>
        <CardContent>
          <Table aria-label="Timeline">
            <TableHeader>
              <TableRow>
                <TableHead>Time</TableHead>
                <TableHead>Message</TableHead>
                <TableHead>Result</TableHead>
                <TableHead className="text-right">Latency</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {payment.events.map((event) => (
                <TableRow key={event.id}>
                  <TableCell>{formatDateTime(event.createdAt)}</TableCell>
                  <TableCell>
                    <span className="font-mono text-xs">{event.kind}</span>
                    {eventNote(event.kind, event.detail) ? <span className="block text-xs text-slate-600">{eventNote(event.kind, event.detail)}</span> : null}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{event.code ?? '—'}</TableCell>
                  <TableCell className="text-right tabular-nums">{event.latencyMs === null ? '—' : `${event.latencyMs} ms`}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      {viewerIsSeller ? null : (
        <Card>
          <CardHeader>
            <CardTitle>Webhooks</CardTitle>
          </CardHeader>
          <CardContent>
            {webhookEvents.length === 0 ? (
              <p className="text-sm text-slate-600">No event for the shop yet.</p>
            ) : (
              <WebhookEvents storeId={storeId} events={webhookEvents} redeliver={redeliverWebhookAction} showPayment={false} />
            )}
          </CardContent>
        </Card>
      )}
    </div>
  );
}
