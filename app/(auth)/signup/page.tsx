import type { Metadata } from 'next';
import Link from 'next/link';
import { SignUpForm } from '@/components/auth/signup-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { signUpAction } from './actions';

export const metadata: Metadata = { title: 'Sign up your store' };

export default function SignUpPage() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign up your store</CardTitle>
        <CardDescription>Create the account you will use to manage your POSes, certificates and payments.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <SignUpForm action={signUpAction} />
        <p className="text-center text-sm text-slate-600">
          Already have an account?{' '}
          <Link href="/login" className="font-medium text-brand-600 hover:underline">
            Sign in
          </Link>
        </p>
      </CardContent>
    </Card>
  );
}
