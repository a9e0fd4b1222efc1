import type { Metadata } from 'next';
import { VerifyEmailForm } from '@/components/auth/verify-email-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { verifyEmailAction } from './actions';

export const metadata: Metadata = { title: 'Confirm your e-mail address', referrer: 'no-referrer' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Confirm your e-mail address</CardTitle>
        <CardDescription>One click and your ServerPOS account is active.</CardDescription>
      </CardHeader>
      <CardContent>
        <VerifyEmailForm token={typeof token === 'string' ? token.slice(0, 100) : ''} action={verifyEmailAction} />
      </CardContent>
    </Card>
  );
}
