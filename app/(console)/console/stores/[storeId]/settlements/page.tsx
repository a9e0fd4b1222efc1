import type { Metadata } from 'next';
import { Landmark } from 'lucide-react';
import Link from 'next/link';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import { formatDateTime, formatMoney } from '@/components/format';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { isAppError } from '@/lib/errors';
import { getSettlementHistory, type SettlementFigures, type SettlementHistory } from '@/lib/payments/get-settlement-history';
import { listCaptureBatches } from '@/lib/payments/list-capture-batches';
import { sendCaptureBatchesAction } from './actions';

export const metadata: Metadata = { title: 'Settlements' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const kinds = [
  { key: 'authorizations', label: 'Authorisations' },
  { key: 'captures', label: 'Captures' },
  { key: 'refunds', label: 'Refunds' },
  { key: 'voids', label: 'Voids' },
  { key: 'declines', label: 'Declines' },
] as const;

function Figures({ figures, currency }: { figures: SettlementFigures; currency: string }) {
  if (figures.count === 0) return <span className="text-slate-400">—</span>;
  return (
    <>
      <span className="block tabular-nums">{figures.count}</span>
      <span className="block text-xs tabular-nums text-slate-600">{formatMoney(figures.amount, currency)}</span>
    </>
  );
}

export default async function SettlementsPage({ params, searchParams }: { params: Promise<{ storeId: string }>; searchParams: SearchParams }) {
  const { storeId } = await params;
  const user = await requireStoreUser(storeId);
  const actor = { type: 'STORE_USER' as const, id: user.userId };
  const query = Object.fromEntries(Object.entries(await searchParams).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
  const base = `/console/stores/${storeId}/settlements`;
  let history: SettlementHistory | null = null;
  let problem: string | null = null;
  try {
    history = await getSettlementHistory({ storeId, actor, query: { from: query.from, to: query.to } });
  } catch (error) {
    if (!isAppError(error) || error.code !== 'validation_failed') throw error;
    problem = error.fields?.map((field) => `${field.path}: ${field.message}`).join(' ') ?? error.message;
  }
  const { batches, queued } = await listCaptureBatches({ storeId, actor });

  return (
    <div className="space-y-6">
      <PageHeader title="Settlements" description="What your acquirers authorised, captured, refunded and voided, per day (UTC) and acquirer; and your daily capture batches." />

      <Card>
        <CardHeader>
          <CardTitle>Capture batches</CardTitle>
          <CardDescription>POSes set to capture in the daily batch queue their captures here; they are sent once a day, one batch per POS and acquirer.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {queued.length === 0 ? (
            <p className="text-sm text-slate-600" data-testid="queued-captures">
              No capture is waiting for a batch.
            </p>
          ) : (
            <ul className="space-y-1 text-sm text-slate-800" data-testid="queued-captures">
              {queued.map((row) => (
                <li key={`${row.posName}-${row.acquirerName}-${row.currency}`}>
                  {row.count} {row.count === 1 ? 'capture' : 'captures'} queued for {row.posName} · {row.acquirerName}: {formatMoney(row.amount, row.currency)}
                </li>
              ))}
            </ul>
          )}
          <ActionForm action={sendCaptureBatchesAction} hidden={{ storeId }} label="Send today’s batch now" pendingLabel="Sending…" variant="default" size="default" />
          {batches.length === 0 ? null : (
            <Table aria-label="Capture batches" data-testid="capture-batches">
              <TableHeader>
                <TableRow>
                  <TableHead>Day</TableHead>
                  <TableHead>POS · acquirer</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead className="text-right">Captures</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                  <TableHead>Sent / answered</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {batches.map((batch) => (
                  <TableRow key={batch.id} data-testid="capture-batch" data-status={batch.status}>
                    <TableCell className="whitespace-nowrap">{batch.businessDate}</TableCell>
                    <TableCell>
                      {batch.posName} · {batch.acquirerName}
                      <span className="block font-mono text-xs text-slate-500">{batch.id}</span>
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={batch.status} />
                      {batch.lastError ? <span className="mt-1 block max-w-xs text-xs text-slate-600">{batch.lastError}</span> : null}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {batch.status === 'ANSWERED' || batch.status === 'FAILED' ? `${batch.capturedCount} of ${batch.itemCount} captured` : `${batch.itemCount}`}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{batch.currency ? formatMoney(batch.amount, batch.currency) : batch.amount.toString()}</TableCell>
                    <TableCell className="whitespace-nowrap text-xs">
                      {batch.sentAt ? formatDateTime(batch.sentAt) : '—'}
                      <span className="block">{batch.answeredAt ? formatDateTime(batch.answeredAt) : '—'}</span>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>

      <section className="space-y-4" aria-labelledby="settlement-history">
        <h2 id="settlement-history" className="text-lg font-semibold text-slate-900">
          Settlement history
        </h2>
        <form method="get" action={base} aria-label="Choose the days" className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            From
            <Input type="date" name="from" defaultValue={history?.from ?? query.from ?? ''} />
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            To
            <Input type="date" name="to" defaultValue={history?.to ?? query.to ?? ''} />
          </label>
          <Button type="submit">Show</Button>
          {query.from || query.to ? (
            <Button asChild variant="ghost">
              <Link href={base}>Last 30 days</Link>
            </Button>
          ) : null}
        </form>
        {problem ? (
          <Alert variant="error">
            <AlertDescription>Check the dates. {problem}</AlertDescription>
          </Alert>
        ) : null}
        {!history ? null : history.days.length === 0 ? (
          <EmptyState icon={Landmark} title="Nothing settled in these days" description={`No authorisation, capture, refund, void or decline from ${history.from} to ${history.to}.`} />
        ) : (
          <Table aria-label="Settlement history" data-testid="settlement-history">
            <TableHeader>
              <TableRow>
                <TableHead>Day</TableHead>
                <TableHead>Acquirer</TableHead>
                {kinds.map((kind) => (
                  <TableHead key={kind.key} className="text-right">
                    {kind.label}
                  </TableHead>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {history.days.map((day) => (
                <TableRow key={`${day.day}-${day.acquirer.id}-${day.currency}`} data-testid="settlement-day" data-day={day.day} data-acquirer={day.acquirer.code}>
                  <TableCell className="whitespace-nowrap">{day.day}</TableCell>
                  <TableCell>
                    {day.acquirer.name}
                    <span className="block text-xs text-slate-500">{day.currency}</span>
                  </TableCell>
                  {kinds.map((kind) => (
                    <TableCell key={kind.key} className="text-right">
                      <Figures figures={day[kind.key]} currency={day.currency} />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </div>
  );
}
