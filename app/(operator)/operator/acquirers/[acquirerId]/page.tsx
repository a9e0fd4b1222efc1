import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/console/action-form';
import { StatusBadge } from '@/components/console/status-badge';
import { formatDate, formatDateTime } from '@/components/format';
import { AcquirerForm } from '@/components/operator/acquirer-form';
import { ApiCredentialsPanel } from '@/components/operator/api-credentials-panel';
import { BinRangeForm } from '@/components/operator/bin-range-form';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { Stat } from '@/components/ui/stat';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { acquirerBrands } from '@/lib/acquirers/acquirer-schema';
import { fetchGatewayCertificates, type GatewayChainView } from '@/lib/acquirers/fetch-gateway-certificates';
import { getAcquirer } from '@/lib/acquirers/get-acquirer';
import { listApiCredentials } from '@/lib/acquirers/list-api-credentials';
import { requireOperator } from '@/lib/auth/current';
import { addBinRangeAction, credentialAction, deleteBinRangeAction, revokeCredentialAction, updateAcquirerAction } from '../actions';

export const metadata: Metadata = { title: 'Acquirer' };

const chainTitles: Record<GatewayChainView['usage'], string> = { signature: 'Signature chain', keyExchange: 'Key-exchange chain' };

function DaysLeft({ days }: { days: number }) {
  if (days <= 0) return <Badge variant="danger">Ended</Badge>;
  return <Badge variant={days <= 7 ? 'danger' : days <= 30 ? 'warning' : 'success'}>{days} days</Badge>;
}

