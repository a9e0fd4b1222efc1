'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { resumeStore } from '@/lib/stores/resume-store';
import { suspendStore, suspendStoreFormSchema } from '@/lib/stores/suspend-store';
import { parseInput } from '@/lib/validation';

export async function suspendStoreAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...fields } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  return formAction(
    async () => {
      const { reason } = parseInput(suspendStoreFormSchema, fields);
      const { changed } = await suspendStore({ storeId, actor: { type: 'STORE_USER', id: user.userId }, source: 'STORE', reason, origin: await requestOrigin() });
      revalidatePath(`/console/stores/${storeId}`, 'layout');
      if (!changed) return 'Processing was already suspended.';
      // This session ended with every other one: resuming starts with a fresh sign-in.
      redirect(`/login?suspended=1&next=${encodeURIComponent(`/console/stores/${storeId}/security`)}`);
    },
    { reason: fields.reason ?? '', confirm: fields.confirm ?? '' },
  );
}

export async function resumeStoreAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...fields } = formFields(formData);
  const user = await requireStoreUser(storeId);
  return formAction(async () => {
    await resumeStore({ storeId, actor: { type: 'STORE_USER', id: user.userId }, source: 'STORE', input: fields, origin: await requestOrigin() });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    redirect(`/console/stores/${storeId}/security?resumed=1`);
  });
}
