import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StoreProfileForm } from '@/components/console/store-profile-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireStoreUser } from '@/lib/auth/current';
import { getStoreProfile } from '@/lib/stores/update-store-profile';
import { updateStoreProfileAction } from './actions';

export const metadata: Metadata = { title: 'Store settings' };

export default async function StoreSettingsPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const profile = await getStoreProfile(storeId);
  if (!profile) notFound();
  return (
    <div className="space-y-6">
      <PageHeader title="Store settings" description="Your store's information, as your acquirers see it." />
      <Card>
        <CardHeader>
          <CardTitle>Store information</CardTitle>
          <CardDescription>Version {profile.storeInfoVersion}. Every saved change makes a new version.</CardDescription>
        </CardHeader>
        <CardContent>
          <StoreProfileForm
            storeId={storeId}
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
    </div>
  );
}
