import { unstable_rethrow } from 'next/navigation';
import { isAppError } from '@/lib/errors';
import type { FormState } from '@/lib/http/form-state-shared';
import { describeError, log } from '@/lib/log';

export { idleForm, type FormState } from '@/lib/http/form-state-shared';

/**
 * Runs the body of a server action and turns an AppError into a form error;
 * `values` (never a password) are handed back so the form keeps what was typed.
 * Next.js redirects and not-found signals pass through untouched.
 */
export async function formAction(body: () => Promise<string>, values?: Record<string, string>): Promise<FormState> {
  try {
    return { status: 'ok', message: await body() };
  } catch (error) {
    unstable_rethrow(error);
    if (isAppError(error)) {
      const fields = Object.fromEntries((error.fields ?? []).map((field) => [field.path, field.message]));
      // Each field's own message shows beside it; the summary above the form only points there.
      const count = Object.keys(fields).length;
      const message = count === 0 ? error.message : count === 1 ? 'Check the field marked below.' : `Check the ${count} fields marked below.`;
      return { status: 'error', code: error.code, message, fields, values };
    }
    log.error('unhandled error in form action', describeError(error));
    return { status: 'error', code: 'internal_error', message: 'Something went wrong on our side. Please try again.', fields: {}, values };
  }
}

/**
 * A FormData as a plain object of strings (files are not accepted by these forms). The argument is whatever
 * the request's encoded arguments decoded to, not necessarily a form: anything else has no fields, so the
 * action refuses it as it would an empty form rather than failing on it.
 */
export function formFields(formData: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!isForm(formData)) return fields;
  for (const [key, value] of formData.entries()) {
    if (typeof value === 'string' && !key.startsWith('$ACTION')) fields[key] = value;
  }
  return fields;
}

/** Every string value of a repeated field (ticked boxes), none when the argument is not a form (see formFields). */
export function formList(formData: FormData, name: string): string[] {
  if (!isForm(formData)) return [];
  return formData.getAll(name).filter((value): value is string => typeof value === 'string');
}

// By shape, not instanceof: the form a server action receives is built by Next.js's runtime, whose FormData
// class need not be this module's global one (instanceof refused every real form in a production build).
function isForm(value: unknown): value is FormData {
  return typeof value === 'object' && value !== null && typeof (value as FormData).entries === 'function' && typeof (value as FormData).getAll === 'function';
}
