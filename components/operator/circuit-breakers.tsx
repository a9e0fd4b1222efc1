import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { AcquirerCircuitView, InstanceCircuitView } from '@/lib/operator/list-acquirer-circuits';
import type { CircuitState } from '@/lib/payments/circuit-breaker';

const stateText: Record<CircuitState, { label: string; variant: 'success' | 'warning' | 'danger' }> = {
  CLOSED: { label: 'Closed: payments go through', variant: 'success' },
  HALF_OPEN: { label: 'Half-open: one trial payment', variant: 'warning' },
  OPEN: { label: 'Open: payments refused', variant: 'danger' },
};

/** To the second: a breaker's cool-down is counted in seconds. */
function formatInstant(value: Date): string {
  return `${value.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A breaker's state in words (the colour only repeats them). */
export function CircuitStateBadge({ state }: { state: CircuitState }) {
  return <Badge variant={stateText[state].variant}>{stateText[state].label}</Badge>;
}

/** The acquirer's breaker in one cell: the latest recorded state, and how many instances are not closed. */
export function CircuitSummary({ circuit }: { circuit: AcquirerCircuitView | undefined }) {
  const latest = circuit?.latest;
  if (!latest) return <CircuitStateBadge state="CLOSED" />;
  return (
    <span className="space-y-1">
      <CircuitStateBadge state={latest.state} />
      <span className="block text-xs text-slate-600">since {formatInstant(latest.since)}</span>
      {circuit.instances.length > 1 && circuit.notClosed > 0 ? (
        <span className="block text-xs text-red-700">
          not closed on {circuit.notClosed} of {circuit.instances.length} instances
        </span>
      ) : null}
    </span>
  );
}

function InstanceRow({ view }: { view: InstanceCircuitView }) {
  return (
    <TableRow data-testid={`circuit-instance-${view.instance}`}>
      <TableCell className="font-mono text-xs">{view.instance}</TableCell>
      <TableCell>
        <CircuitStateBadge state={view.state} />
      </TableCell>
      <TableCell className="whitespace-nowrap">{formatInstant(view.since)}</TableCell>
      <TableCell className="tabular-nums">{view.failures}</TableCell>
      <TableCell>{view.lastFailure && view.lastFailureAt ? `${view.lastFailure} (${formatInstant(view.lastFailureAt)})` : '—'}</TableCell>
      <TableCell className="whitespace-nowrap">{view.trialFrom ? formatInstant(view.trialFrom) : '—'}</TableCell>
      <TableCell className="tabular-nums">{view.openedCount}</TableCell>
      <TableCell className="whitespace-nowrap">{formatInstant(view.recordedAt)}</TableCell>
    </TableRow>
  );
}

/** Every acquirer's breakers, per app instance, as each instance last recorded them. */
export function CircuitBreakersTables({ circuits }: { circuits: AcquirerCircuitView[] }) {
  const recorded = circuits.filter((circuit) => circuit.instances.length > 0);
  if (recorded.length === 0) return <p className="text-sm text-slate-600">No instance has recorded a gateway failure: every breaker is closed.</p>;
  return (
    <div className="space-y-6">
      {recorded.map((circuit) => (
        <div key={circuit.acquirerId} className="space-y-2" data-testid={`circuits-${circuit.code}`}>
          <h3 className="text-sm font-semibold text-slate-900">{circuit.name}</h3>
          <Table aria-label={`Circuit breakers of ${circuit.name}, per app instance`}>
            <TableHeader>
              <TableRow>
                <TableHead>Instance</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Since</TableHead>
                <TableHead>Failures in a row</TableHead>
                <TableHead>Last failure</TableHead>
                <TableHead>Trial allowed from</TableHead>
                <TableHead>Times opened</TableHead>
                <TableHead>Recorded</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {circuit.instances.map((view) => (
                <InstanceRow key={view.instance} view={view} />
              ))}
            </TableBody>
          </Table>
        </div>
      ))}
    </div>
  );
}
