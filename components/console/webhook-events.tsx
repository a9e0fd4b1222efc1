import { Fragment } from 'react';
import Link from 'next/link';
import { ActionForm } from '@/components/console/action-form';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { FormState } from '@/lib/http/form-state-shared';
import type { WebhookEventListItem, WebhookEventState } from '@/lib/webhooks/list-webhook-events';

const stateBadge: Record<WebhookEventState, { label: string; variant: 'success' | 'danger' | 'warning' | 'neutral' }> = {
  delivered: { label: 'Delivered', variant: 'success' },
  failing: { label: 'Failing', variant: 'danger' },
  waiting: { label: 'Waiting', variant: 'warning' },
  no_url: { label: 'No URL', variant: 'neutral' },
};

/**
 * Webhook events with their delivery state, a "Redeliver" button each and, under each, its delivery log
 * (newest attempt first) and the exact body sent. Rows carry data-testid="webhook-event-<id>".
 */
export function WebhookEvents(props: { storeId: string; events: WebhookEventListItem[]; redeliver: (state: FormState, formData: FormData) => Promise<FormState>; showPayment?: boolean }) {
  const showPayment = props.showPayment ?? true;
  const columns = showPayment ? 7 : 6;
  return (
    <Table aria-label="Webhook events">
      <TableHeader>
        <TableRow>
          <TableHead>Created</TableHead>
          <TableHead>Event</TableHead>
          {showPayment ? <TableHead>Payment</TableHead> : null}
          <TableHead>POS</TableHead>
          <TableHead>Last delivery</TableHead>
          <TableHead className="text-right">Attempts</TableHead>
          <TableHead>
            <span className="sr-only">Actions</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {props.events.map((event) => {
          const badge = stateBadge[event.state];
          const last = event.lastDelivery;
          return (
            <Fragment key={event.id}>
              <TableRow data-testid={`webhook-event-${event.id}`} className="border-b-0">
                <TableCell className="whitespace-nowrap">{formatDateTime(event.createdAt)}</TableCell>
                <TableCell className="font-mono text-xs">{event.type}</TableCell>
                {showPayment ? (
                  <TableCell className="font-mono text-xs">
                    {event.paymentId ? (
                      <Link href={`/console/stores/${props.storeId}/payments/${event.paymentId}`} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
                        {event.shopOrderRef ?? event.paymentId}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                ) : null}
                <TableCell>{event.pos.name}</TableCell>
                <TableCell>
                  <Badge variant={badge.variant}>{badge.label}</Badge>
                  {last ? <span className="ml-2 text-xs text-slate-600">{last.statusCode !== null ? `HTTP ${last.statusCode}` : 'no answer'} · {formatDateTime(last.createdAt)}</span> : null}
                </TableCell>
                <TableCell className="text-right tabular-nums">{event.attempts}</TableCell>
                <TableCell>
                  {event.pos.webhookUrl ? <ActionForm action={props.redeliver} hidden={{ storeId: props.storeId, eventId: event.id }} label="Redeliver" pendingLabel="Queuing…" /> : null}
                </TableCell>
              </TableRow>
              <TableRow>
                <TableCell colSpan={columns} className="pt-0">
                  <details className="text-sm" data-testid={`webhook-deliveries-${event.id}`}>
                    <summary className="cursor-pointer text-slate-600 hover:text-slate-900">
                      Delivery log of {event.type} ({event.attempts} attempt{event.attempts === 1 ? '' : 's'})
                    </summary>
                    <div className="mt-3 space-y-3">
                      {event.deliveries.length === 0 ? (
                        <p className="text-slate-600">{event.pos.webhookUrl ? 'Not attempted yet.' : 'Not sent: the POS had no webhook URL. Set one on the POSes page, then redeliver.'}</p>
                      ) : (
                        <Table aria-label={`Delivery attempts of event ${event.id}`}>
                          <TableHeader>
                            <TableRow>
                              <TableHead>Time</TableHead>
                              <TableHead>Result</TableHead>
                              <TableHead>URL</TableHead>
                              <TableHead className="text-right">Latency</TableHead>
                              <TableHead>Sent by</TableHead>
                            </TableRow>
                          </TableHeader>
                          <TableBody>
                            {event.deliveries.map((delivery) => (
                              <TableRow key={delivery.id}>
                                <TableCell className="whitespace-nowrap">{formatDateTime(delivery.createdAt)}</TableCell>
                                <TableCell>
                                  <Badge variant={delivery.ok ? 'success' : 'danger'}>{delivery.statusCode !== null ? `HTTP ${delivery.statusCode}` : 'No answer'}</Badge>
                                  {delivery.error ? <span className="ml-2 text-xs text-slate-600">{delivery.error}</span> : null}
                                </TableCell>
                                <TableCell className="max-w-64 truncate font-mono text-xs" title={delivery.url}>
                                  {delivery.url || '—'}
                                </TableCell>
                                <TableCell className="text-right tabular-nums">{delivery.latencyMs === null ? '—' : `${delivery.latencyMs} ms`}</TableCell>
                                <TableCell>{delivery.manual ? 'Redelivery' : 'Automatic'}</TableCell>
                              </TableRow>
                            ))}
                          </TableBody>
                        </Table>
                      )}
                      <pre className="max-h-64 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800" aria-label={`Body of event ${event.id}`}>
                        {prettyJson(event.body)}
                      </pre>
                    </div>
                  </details>
                </TableCell>
              </TableRow>
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
