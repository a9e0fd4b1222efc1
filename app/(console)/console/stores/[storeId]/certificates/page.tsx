import type { Metadata } from 'next';
import { ShieldCheck } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { AutoRefresh } from '@/components/console/auto-refresh';
import { StatusBadge } from '@/components/console/status-badge';
import { daysUntil, formatDate, formatDateTime } from '@/components/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { getCertificateOverview } from '@/lib/certificates/get-certificate-overview';
import { deletePosCertificatesAction, registerPosAction, renewAllAction, renewPosAction, retryRenewalAction } from './actions';

export const metadata: Metadata = { title: 'Certificates' };

const usageLabel = (usage: string) => (usage === 'SIGNATURE' ? 'Signature' : 'Key exchange');
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function CertificatesPage({ params, searchParams }: { params: Promise<{ storeId: string }>; searchParams: Promise<{ pos?: string }> }) {
  const { storeId } = await params;
  const { pos } = await searchParams;
  await requireStoreUser(storeId);
  const posId = pos && uuidPattern.test(pos) ? pos : undefined;
  const { poses, latestRun, history } = await getCertificateOverview(storeId, posId ? { posId } : {});
  const registered = poses.some((entry) => entry.acquirers.some((link) => link.status === 'REGISTERED'));
  const run = latestRun;
  const done = run ? run.items.filter((item) => item.status === 'SUCCEEDED' || item.status === 'FAILED').length : 0;
  const failed = run ? run.items.filter((item) => item.status === 'FAILED').length : 0;
  const running = run?.status === 'RUNNING';

  return (
    <div className="space-y-6">
      <PageHeader
        title="Certificates"
        description="Each POS holds a signature and a key-exchange certificate for every acquirer it uses. Renewing always makes new key pairs; the old certificates serve until the new ones are in place."
      />
      <AutoRefresh active={running} />

      {registered ? (
        <ActionForm action={renewAllAction} hidden={{ storeId }} label="Renew all certificates" pendingLabel="Starting…" variant="default" size="default" className="flex flex-wrap items-center gap-3" />
      ) : null}

      {run ? (
        <Card aria-labelledby="renewal-title">
          <CardHeader>
            <CardTitle id="renewal-title">{running ? 'Renewing certificates' : 'Last renewal'}</CardTitle>
            <CardDescription>
              Started {formatDateTime(run.createdAt)}
              {run.finishedAt ? `, finished ${formatDateTime(run.finishedAt)}` : ''}. {done} of {run.items.length} done{failed > 0 ? `, ${failed} failed` : ''}.
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <div
              role="progressbar"
              aria-label="Renewal progress"
              aria-valuemin={0}
              aria-valuemax={run.items.length}
              aria-valuenow={done}
              className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
            >
              <div className={failed > 0 ? 'h-full bg-amber-500' : 'h-full bg-brand-600'} style={{ width: `${run.items.length ? Math.round((done / run.items.length) * 100) : 0}%` }} />
            </div>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>POS</TableHead>
                  <TableHead>Acquirer</TableHead>
                  <TableHead>Result</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {run.items.map((item) => (
                  <TableRow key={item.id}>
                    <TableCell>{item.posAcquirer.pos.name}</TableCell>
                    <TableCell>{item.posAcquirer.acquirer.name}</TableCell>
                    <TableCell>
                      <StatusBadge status={item.status} />
                      {item.errorMessage ? <span className="ml-2 text-sm text-red-700">{item.errorMessage}</span> : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {!running && failed > 0 ? <ActionForm action={retryRenewalAction} hidden={{ storeId, runId: run.id }} label={`Retry the ${failed} that failed`} pendingLabel="Starting…" /> : null}
          </CardContent>
        </Card>
      ) : null}

      {poses.length === 0 ? (
        <EmptyState icon={ShieldCheck} title="No POS here" description="Add a POS under POSes; it registers with each of your acquirers here." />
      ) : (
        poses.map((pos) => (
          <Card key={pos.id} aria-labelledby={`pos-${pos.id}`}>
            <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
              <div>
                <CardTitle id={`pos-${pos.id}`}>{pos.name}</CardTitle>
                <CardDescription>{pos.status === 'ACTIVE' ? 'Active POS' : 'Disabled POS'}</CardDescription>
              </div>
              {pos.acquirers.some((link) => link.status === 'REGISTERED') ? (
                <ActionForm action={renewAllAction} hidden={{ storeId, posId: pos.id }} label={`Renew all for ${pos.name}`} pendingLabel="Starting…" />
              ) : null}
            </CardHeader>
            <CardContent>
              {pos.acquirers.length === 0 ? (
                <p className="text-sm text-slate-600">This POS uses no acquirer yet. Choose its acquirers under POSes.</p>
              ) : (
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead>Acquirer</TableHead>
                      <TableHead>Certificates</TableHead>
                      <TableHead>Status</TableHead>
                      <TableHead className="w-72">Actions</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {pos.acquirers.map((link) => (
                      <TableRow key={link.id} data-testid={`link-${pos.name}-${link.acquirer.name}`}>
                        <TableCell>
                          <div className="font-medium">{link.acquirer.name}</div>
                          <div className="text-xs text-slate-500">
                            {link.acquirer.brands.join(', ')} · merchant {link.merchantNumber}
                          </div>
                        </TableCell>
                        <TableCell>
                          {link.certificates.length === 0 ? (
                            <span className="text-sm text-slate-500">None</span>
                          ) : (
                            <ul className="space-y-1 text-sm">
                              {link.certificates.map((certificate) => (
                                <li key={certificate.id}>
                                  {usageLabel(certificate.usage)} <span className="font-mono text-xs">{certificate.serialNumber.slice(0, 16)}</span> · valid until {formatDate(certificate.notAfter)}{' '}
                                  <span className="text-xs text-slate-500">({daysUntil(certificate.notAfter)} days)</span>
                                </li>
                              ))}
                            </ul>
                          )}
                        </TableCell>
                        <TableCell>
                          {link.contractStatus !== 'VERIFIED' ? <StatusBadge status={link.contractStatus} /> : <StatusBadge status={link.status} />}
                          {link.busySince ? <span className="ml-2 text-xs text-slate-500">request in progress</span> : null}
                        </TableCell>
                        <TableCell className="space-y-2">
                          {link.contractStatus !== 'VERIFIED' ? (
                            <span className="text-sm text-slate-600">Waiting for the acquirer to verify your contract.</span>
                          ) : link.status === 'REGISTERED' ? (
                            <>
                              <ActionForm action={renewPosAction} hidden={{ storeId, posAcquirerId: link.id }} label="Renew" pendingLabel="Renewing…" />
                              <details className="text-sm">
                                <summary className="cursor-pointer text-slate-700">Delete…</summary>
                                <ActionForm
                                  action={deletePosCertificatesAction}
                                  hidden={{ storeId, posAcquirerId: link.id }}
                                  label="Delete certificates"
                                  variant="destructive"
                                  confirm={`${pos.name} stops taking payments through ${link.acquirer.name}.`}
                                  className="mt-2 space-y-2"
                                />
                              </details>
                            </>
                          ) : link.status === 'PENDING' ? (
                            <ActionForm
                              action={registerPosAction}
                              hidden={{ storeId, posAcquirerId: link.id }}
                              label="Register and get certificates"
                              pendingLabel="Registering…"
                              variant="default"
                              {...(link.needsAcquisitionNumber
                                ? { input: { name: 'acquisitionNumber', label: 'Certificate acquisition number', hint: `From ${link.acquirer.name}'s e-mail after enrolment. Used once.`, placeholder: 'XXXXX-XXXXX-XXXXX-XXXXX' } }
                                : {})}
                            />
                          ) : (
                            <span className="text-sm text-slate-600">No longer used.</span>
                          )}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
        ))
      )}

      {history.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>Earlier certificates</CardTitle>
            <CardDescription>Renewed, deleted, revoked or expired certificates, kept for your records.</CardDescription>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>POS</TableHead>
                  <TableHead>Acquirer</TableHead>
                  <TableHead>Usage</TableHead>
                  <TableHead>Serial</TableHead>
                  <TableHead>Valid until</TableHead>
                  <TableHead>Status</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {history.map((certificate) => (
                  <TableRow key={certificate.id}>
                    <TableCell>{certificate.posAcquirer.pos.name}</TableCell>
                    <TableCell>{certificate.posAcquirer.acquirer.name}</TableCell>
                    <TableCell>{usageLabel(certificate.usage)}</TableCell>
                    <TableCell className="font-mono text-xs">{certificate.serialNumber.slice(0, 16)}</TableCell>
                    <TableCell>{formatDate(certificate.notAfter)}</TableCell>
                    <TableCell>
                      <StatusBadge status={certificate.status} />
                      {certificate.revokedAt ? <span className="ml-2 text-xs text-slate-500">revoked at the CA</span> : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
