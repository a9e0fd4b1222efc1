import type { Metadata } from 'next';
import Link from 'next/link';
import { LoginForm } from '@/components/auth/login-form';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { safeNextPath } from '@/lib/auth/safe-next';
import { cn } from '@/lib/utils/cn';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const as = params.as === 'operator' ? 'operator' : 'store';
  const next = safeNextPath(params.next, as === 'operator' ? '/operator' : '/console');
  const tab = (value: 'store' | 'operator') =>
    cn(
      'flex-1 rounded-md px-3 py-1.5 text-center text-sm font-medium',
      as === value ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900',
    );
  return (
    <Card>
      <CardHeader>
        <CardTitle>{as === 'operator' ? 'Sign in to the operator console' : 'Sign in to your store'}</CardTitle>
        <CardDescription>One login for every acquirer your store works with.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        <nav aria-label="Account type" className="flex gap-1 rounded-lg bg-slate-100 p-1">
          <Link href="/login" className={tab('store')} aria-current={as === 'store' ? 'page' : undefined}>
            Store
          </Link>
          <Link href="/login?as=operator" className={tab('operator')} aria-current={as === 'operator' ? 'page' : undefined}>
            Operator
          </Link>
        </nav>
        {params.reason === 'session_expired' ? (
          <Alert variant="warning">
            <AlertDescription>Your session ended after a period without activity. Sign in again to continue.</AlertDescription>
          </Alert>
        ) : null}
        {params.verified === '1' ? (
          <Alert variant="success">
            <AlertDescription>Your e-mail address is confirmed. You can sign in now.</AlertDescription>
          </Alert>
        ) : null}
        {params.reset === '1' ? (
          <Alert variant="success">
            <AlertDescription>Your password was changed and every earlier session was signed out. Sign in with your new password.</AlertDescription>
          </Alert>
        ) : null}
        {params.suspended === '1' ? (
          <Alert variant="warning">
            <AlertDescription>Processing is suspended and everyone was signed out of the store console. Sign in again to resume processing.</AlertDescription>
          </Alert>
        ) : null}
        <LoginForm as={as} next={next} />
        {as === 'store' ? (
          <p className="text-center text-sm">
            <Link href="/forgot-password" className="font-medium text-brand-600 hover:underline">
              Forgot your password?
            </Link>
          </p>
        ) : null}
        {as === 'store' ? (
          <p className="text-center text-sm text-slate-600">
            New to ServerPOS?{' '}
            <Link href="/signup" className="font-medium text-brand-600 hover:underline">
              Sign up your store
            </Link>
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
