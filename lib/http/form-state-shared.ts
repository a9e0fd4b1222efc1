import type { ErrorCode } from '@/lib/errors';

/** What a console form's server action answers; rendered by the form beside each field. Safe for client components. */
export type FormState =
  | { status: 'idle' }
  | { status: 'ok'; message: string }
  | { status: 'error'; code: ErrorCode; message: string; fields: Record<string, string>; values?: Record<string, string> };

export const idleForm: FormState = { status: 'idle' };
