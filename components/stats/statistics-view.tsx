import { formatMoney } from '@/components/format';
import { ActivityChart, AmountChart, DeclineReasonsChart } from '@/components/stats/statistics-charts';
import { Stat } from '@/components/ui/stat';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { currencyExponents, isSupportedCurrency } from '@/lib/payments/currencies';
import type { CurrencyFigures, StatisticsGroup } from '@/lib/stats/summarize-stats';

export interface Breakdown {
  title: string;
  /** What the first column names, e.g. "Acquirer". */
  column: string;
  testId: string;
  rows: { key: string; label: string; detail?: string; group: StatisticsGroup }[];
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const money = (amount: string, currency: string) => formatMoney(BigInt(amount), currency);
// Chart values only: a plotted point need not be exact to the last minor unit, the tables and CSV are.
const major = (amount: string, currency: string) => Number(amount) / 10 ** (isSupportedCurrency(currency) ? currencyExponents[currency] : 0);

function Amounts({ byCurrency, pick }: { byCurrency: CurrencyFigures[]; pick: (figures: CurrencyFigures) => string }) {
  const shown = byCurrency.filter((figures) => pick(figures) !== '0');
  if (shown.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <>
      {shown.map((figures) => (
        <span key={figures.currency} className="block tabular-nums">
          {money(pick(figures), figures.currency)}
        </span>
      ))}
    </>
  );
}

function BreakdownTable({ breakdown }: { breakdown: Breakdown }) {
  return (
    <section className="space-y-2" aria-label={breakdown.title}>
      <h3 className="text-base font-semibold text-slate-900">{breakdown.title}</h3>
      {breakdown.rows.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing in this period.</p>
      ) : (
        <Table aria-label={breakdown.title} data-testid={breakdown.testId}>
          <TableHeader>
            <TableRow>
              <TableHead>{breakdown.column}</TableHead>
              <TableHead className="text-right">Authorisations</TableHead>
              <TableHead className="text-right">Declines</TableHead>
              <TableHead className="text-right">Approval rate</TableHead>
              <TableHead className="text-right">Authorised</TableHead>
              <TableHead className="text-right">Captured</TableHead>
              <TableHead className="text-right">Refunded</TableHead>
              <TableHead className="text-right">Voided</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {breakdown.rows.map((row) => (
              <TableRow key={row.key} data-testid={`${breakdown.testId}-row`}>
                <TableCell>
                  {row.label}
                  {row.detail ? <span className="block text-xs text-slate-500">{row.detail}</span> : null}
                </TableCell>
                <TableCell className="text-right tabular-nums">{row.group.counts.authorizations}</TableCell>
                <TableCell className="text-right tabular-nums">{row.group.counts.declines}</TableCell>
                <TableCell className="text-right tabular-nums">{percent(row.group.approvalRate)}</TableCell>
                <TableCell className="text-right">
                  <Amounts byCurrency={row.group.byCurrency} pick={(figures) => figures.authorizations.amount} />
                </TableCell>
                <TableCell className="text-right">
                  <Amounts byCurrency={row.group.byCurrency} pick={(figures) => figures.captures.amount} />
                </TableCell>
                <TableCell className="text-right">
                  <Amounts byCurrency={row.group.byCurrency} pick={(figures) => figures.refunds.amount} />
                </TableCell>
                <TableCell className="text-right">
                  <Amounts byCurrency={row.group.byCurrency} pick={(figures) => figures.voids.amount} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

/**
 * A statistics dashboard: totals, the charts and the breakdown tables, for the operator's page and a
 * store's alike. Amounts are shown per currency, never added across currencies.
 */
export function StatisticsView(props: {
  totals: StatisticsGroup;
  series: (StatisticsGroup & { day: string })[];
  declinesByReason: { code: string; count: number }[];
  breakdowns: Breakdown[];
}) {
  const { totals, series } = props;
  const currencies = totals.byCurrency.map((figures) => figures.currency);
  const activity = series.map((point) => ({ day: point.day, authorizations: point.counts.authorizations, declines: point.counts.declines }));
  return (
    <div className="space-y-6">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="statistics-totals">
        <Stat label="Authorisations" value={<span data-testid="total-authorizations">{totals.counts.authorizations}</span>} hint={`${totals.counts.declines} declined`} />
        <Stat label="Approval rate" value={<span data-testid="approval-rate">{percent(totals.approvalRate)}</span>} hint="Authorisations of authorisations and declines" />
        <Stat label="Captures" value={totals.counts.captures} hint={`${totals.counts.voids} voided`} />
        <Stat label="Refunds" value={totals.counts.refunds} />
      </div>
      {totals.byCurrency.length === 0 ? null : (
        <Table aria-label="Amounts by currency" data-testid="totals-by-currency">
          <TableHeader>
            <TableRow>
              <TableHead>Currency</TableHead>
              <TableHead className="text-right">Authorised</TableHead>
              <TableHead className="text-right">Declined</TableHead>
              <TableHead className="text-right">Captured</TableHead>
              <TableHead className="text-right">Refunded</TableHead>
              <TableHead className="text-right">Voided</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {totals.byCurrency.map((figures) => (
              <TableRow key={figures.currency}>
                <TableCell>{figures.currency}</TableCell>
                {(['authorizations', 'declines', 'captures', 'refunds', 'voids'] as const).map((kind) => (
                  <TableCell key={kind} className="text-right tabular-nums">
                    {money(figures[kind].amount, figures.currency)}
                    <span className="block text-xs text-slate-500">{figures[kind].count}</span>
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <ActivityChart data={activity} />
        {currencies.length === 0 ? (
          <AmountChart currency="JPY" data={[]} />
        ) : (
          currencies.map((currency) => (
            <AmountChart
              key={currency}
              currency={currency}
              data={series.map((point) => {
                const figures = point.byCurrency.find((entry) => entry.currency === currency);
                return {
                  day: point.day,
                  authorized: figures ? major(figures.authorizations.amount, currency) : 0,
                  captured: figures ? major(figures.captures.amount, currency) : 0,
                  refunded: figures ? major(figures.refunds.amount, currency) : 0,
                };
              })}
            />
          ))
        )}
        <DeclineReasonsChart data={props.declinesByReason} />
      </div>
      {props.breakdowns.map((breakdown) => (
        <BreakdownTable key={breakdown.testId} breakdown={breakdown} />
      ))}
    </div>
  );
}
