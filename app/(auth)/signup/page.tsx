import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { SignUpForm } from '@/components/auth/signup-form';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { listEnrolmentAcquirers } from '@/lib/acquirers/list-enrolment-acquirers';
import { signUpAction } from './actions';

export const metadata: Metadata = { title: 'Sign up your store' };

export default async function SignUpPage() {
  // The acquirers come from the database at request time, never from the build.
  await connection();
  const acquirers = await listEnrolmentAcquirers();
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign up your store</CardTitle>
        <CardDescription>
          Enrol with the acquirers you already have merchant contracts with. We send your details to each of them for verification; each answer reaches you by e-mail, with a one-time certificate acquisition number when the acquirer verifies you.
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <SignUpForm action={signUpAction} acquirers={acquirers} />
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
