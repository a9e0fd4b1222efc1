import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetPasswordForm } from '@/components/auth/reset-password-form';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { resetPasswordAction } from './actions';

// The token is in this page's URL: no Referer may carry it to another site.
export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const value = typeof token === 'string' ? token.slice(0, 100) : '';
  return (
    <Card>
      <CardHeader>
        <CardTitle>Choose a new password</CardTitle>
        <CardDescription>
          To confirm it is you, enter the merchant number and recovery PIN of one of your store&apos;s acquirer contracts, then your new password.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        {value ? (
          <ResetPasswordForm token={value} action={resetPasswordAction} />
        ) : (
          <Alert variant="error">
            <AlertDescription>This link is incomplete. Open the link from the e-mail again, or ask for a new one.</AlertDescription>
          </Alert>
        )}
        <p className="text-center text-sm text-slate-600">
          <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
            Ask for a new link
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
