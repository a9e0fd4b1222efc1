import type { Metadata } from 'next';
import { formatDateTime } from '@/components/format';
import { ResumeStoreForm } from '@/components/console/resume-store-form';
import { SuspendStoreForm } from '@/components/console/suspend-store-form';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireStoreUser } from '@/lib/auth/current';
import { getStoreHeader } from '@/lib/stores/get-store-overview';
import { getStoreSuspension } from '@/lib/stores/get-store-suspension';
import { resumeStoreAction, suspendStoreAction } from './actions';

export const metadata: Metadata = { title: 'Security' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function StoreSecurityPage({ params, searchParams }: { params: Promise<{ storeId: string }>; searchParams: SearchParams }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const [store, suspension, query] = await Promise.all([getStoreHeader(storeId), getStoreSuspension(storeId), searchParams]);
  return (
    <div className="space-y-6">
      <PageHeader title="Security" description="Stop all processing at once if you suspect misuse, for example a leaked password." />
      {query.resumed === '1' && store.status === 'ACTIVE' ? (
        <Alert variant="success">
          <AlertDescription>Processing is resumed. Payments are authorised again through all your acquirers.</AlertDescription>
        </Alert>
      ) : null}
      {store.status === 'ACTIVE' ? (
        <Card>
          <CardHeader>
            <CardTitle>Suspend processing</CardTitle>
            <CardDescription>
              Every acquirer stops authorising payments for this store at once. Everyone signed in to this store&apos;s console is signed out; to resume, sign in again
              and come back to this page.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <SuspendStoreForm storeId={storeId} action={suspendStoreAction} />
          </CardContent>
        </Card>
      ) : null}
      {suspension ? (
        <Card>
          <CardHeader>
            <CardTitle>Processing is suspended</CardTitle>
            <CardDescription>No payment is authorised for this store through any acquirer.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium text-slate-700">Suspended by</dt>
              <dd className="text-slate-900" data-testid="suspended-by">
                {suspension.suspendedByLabel}
              </dd>
              <dt className="font-medium text-slate-700">Since</dt>
              <dd className="text-slate-900">{suspension.suspendedAt ? formatDateTime(suspension.suspendedAt) : 'unknown'}</dd>
              <dt className="font-medium text-slate-700">Reason</dt>
              <dd className="whitespace-pre-line text-slate-900" data-testid="suspension-reason">
                {suspension.reason}
              </dd>
            </dl>
            {suspension.canResumeInConsole ? (
              <>
                <h3 className="font-medium text-slate-900">Resume processing</h3>
                <p className="text-sm text-slate-600">Enter your password to confirm that you have dealt with the reason for the suspension.</p>
                <ResumeStoreForm storeId={storeId} action={resumeStoreAction} />
              </>
            ) : (
              <p className="text-sm text-slate-700">
                Only {suspension.suspendedByLabel} can lift this suspension. Contact them if you have questions.
              </p>
            )}
          </CardContent>
        </Card>
      ) : null}
      {store.status === 'PENDING' ? (
        <Alert variant="info">
          <AlertDescription>Your store is not active yet, so there is no processing to suspend.</AlertDescription>
        </Alert>
      ) : null}
      {store.status === 'WITHDRAWN' ? (
        <Alert variant="info">
          <AlertDescription>Your store has withdrawn from ServerPOS; it processes no payments.</AlertDescription>
        </Alert>
      ) : null}
    </div>
  );
}
