'use client';

import { useId, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

/**
 * The statistics charts (recharts, in the browser). Each is a figure named by its caption, so people using a
 * screen reader and the browser tests find it by name; with nothing to draw it says so instead of drawing
 * empty axes. The data arrive ready to plot: days as YYYY-MM-DD, amounts already in major units.
 */

const colors = { authorizations: '#059669', declines: '#e11d48', captured: '#2563eb', refunded: '#d97706', authorized: '#059669' } as const;
const chartStyle = { width: '100%', height: 260 } as const;
const shortDay = (day: string) => day.slice(5);

function ChartFigure(props: { caption: string; description?: string; empty: boolean; emptyText: string; testId: string; children: ReactNode }) {
  const captionId = useId();
  return (
    <figure aria-labelledby={captionId} data-testid={props.testId} data-empty={props.empty ? 'true' : 'false'} className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption id={captionId} className="mb-3 text-sm font-semibold text-slate-900">
        {props.caption}
        {props.description ? <span className="block text-xs font-normal text-slate-500">{props.description}</span> : null}
      </figcaption>
      {props.empty ? <p className="flex h-[260px] items-center justify-center rounded border border-dashed border-slate-300 text-sm text-slate-500">{props.emptyText}</p> : props.children}
    </figure>
  );
}

/** Authorisations and declines per day, stacked. */
export function ActivityChart({ data }: { data: { day: string; authorizations: number; declines: number }[] }) {
  const empty = data.every((point) => point.authorizations === 0 && point.declines === 0);
  return (
    <ChartFigure caption="Authorisations and declines per day" testId="chart-activity" empty={empty} emptyText="No authorisation or decline in this period.">
      <BarChart responsive style={chartStyle} data={data} margin={{ top: 5, right: 10, bottom: 5, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
        <YAxis allowDecimals={false} width="auto" />
        <Tooltip />
        <Legend />
        <Bar dataKey="authorizations" name="Authorisations" stackId="outcome" fill={colors.authorizations} isAnimationActive={false} />
        <Bar dataKey="declines" name="Declines" stackId="outcome" fill={colors.declines} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}

/** Authorised, captured and refunded amounts per day in one currency. */
export function AmountChart({ currency, data }: { currency: string; data: { day: string; authorized: number; captured: number; refunded: number }[] }) {
  const empty = data.every((point) => point.authorized === 0 && point.captured === 0 && point.refunded === 0);
  return (
    <ChartFigure caption={`Amounts per day (${currency})`} testId={`chart-amounts-${currency}`} empty={empty} emptyText={`Nothing authorised, captured or refunded in ${currency} in this period.`}>
      <LineChart responsive style={chartStyle} data={data} margin={{ top: 5, right: 10, bottom: 5, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={16} />
        <YAxis width="auto" />
        <Tooltip />
        <Legend />
        <Line type="monotone" dataKey="authorized" name="Authorised" stroke={colors.authorized} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="captured" name="Captured" stroke={colors.captured} dot={false} isAnimationActive={false} />
        <Line type="monotone" dataKey="refunded" name="Refunded" stroke={colors.refunded} dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

/** Declines by the issuer's reason, most frequent first. */
export function DeclineReasonsChart({ data }: { data: { code: string; count: number }[] }) {
  return (
    <ChartFigure caption="Declines by reason" description="The issuer’s reason codes, over every currency." testId="chart-declines" empty={data.length === 0} emptyText="No decline in this period.">
      <BarChart responsive layout="vertical" style={{ width: '100%', height: Math.max(160, 40 * data.length + 60) }} data={data} margin={{ top: 5, right: 10, bottom: 5, left: 10 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} />
        <YAxis type="category" dataKey="code" width="auto" />
        <Tooltip />
        <Bar dataKey="count" name="Declines" fill={colors.declines} isAnimationActive={false} />
      </BarChart>
    </ChartFigure>
  );
}
