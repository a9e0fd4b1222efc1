'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** "Check acquirers for changes": pulls the store information from every acquirer now. */
export function CheckAcquirersButton(props: { action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  return (
    <form action={formAction} className="space-y-3">
      <Button type="submit" variant="outline" disabled={pending}>
        {pending ? 'Checking…' : 'Check acquirers for changes'}
      </Button>
      {state.status === 'ok' ? (
        <Alert variant="success" data-testid="check-acquirers-result">
          <AlertDescription className="whitespace-pre-line">{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {state.status === 'error' ? (
        <Alert variant="error" data-testid="check-acquirers-result">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
    </form>
  );
}
