import type { Metadata } from 'next';
import Link from 'next/link';
import { StatisticsFiltersForm } from '@/components/stats/statistics-filters-form';
import { StatisticsView } from '@/components/stats/statistics-view';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { requireOperator } from '@/lib/auth/current';
import { isAppError } from '@/lib/errors';
import { supportedCurrencies } from '@/lib/payments/currencies';
import { getOperatorStatistics, type OperatorStatistics } from '@/lib/stats/get-operator-statistics';
import { getStatisticsFilterOptions } from '@/lib/stats/get-statistics-filter-options';

export const metadata: Metadata = { title: 'Statistics' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const filterNames = ['from', 'to', 'acquirerId', 'brand', 'storeId', 'currency'] as const;

export default async function OperatorStatisticsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireOperator();
  const raw = await searchParams;
  const query = Object.fromEntries(filterNames.map((name) => [name, Array.isArray(raw[name]) ? raw[name][0] : raw[name]])) as Record<(typeof filterNames)[number], string | undefined>;
  let statistics: OperatorStatistics | null = null;
  let problem: string | null = null;
  try {
    statistics = await getOperatorStatistics(query);
  } catch (error) {
    if (!isAppError(error) || (error.code !== 'validation_failed' && error.code !== 'not_found')) throw error;
    problem = error.fields?.map((field) => `${field.path}: ${field.message}`).join(' ') ?? error.message;
  }
  const options = await getStatisticsFilterOptions();
  const exportQuery = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Statistics"
        description="Authorisations, approval rate, captures, refunds and declines over every store, per UTC day, from the daily rollups (brought up to date every minute)."
        actions={
          <Button asChild variant="outline">
            <a href={`/operator/statistics/export${exportQuery.size > 0 ? `?${exportQuery}` : ''}`} download>
              Export CSV
            </a>
          </Button>
        }
      />
      <StatisticsFiltersForm action="/operator/statistics" fields={['acquirer', 'brand', 'currency', 'store']} values={{ ...query, from: statistics?.from ?? query.from, to: statistics?.to ?? query.to }} options={options} currencies={supportedCurrencies} />
      {problem ? (
        <Alert variant="error">
          <AlertDescription>Check the filters. {problem}</AlertDescription>
        </Alert>
      ) : null}
      {statistics ? (
        <>
          <p className="text-sm text-slate-600" data-testid="statistics-period">
            {statistics.from} to {statistics.to} (UTC)
            {statistics.filters.storeId ? (
              <>
                {' · one store '}
                <Link className="underline" href="/operator/statistics">
                  (all stores)
                </Link>
              </>
            ) : null}
          </p>
          <StatisticsView
            totals={statistics.totals}
            series={statistics.series}
            declinesByReason={statistics.declinesByReason}
            breakdowns={[
              { title: 'By acquirer', column: 'Acquirer', testId: 'by-acquirer', rows: statistics.byAcquirer.map((row) => ({ key: row.acquirer.id, label: row.acquirer.name, detail: row.acquirer.code, group: row })) },
              { title: 'By brand', column: 'Brand', testId: 'by-brand', rows: statistics.byBrand.map((row) => ({ key: row.brand, label: row.brand, group: row })) },
              {
                title: 'Top stores by authorised amount',
                column: 'Store',
                testId: 'top-stores',
                rows: statistics.topStores.map((row) => ({ key: `${row.store.id}-${row.byCurrency[0]?.currency ?? ''}`, label: row.store.name, detail: `${row.byCurrency[0]?.currency ?? ''} · ${row.store.id}`, group: row })),
              },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