export default async function OperatorAcquirerPage({ params }: { params: Promise<{ acquirerId: string }> }) {
  await requireOperator();
  const { acquirerId } = await params;
  const acquirer = await getAcquirer(acquirerId);
  if (!acquirer) notFound();
  const [credentials, gateway] = await Promise.all([listApiCredentials(acquirer.id), fetchGatewayCertificates({ code: acquirer.code, gatewayUrl: acquirer.gatewayUrl })]);
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link className="text-brand-600 hover:underline" href="/operator/acquirers">
          ← Acquirers
        </Link>
      </p>
      <PageHeader title={acquirer.name} description={`${acquirer.code} · ${acquirer.brands.join(', ')} · onboarded ${formatDate(acquirer.createdAt)}`} actions={<StatusBadge status={acquirer.status} />} />

      <section aria-label="Stores" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Stores under contract" value={acquirer.stores.total} />
        <Stat label="Verified" value={acquirer.stores.verified} />
        <Stat label="Applied" value={acquirer.stores.applied} hint="Waiting for the acquirer’s answer" />
        <Stat label="Withdrawn" value={acquirer.stores.withdrawn} />
      </section>

      <Card>
        <CardHeader>
          <CardTitle>Settings</CardTitle>
          <CardDescription>The code {acquirer.code} never changes: gateway certificates and signed API requests name it.</CardDescription>
        </CardHeader>
        <CardContent>
          <AcquirerForm
            mode="edit"
            acquirerId={acquirer.id}
            brands={acquirerBrands}
            initial={{ code: acquirer.code, name: acquirer.name, gatewayUrl: acquirer.gatewayUrl, registryUrl: acquirer.registryUrl ?? '', brands: acquirer.brands, status: acquirer.status }}
            action={updateAcquirerAction}
          />
        </CardContent>
      </Card>

      <Card role="region" aria-labelledby="gateway-certificates">
        <CardHeader>
          <CardTitle id="gateway-certificates">Gateway certificates</CardTitle>
          <CardDescription>
            As the gateway publishes them now, checked as a payment checks them, at <span className="font-mono text-xs">{gateway.url}</span>, leaf first.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {!gateway.ok ? (
            <Alert variant="warning" data-testid="gateway-certificates-problem">
              <AlertDescription>Could not read the gateway’s certificates: {gateway.problem}</AlertDescription>
            </Alert>
          ) : (
            gateway.chains.map((chain) => (
              <div key={chain.usage} className="space-y-2">
                <h3 className="text-sm font-semibold text-slate-900">{chainTitles[chain.usage]}</h3>
                {chain.validation.ok ? (
                  <p className="text-sm text-emerald-700" data-testid={`gateway-chain-${chain.usage}-validation`}>Valid: chains to the pinned root, not revoked, issued to this acquirer as its gateway.</p>
                ) : (
                  <p className="text-sm text-red-700" data-testid={`gateway-chain-${chain.usage}-validation`}>
                    Not valid ({chain.validation.code}): {chain.validation.message}
                  </p>
                )}
                {chain.unreadable > 0 ? <p className="text-sm text-red-700">{chain.unreadable} entries of this chain are not readable certificates.</p> : null}
                <Table aria-label={chainTitles[chain.usage]} data-testid={`gateway-chain-${chain.usage}`}>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Subject</TableHead>
                      <TableHead>Role</TableHead>
                      <TableHead>Serial</TableHead>
                      <TableHead>Not after</TableHead>
                      <TableHead>Days left</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {chain.certificates.map((certificate) => (
                      <TableRow key={certificate.serialNumber + certificate.subject}>
                        <TableCell className="text-xs">{certificate.subject}</TableCell>
                        <TableCell>
                          {certificate.role ?? '—'}
                          {certificate.acquirerId && certificate.acquirerId !== acquirer.code ? <span className="block text-xs text-red-700">names {certificate.acquirerId}</span> : null}
                        </TableCell>
                        <TableCell className="font-mono text-xs">{certificate.serialNumber}</TableCell>
                        <TableCell className="whitespace-nowrap">{formatDateTime(certificate.notAfter)}</TableCell>
                        <TableCell>
                          <DaysLeft days={certificate.daysLeft} />
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            ))
          )}
        </CardContent>
      </Card>

      <Card role="region" aria-labelledby="bin-ranges" data-testid={`bin-ranges-${acquirer.code}`}>
        <CardHeader>
          <CardTitle id="bin-ranges">BIN ranges</CardTitle>
          <CardDescription>
            When a store’s POS can pay a brand through several acquirers, the checkout sends the card to the acquirer whose range holds the card’s BIN (its first six digits), the narrowest range first; equal
            ranges go to the acquirer first by name. A card no range holds goes to the first of those acquirers by name. Ranges of 7 or 8 digits apply only to wallets that send that many digits.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {acquirer.binRanges.length === 0 ? (
            <p className="text-sm text-slate-600">None: cards reach this acquirer only as the fallback.</p>
          ) : (
            <Table aria-label={`BIN ranges of ${acquirer.name}`}>
              <TableHeader>
                <TableRow>
                  <TableHead>Brand</TableHead>
                  <TableHead>First BIN</TableHead>
                  <TableHead>Last BIN</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {acquirer.binRanges.map((range) => (
                  <TableRow key={range.id} data-testid={`bin-range-${range.brand}-${range.binFrom}-${range.binTo}`}>
                    <TableCell>{range.brand}</TableCell>
                    <TableCell className="font-mono text-xs">{range.binFrom}</TableCell>
                    <TableCell className="font-mono text-xs">{range.binTo}</TableCell>
                    <TableCell>
                      <ActionForm action={deleteBinRangeAction} hidden={{ binRangeId: range.id }} label="Delete" pendingLabel="Deleting…" variant="destructive" />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <BinRangeForm acquirerId={acquirer.id} acquirerName={acquirer.name} brands={acquirer.brands} action={addBinRangeAction} />
        </CardContent>
      </Card>

      <Card role="region" aria-labelledby="api-credentials">
        <CardHeader>
          <CardTitle id="api-credentials">API credentials</CardTitle>
          <CardDescription>For the acquirer admin API. A secret is shown once, when issued or rotated; a rotated credential keeps working for 24 hours.</CardDescription>
        </CardHeader>
        <CardContent>
          <ApiCredentialsPanel
            acquirerId={acquirer.id}
            acquirerName={acquirer.name}
            credentials={credentials.map((credential) => ({
              credentialId: credential.credentialId,
              label: credential.label,
              created: formatDateTime(credential.createdAt),
              lastUsed: credential.lastUsedAt ? formatDateTime(credential.lastUsedAt) : null,
              expires: credential.expiresAt ? formatDateTime(credential.expiresAt) : null,
              revoked: credential.revokedAt ? formatDateTime(credential.revokedAt) : null,
              active: credential.active,
            }))}
            credentialAction={credentialAction}
            revokeAction={revokeCredentialAction}
          />
        </CardContent>
      </Card>
    </div>
  );
}
