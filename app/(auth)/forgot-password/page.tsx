import type { Metadata } from 'next';
import Link from 'next/link';
import { ForgotPasswordForm } from '@/components/auth/forgot-password-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { forgotPasswordAction } from './actions';

export const metadata: Metadata = { title: 'Reset your password' };

export default function ForgotPasswordPage() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Reset your password</CardTitle>
        <CardDescription>
          Enter the e-mail address you sign in with. We send you a link; to use it you also need the merchant number and recovery PIN of one of your acquirer contracts.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <ForgotPasswordForm action={forgotPasswordAction} />
        <p className="text-center text-sm text-slate-600">
          <Link href="/login" className="font-medium text-brand-600 hover:underline">
            Back to sign in
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
