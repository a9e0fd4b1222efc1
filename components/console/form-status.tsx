import { Alert, AlertDescription } from '@/components/ui/alert';
import type { FormState } from '@/lib/http/form-state-shared';

/** The answer of a console form's action above the form: a success, or the error summary (field errors sit beside their fields). */
export function FormStatus({ state }: { state: FormState }) {
  if (state.status === 'idle') return null;
  return (
    <Alert variant={state.status === 'ok' ? 'success' : 'error'}>
      <AlertDescription>{state.message}</AlertDescription>
    </Alert>
  );
}
