import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { CheckAcquirersButton } from '@/components/console/check-acquirers-button';
import { CheckoutFrameOriginsForm } from '@/components/console/checkout-frame-origins-form';
import { RecoveryPins } from '@/components/console/recovery-pins';
import { SettlementEmailsForm } from '@/components/console/settlement-emails-form';
import { AcquirerStoreInfoStatus, StoreInfoHistoryTable } from '@/components/console/store-info-history';
import { StoreProfileForm } from '@/components/console/store-profile-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireStoreUser } from '@/lib/auth/current';
import { listRecoveryPins } from '@/lib/auth/list-recovery-pins';
import { getStoreInfoHistory } from '@/lib/stores/get-store-info-history';
import { getCheckoutFrameOrigins, MAX_CHECKOUT_FRAME_ORIGINS } from '@/lib/stores/set-checkout-frame-origins';
import { getStoreProfile } from '@/lib/stores/update-store-profile';
import { checkAcquirersAction, updateStoreProfileAction } from './actions';
import { setCheckoutFrameOriginsAction } from './frame-origins-actions';
import { setRecoveryPinAction } from './recovery-pin-actions';
import { setSettlementEmailsAction } from './settlement-email-actions';

export const metadata: Metadata = { title: 'Store settings' };

export default async function StoreSettingsPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const [profile, history, frameOrigins] = await Promise.all([getStoreProfile(storeId), getStoreInfoHistory(storeId), getCheckoutFrameOrigins(storeId)]);
  if (!profile || !history) notFound();
  return (
    <div className="space-y-6">
      <PageHeader title="Store settings" description="Your store's information, as your acquirers see it." />
      <p className="text-sm text-slate-600">
        Your store id: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs" data-testid="store-id">{storeId}</code> — give it to a store that wants to let you sell through its POS (Affiliates).
      </p>
      <Card>
        <CardHeader>
          <CardTitle>Store information</CardTitle>
          <CardDescription>
            Version {profile.storeInfoVersion}. Every change to these details makes a new version, sent to each of your acquirers; the alert threshold is yours alone.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <StoreProfileForm
            storeId={storeId}
            version={profile.storeInfoVersion}
            action={updateStoreProfileAction}
            initial={{
              name: profile.name,
              contactEmail: profile.contactEmail,
              phone: profile.phone ?? '',
              postalAddress: profile.postalAddress ?? '',
              websiteUrl: profile.websiteUrl ?? '',
              certificateAlertDays: String(profile.certificateAlertDays),
            }}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Settlement e-mails</CardTitle>
          <CardDescription>A note to {profile.contactEmail} whenever a capture, void or refund completes at the acquirer.</CardDescription>
        </CardHeader>
        <CardContent>
          <SettlementEmailsForm storeId={storeId} enabled={profile.settlementEmails} action={setSettlementEmailsAction} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Embedded checkout</CardTitle>
          <CardDescription>
            Your shop may show the checkout inside its own page by framing <code className="font-mono text-xs">/checkout/&lt;token&gt;?embed=1</code>. Browsers let only the sites listed here frame it; the full checkout page is never framed.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CheckoutFrameOriginsForm storeId={storeId} origins={frameOrigins} maxOrigins={MAX_CHECKOUT_FRAME_ORIGINS} action={setCheckoutFrameOriginsAction} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>At your acquirers</CardTitle>
          <CardDescription>Which version each acquirer has. A change an acquirer makes comes back here within five minutes, or at once when you check.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <AcquirerStoreInfoStatus history={history} />
          <CheckAcquirersButton action={checkAcquirersAction.bind(null, storeId)} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Store information history</CardTitle>
          <CardDescription>Every version, newest first: who made it and what it changed.</CardDescription>
        </CardHeader>
        <CardContent>
          <StoreInfoHistoryTable history={history} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Recovery PINs</CardTitle>
          <CardDescription>
            If you forget your password, the merchant number and PIN of one of these contracts confirm it is you. Only a digest of each PIN is kept; changing one asks for your current password.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <RecoveryPins storeId={storeId} contracts={await listRecoveryPins(storeId)} action={setRecoveryPinAction} />
        </CardContent>
      </Card>
    </div>
  );
}
