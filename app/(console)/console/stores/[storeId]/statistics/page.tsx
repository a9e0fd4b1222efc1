import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StatisticsFiltersForm } from '@/components/stats/statistics-filters-form';
import { StatisticsView } from '@/components/stats/statistics-view';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { requireStoreUser } from '@/lib/auth/current';
import { isAppError } from '@/lib/errors';
import { getStatisticsFilterOptions } from '@/lib/stats/get-statistics-filter-options';
import { getStoreStatistics, type StoreStatistics } from '@/lib/stats/get-store-statistics';

export const metadata: Metadata = { title: 'Statistics' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const filterNames = ['from', 'to', 'posId', 'acquirerId', 'brand'] as const;

export default async function StoreStatisticsPage({ params, searchParams }: { params: Promise<{ storeId: string }>; searchParams: SearchParams }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const raw = await searchParams;
  const query = Object.fromEntries(filterNames.map((name) => [name, Array.isArray(raw[name]) ? raw[name][0] : raw[name]])) as Record<(typeof filterNames)[number], string | undefined>;
  const base = `/console/stores/${storeId}/statistics`;
  let statistics: StoreStatistics | null = null;
  let problem: string | null = null;
  try {
    statistics = await getStoreStatistics({ storeId, ...query });
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === 'not_found' && !query.posId && !query.acquirerId) notFound();
    if (error.code !== 'validation_failed' && error.code !== 'not_found') throw error;
    problem = error.fields?.map((field) => `${field.path}: ${field.message}`).join(' ') ?? error.message;
  }
  const options = await getStatisticsFilterOptions({ storeId });
  const exportQuery = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => Boolean(entry[1])));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Statistics"
        description="Your authorisations, approval rate, captures, refunds and declines per UTC day, by acquirer, brand and POS (brought up to date every minute)."
        actions={
          <Button asChild variant="outline">
            <a href={`${base}/export${exportQuery.size > 0 ? `?${exportQuery}` : ''}`} download>
              Export CSV
            </a>
          </Button>
        }
      />
      <StatisticsFiltersForm action={base} fields={['pos', 'acquirer', 'brand']} values={{ ...query, from: statistics?.from ?? query.from, to: statistics?.to ?? query.to }} options={options} />
      {problem ? (
        <Alert variant="error">
          <AlertDescription>Check the filters. {problem}</AlertDescription>
        </Alert>
      ) : null}
      {statistics ? (
        <>
          <p className="text-sm text-slate-600" data-testid="statistics-period">
            {statistics.from} to {statistics.to} (UTC)
          </p>
          <StatisticsView
            totals={statistics.totals}
            series={statistics.series}
            declinesByReason={statistics.declinesByReason}
            breakdowns={[
              { title: 'By POS', column: 'POS', testId: 'by-pos', rows: statistics.byPos.map((row) => ({ key: row.pos.id, label: row.pos.name, group: row })) },
              { title: 'By acquirer', column: 'Acquirer', testId: 'by-acquirer', rows: statistics.byAcquirer.map((row) => ({ key: row.acquirer.id, label: row.acquirer.name, detail: row.acquirer.code, group: row })) },
              { title: 'By brand', column: 'Brand', testId: 'by-brand', rows: statistics.byBrand.map((row) => ({ key: row.brand, label: row.brand, group: row })) },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
