import type { Metadata } from 'next';
import Link from 'next/link';
import { PlugZap } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { daysUntil, formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireOperator } from '@/lib/auth/current';
import { soonestCertificateEnd, type ConnectionTestDetail } from '@/lib/operator/connection-test-detail';
import { connectionTestFilterSchema, listConnectionTests } from '@/lib/operator/list-connection-tests';
import { listLatestConnectionTests } from '@/lib/operator/list-latest-connection-tests';
import { testAllConnectionsAction, testConnectionAction } from './actions';

export const metadata: Metadata = { title: 'Connection tests' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

interface TestView {
  ok: boolean;
  code: string | null;
  message: string | null;
  latencyMs: number | null;
}

function Outcome({ test }: { test: TestView }) {
  if (test.ok) return <Badge variant="success">OK</Badge>;
  return (
    <div className="space-y-1">
      <Badge variant="danger">Failing</Badge> <span className="font-mono text-xs">{test.code}</span>
      {test.message ? <p className="max-w-md text-xs text-slate-600">{test.message}</p> : null}
    </div>
  );
}

function CertificateEnd({ detail, now }: { detail: ConnectionTestDetail | null; now: Date }) {
  const end = soonestCertificateEnd(detail);
  if (!end) return <span className="text-slate-500">—</span>;
  const days = daysUntil(end.notAfter, now);
  return (
    <span className="whitespace-nowrap">
      {formatDateTime(end.notAfter)}
      <span className={`block text-xs ${days <= 7 ? 'text-red-700' : days <= 30 ? 'text-amber-800' : 'text-slate-500'}`}>
        {days <= 0 ? 'ended' : `${days} day${days === 1 ? '' : 's'} left`} ({end.usage === 'signature' ? 'signature' : 'key exchange'})
      </span>
    </span>
  );
}

const latency = (test: TestView) => (test.latencyMs === null ? '—' : `${test.latencyMs} ms`);

export default async function OperatorConnectionsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator();
  const filter = connectionTestFilterSchema.parse(await searchParams);
  const [acquirers, history] = await Promise.all([
    listLatestConnectionTests(),
    listConnectionTests({ ...(filter.acquirer ? { acquirerId: filter.acquirer } : {}), ...(filter.before ? { before: filter.before } : {}) }),
  ]);
  const now = new Date();
  const query = (extra: Record<string, string> = {}) => {
    const params = new URLSearchParams({ ...(filter.acquirer ? { acquirer: filter.acquirer } : {}), ...extra });
    const text = params.toString();
    return `/operator/connections${text ? `?${text}` : ''}`;
  };
  return (
    <div className="space-y-6">
      <PageHeader
        title="Connection tests"
        description="A connection test fetches an acquirer gateway's certificate chains and validates them to the CA's root, then makes a signed inquiry with the keys of a POS registered there and verifies the signed answer. The worker tests every active acquirer on a schedule; results are kept for 30 days."
        actions={<ActionForm action={testAllConnectionsAction} hidden={{}} label="Test all now" pendingLabel="Testing all…" variant="default" size="default" className="flex flex-col items-end gap-2" />}
      />
      {acquirers.length === 0 ? (
        <EmptyState icon={PlugZap} title="No acquirers yet" description="Acquirers appear here once they are onboarded with their gateway." />
      ) : (
        <Table aria-label="Latest result per acquirer" data-testid="connection-latest">
          <TableHeader>
            <TableRow>
              <TableHead>Acquirer</TableHead>
              <TableHead>Latest result</TableHead>
              <TableHead>Latency</TableHead>
              <TableHead>When</TableHead>
              <TableHead>Certificate valid until</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {acquirers.map((acquirer) => (
              <TableRow key={acquirer.id} data-testid={`connection-${acquirer.code}`}>
                <TableCell>
                  <span className="font-medium">{acquirer.name}</span>
                  <span className="block font-mono text-xs text-slate-500">{acquirer.code}</span>
                  {acquirer.status !== 'ACTIVE' ? <Badge>Disabled: not tested on schedule</Badge> : null}
                </TableCell>
                <TableCell>{acquirer.latest ? <Outcome test={acquirer.latest} /> : <span className="text-slate-500">Never tested</span>}</TableCell>
                <TableCell data-testid="latency">{acquirer.latest ? latency(acquirer.latest) : '—'}</TableCell>
                <TableCell className="whitespace-nowrap">
                  {acquirer.latest ? (
                    <>
                      {formatDateTime(acquirer.latest.startedAt)}
                      <span className="block text-xs text-slate-500">{acquirer.latest.trigger === 'SCHEDULED' ? 'scheduled' : 'on demand'}</span>
                    </>
                  ) : (
                    '—'
                  )}
                </TableCell>
                <TableCell>{acquirer.latest ? <CertificateEnd detail={acquirer.latest.detail} now={now} /> : '—'}</TableCell>
                <TableCell>
                  <ActionForm action={testConnectionAction} hidden={{ acquirerId: acquirer.id }} label="Test" pendingLabel="Testing…" className="flex flex-col items-start gap-2" />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <section className="space-y-4" aria-labelledby="connection-history">
        <h2 id="connection-history" className="text-lg font-semibold text-slate-900">
          History
        </h2>
        <form method="get" role="search" className="flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            <label htmlFor="history-acquirer">Acquirer</label>
            <Select id="history-acquirer" name="acquirer" defaultValue={filter.acquirer ?? ''}>
              <option value="">All acquirers</option>
              {acquirers.map((acquirer) => (
                <option key={acquirer.id} value={acquirer.id}>
                  {acquirer.name}
                </option>
              ))}
            </Select>
          </div>
          <Button type="submit" variant="outline">
            Show
          </Button>
        </form>
        {history.tests.length === 0 ? (
          <EmptyState icon={PlugZap} title="No tests" description={filter.before ? 'No older tests.' : 'No connection test has been recorded yet.'} />
        ) : (
          <Table aria-label="Connection test history" data-testid="connection-history">
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Acquirer</TableHead>
                <TableHead>Trigger</TableHead>
                <TableHead>Result</TableHead>
                <TableHead>Latency</TableHead>
                <TableHead>Signed with</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {history.tests.map((test) => (
                <TableRow key={test.id} data-testid={`connection-test-${test.acquirer.code}`}>
                  <TableCell className="whitespace-nowrap">{formatDateTime(test.startedAt)}</TableCell>
                  <TableCell>{test.acquirer.name}</TableCell>
                  <TableCell>{test.trigger === 'SCHEDULED' ? 'scheduled' : 'on demand'}</TableCell>
                  <TableCell>
                    <Outcome test={test} />
                  </TableCell>
                  <TableCell>{latency(test)}</TableCell>
                  <TableCell className="text-xs">{test.detail?.exchange.pos ? `${test.detail.exchange.pos.posName} of ${test.detail.exchange.pos.storeName}` : '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {filter.before || history.nextBefore ? (
          <nav aria-label="History pages" className="flex gap-3">
            {filter.before ? (
              <Button asChild variant="outline">
                <Link href={query()}>Newest tests</Link>
              </Button>
            ) : null}
            {history.nextBefore ? (
              <Button asChild variant="outline">
                <Link href={query({ before: history.nextBefore })}>Older tests</Link>
              </Button>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
