'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/**
 * Confirmation takes a click, not just the GET of the link, so that mail
 * scanners that prefetch links cannot use up the token.
 */
export function VerifyEmailForm({ token, action }: { token: string; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  return (
    <form action={formAction} className="space-y-4">
      {state.status === 'error' ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Confirming…' : 'Confirm my e-mail address'}
      </Button>
    </form>
  );
}
