'use client';

import { useState, type FormEvent } from 'react';
import { signIn } from 'next-auth/react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';

const messages: Record<string, string> = {
  invalid_credentials: 'E-mail address or password is wrong.',
  account_locked: 'Too many failed sign-ins. This account is locked for 30 minutes; we have sent you an e-mail about it.',
  email_not_verified: 'Confirm your e-mail address first: open the link in the e-mail we sent you.',
  validation_failed: 'Enter your e-mail address and your password.',
  rate_limited: 'Too many failed sign-ins from here or for this address. Please wait, then try again (at most 15 minutes).',
};

export function LoginForm({ as, next }: { as: 'store' | 'operator'; next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    try {
      const result = await signIn(as, { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? ''), redirect: false });
      if (!result || result.error) {
        setError(messages[result?.error ?? ''] ?? 'Sign-in failed. Please try again.');
        return;
      }
      window.location.assign(next);
    } catch {
      setError('Could not reach ServerPOS. Check your connection and try again.');
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error ? (
        <Alert variant="error">
          <AlertDescription>{error}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id="email" label="E-mail address">
        <Input id="email" name="email" type="email" autoComplete="username" required maxLength={254} {...fieldAria('email', {})} />
      </FormField>
      <FormField id="password" label="Password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required maxLength={128} {...fieldAria('password', {})} />
      </FormField>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
