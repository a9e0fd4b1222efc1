import type { Metadata } from 'next';
import Link from 'next/link';
import { Landmark } from 'lucide-react';
import { StatusBadge } from '@/components/console/status-badge';
import { AcquirerForm } from '@/components/operator/acquirer-form';
import { CircuitBreakersTables, CircuitSummary } from '@/components/operator/circuit-breakers';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { acquirerBrands } from '@/lib/acquirers/acquirer-schema';
import { requireOperator } from '@/lib/auth/current';
import { env } from '@/lib/env';
import { listAcquirerCircuits } from '@/lib/operator/list-acquirer-circuits';
import { listAcquirers } from '@/lib/operator/list-acquirers';
import { createAcquirerAction } from './actions';

export const metadata: Metadata = { title: 'Acquirers' };

export default async function OperatorAcquirersPage() {
  await requireOperator();
  const [acquirers, circuits] = await Promise.all([listAcquirers(), listAcquirerCircuits()]);
  const circuitOf = new Map(circuits.map((circuit) => [circuit.acquirerId, circuit]));
  const { GATEWAY_CIRCUIT_FAILURES: failureThreshold, GATEWAY_CIRCUIT_COOLDOWN_SECONDS: cooldownSeconds } = env();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Acquirers"
        description="The settlement institutions ServerPOS connects stores to, and their payment gateways. Open one for its settings, BIN ranges, gateway certificates and API credentials."
      />
      {acquirers.length === 0 ? (
        <EmptyState icon={Landmark} title="No acquirers yet" description="Add the first acquirer below with its gateway, registry and brands." />
      ) : (
        <Table aria-label="Acquirers" data-testid="acquirers-table">
          <TableHeader>
            <TableRow>
              <TableHead>Acquirer</TableHead>
              <TableHead>Code</TableHead>
              <TableHead>Brands</TableHead>
              <TableHead>Gateway</TableHead>
              <TableHead>Store contracts</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Gateway circuit</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {acquirers.map((acquirer) => (
              <TableRow key={acquirer.id} data-testid={`acquirer-${acquirer.code}`}>
                <TableCell className="font-medium">
                  <Link className="text-brand-600 hover:underline" href={`/operator/acquirers/${acquirer.id}`}>
                    {acquirer.name}
                  </Link>
                </TableCell>
                <TableCell className="font-mono text-xs">{acquirer.code}</TableCell>
                <TableCell>{acquirer.brands.join(', ')}</TableCell>
                <TableCell className="font-mono text-xs">{acquirer.gatewayUrl}</TableCell>
                <TableCell>{acquirer._count.contracts}</TableCell>
                <TableCell>
                  <StatusBadge status={acquirer.status} />
                </TableCell>
                <TableCell data-testid={`circuit-${acquirer.code}`}>
                  <CircuitSummary circuit={circuitOf.get(acquirer.id)} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Card role="region" aria-labelledby="circuit-breakers">
        <CardHeader>
          <CardTitle id="circuit-breakers">Gateway circuit breakers</CardTitle>
          <CardDescription>
            Each app instance keeps a breaker per acquirer. After {failureThreshold} gateway failures in a row (no answer in time, a refused connection, a 5xx, an answer that does not verify; never a
            decline) it opens: that instance refuses payments to the acquirer at once, sending nothing, for {cooldownSeconds} s; then one trial payment goes, and its success closes the breaker.
            Payments whose outcome is unknown are settled by the worker as always. Rows are each instance’s last recorded change.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CircuitBreakersTables circuits={circuits} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Add an acquirer</CardTitle>
          <CardDescription>Active at once: stores can apply to it. Add its BIN ranges and issue its API credentials on its own page.</CardDescription>
        </CardHeader>
        <CardContent>
          <AcquirerForm mode="create" brands={acquirerBrands} action={createAcquirerAction} />
        </CardContent>
      </Card>
    </div>
  );
}
