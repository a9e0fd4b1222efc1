import type { Metadata } from 'next';
import Link from 'next/link';
import { MonitorSmartphone } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { ApiKeysPanel } from '@/components/console/api-keys-panel';
import { StatusBadge } from '@/components/console/status-badge';
import { WebhookUrlForm } from '@/components/console/webhook-url-form';
import { formatDate, formatDateTime } from '@/components/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Select } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { listPoses, listVerifiedContracts } from '@/lib/stores/list-poses';
import { addPosAcquirerAction, apiKeyAction, createPosAction, removePosAcquirerAction, renamePosAction, revokeApiKeyAction, setCaptureModeAction, setPosStatusAction } from './actions';
import { setWebhookUrlAction } from './webhook-actions';

export const metadata: Metadata = { title: 'POSes' };

export default async function PosesPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const [poses, contracts] = await Promise.all([listPoses(storeId), listVerifiedContracts(storeId)]);
  return (
    <div className="space-y-6">
      <PageHeader title="POSes" description="Each POS has its own API keys and its own set of acquirers — for example a web shop and phone orders." />
      <Card>
        <CardHeader>
          <CardTitle>Add a POS</CardTitle>
          <CardDescription>A name your staff will recognise; each POS of your store needs its own.</CardDescription>
        </CardHeader>
        <CardContent>
          <ActionForm action={createPosAction} hidden={{ storeId }} input={{ name: 'name', label: 'Name of the new POS', placeholder: 'e.g. Phone orders' }} label="Add POS" pendingLabel="Adding…" variant="default" size="default" />
        </CardContent>
      </Card>
      {poses.length === 0 ? (
        <EmptyState icon={MonitorSmartphone} title="No POS yet" description="Add a POS above, then choose its acquirers and create an API key for your shop." />
      ) : (
        poses.map((pos) => {
          const available = contracts.filter((contract) => !pos.acquirers.some((link) => link.acquirer.id === contract.acquirer.id));
          const certificatesHref = `/console/stores/${storeId}/certificates?pos=${pos.id}`;
          return (
            <Card key={pos.id} aria-labelledby={`pos-${pos.id}-title`} role="region" data-testid={`pos-${pos.name}`}>
              <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
                <div className="space-y-1">
                  <CardTitle id={`pos-${pos.id}-title`} className="flex items-center gap-2">
                    {pos.name} <StatusBadge status={pos.status} />
                  </CardTitle>
                  <CardDescription>Created {formatDate(pos.createdAt)}. {pos.status === 'DISABLED' ? 'Disabled: its API keys are refused.' : null}</CardDescription>
                </div>
                <ActionForm
                  action={setPosStatusAction}
                  hidden={{ storeId, posId: pos.id, status: pos.status === 'ACTIVE' ? 'DISABLED' : 'ACTIVE' }}
                  label={pos.status === 'ACTIVE' ? 'Disable POS' : 'Enable POS'}
                  pendingLabel="Saving…"
                  variant={pos.status === 'ACTIVE' ? 'destructive' : 'default'}
                />
              </CardHeader>
              <CardContent className="space-y-8">
                <ActionForm action={renamePosAction} hidden={{ storeId, posId: pos.id }} input={{ name: 'name', label: 'POS name', placeholder: pos.name }} label="Rename" pendingLabel="Renaming…" className="max-w-md space-y-2" />

                <ActionForm action={setCaptureModeAction} hidden={{ storeId, posId: pos.id }} label="Save capture mode" pendingLabel="Saving…" className="max-w-md space-y-2">
                  <div className="space-y-1.5">
                    <label htmlFor={`pos-${pos.id}-capture-mode`} className="block text-sm font-medium text-slate-800">
                      Captures
                    </label>
                    <Select id={`pos-${pos.id}-capture-mode`} name="captureMode" defaultValue={pos.captureMode} aria-describedby={`pos-${pos.id}-capture-mode-hint`}>
                      <option value="IMMEDIATE">At once — each capture goes to the acquirer when it is made</option>
                      <option value="DAILY_BATCH">Daily batch — captures are queued and sent once a day per acquirer</option>
                    </Select>
                    <p id={`pos-${pos.id}-capture-mode-hint`} className="text-xs text-slate-600">
                      Batched captures appear on the settlements page until the day’s batch is sent.
                    </p>
                  </div>
                </ActionForm>

                <section className="space-y-3" aria-labelledby={`pos-${pos.id}-acquirers`}>
                  <h3 id={`pos-${pos.id}-acquirers`} className="font-semibold text-slate-900">
                    Acquirers
                  </h3>
                  {pos.acquirers.length === 0 ? (
                    <p className="text-sm text-slate-600">This POS uses no acquirer yet.</p>
                  ) : (
                    <Table aria-label={`Acquirers of ${pos.name}`}>
                      <TableHeader>
                        <TableRow>
                          <TableHead>Acquirer</TableHead>
                          <TableHead>Brands</TableHead>
                          <TableHead>Status</TableHead>
                          <TableHead>Certificates</TableHead>
                          <TableHead>
                            <span className="sr-only">Actions</span>
                          </TableHead>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {pos.acquirers.map((link) => (
                          <TableRow key={link.id} data-testid={`pos-acquirer-${link.acquirer.code}`}>
                            <TableCell className="font-medium">{link.acquirer.name}</TableCell>
                            <TableCell>{link.acquirer.brands.join(', ')}</TableCell>
                            <TableCell>
                              <StatusBadge status={link.status} />
                            </TableCell>
                            <TableCell>
                              {/* No "Certificates" in the link's name: the navigation's Certificates link keeps a name of its own. */}
                              <Link href={certificatesHref} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
                                {link.status === 'REGISTERED' ? `${link._count.certificates} active` : 'Register'}
                              </Link>
                            </TableCell>
                            <TableCell>
                              <ActionForm action={removePosAcquirerAction} hidden={{ storeId, posId: pos.id, posAcquirerId: link.id }} label="Remove" pendingLabel="Removing…" />
                            </TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  )}
                  {available.length > 0 ? (
                    <ActionForm action={addPosAcquirerAction} hidden={{ storeId, posId: pos.id }} label="Add acquirer" pendingLabel="Adding…" className="flex flex-wrap items-end gap-3">
                      <div className="min-w-64 space-y-1.5">
                        <label htmlFor={`pos-${pos.id}-contract`} className="block text-sm font-medium text-slate-800">
                          Acquirer to add
                        </label>
                        <Select id={`pos-${pos.id}-contract`} name="contractId" defaultValue={available[0]!.id}>
                          {available.map((contract) => (
                            <option key={contract.id} value={contract.id}>
                              {contract.acquirer.name} ({contract.acquirer.brands.join(', ')}) — {contract.merchantNumber}
                            </option>
                          ))}
                        </Select>
                      </div>
                    </ActionForm>
                  ) : (
                    <p className="text-sm text-slate-600">
                      {contracts.length === 0 ? 'An acquirer can be added once it has verified your contract.' : 'This POS already uses every acquirer that has verified your contract.'}
                    </p>
                  )}
                </section>

                <section className="space-y-3" aria-labelledby={`pos-${pos.id}-keys`}>
                  <h3 id={`pos-${pos.id}-keys`} className="font-semibold text-slate-900">
                    API keys
                  </h3>
                  <ApiKeysPanel
                    storeId={storeId}
                    posId={pos.id}
                    posName={pos.name}
                    keyAction={apiKeyAction}
                    revokeAction={revokeApiKeyAction}
                    keys={pos.apiKeys.map((key) => ({
                      id: key.id,
                      label: key.label,
                      prefix: key.prefix,
                      created: formatDateTime(key.createdAt),
                      lastUsed: key.lastUsedAt ? formatDateTime(key.lastUsedAt) : null,
                      revoked: key.revokedAt ? formatDateTime(key.revokedAt) : null,
                    }))}
                  />
                </section>

                <section className="space-y-3" aria-labelledby={`pos-${pos.id}-webhooks`}>
                  <h3 id={`pos-${pos.id}-webhooks`} className="font-semibold text-slate-900">
                    Webhooks
                  </h3>
                  <WebhookUrlForm storeId={storeId} posId={pos.id} posName={pos.name} webhookUrl={pos.webhookUrl} action={setWebhookUrlAction} />
                  <p className="text-sm text-slate-600">
                    <Link href={`/console/stores/${storeId}/webhooks`} className="text-brand-700 underline underline-offset-2 hover:text-brand-800">
                      Events and delivery log
                    </Link>
                  </p>
                </section>
              </CardContent>
            </Card>
          );
        })
      )}
    </div>
  );
}
